import { expect } from "chai";

// The one leak checker of the test suite: does a text (an error, a log, stored state, printed
// output) hold any of the given secrets? Failures name the secrets (their key, or their number
// in a list), never their values, so that a failing test does not print a password itself.

/** Secrets by name, or a list of them (named "secret #1", "secret #2" ... in failures). */
export type Secrets = Record<string, string> | Iterable<string>;

export interface LeakOptions {
    /** Also find each secret in another case (a message upper- or lower-cased). @default false */
    ignoreCase?: boolean;
    /** Also find each secret JSON-escaped and URL-encoded, as a request body or URL carries it. @default false */
    encoded?: boolean;
}

function named(secrets: Secrets): [string, string][] {
    if (typeof (secrets as Iterable<string>)[Symbol.iterator] === "function") {
        return [...(secrets as Iterable<string>)].map((value, i) => [`secret #${i + 1}`, value]);
    }
    return Object.entries(secrets as Record<string, string>);
}

/** The names of the secrets found in `text` (an empty secret is never "found"). */
export function leakedSecrets(text: string, secrets: Secrets, options: LeakOptions = {}): string[] {
    const fold = (s: string) => (options.ignoreCase ? s.toLowerCase() : s);
    const haystack = fold(text);
    const found: string[] = [];
    for (const [name, value] of named(secrets)) {
        if (!value) continue;
        const forms: [string, string][] = [[name, value]];
        if (options.encoded) {
            forms.push(
                [`${name} (JSON-escaped)`, JSON.stringify(value).slice(1, -1)],
                [`${name} (URL-encoded)`, encodeURIComponent(value)],
            );
        }
        for (const [label, form] of forms) if (haystack.includes(fold(form))) found.push(label);
    }
    return [...new Set(found)];
}

/** Asserts that no secret occurs in `text`; `where` says what the text is ("host stderr"). */
export function expectNoLeak(text: string, secrets: Secrets, where: string, options: LeakOptions = {}): void {
    expect(leakedSecrets(text, secrets, options), `secrets found in ${where} (names only)`).to.deep.equal([]);
}

/** The error `promise` rejects with, asserted to be an Error whose message and stack hold no secret. */
export async function rejectionWithoutLeak(promise: Promise<unknown>, secrets: Secrets): Promise<Error> {
    const err = await promise.then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(err, "expected the call to fail").to.be.instanceOf(Error);
    expectNoLeak(`${(err as Error).message}\n${(err as Error).stack}`, secrets, "the error");
    return err as Error;
}
