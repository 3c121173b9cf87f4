import { expect } from "chai";
import { mockClient, AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    CognitoIdentityProviderClient,
    UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider, createCognitoUserProvider } from "../providers/cognitoUser/provider";
import { dummyAwsEnv } from "./env";
import { expectNoLeak } from "./leaks";
import { testPassword } from "./users";

// The setup every provider test with aws-sdk-client-mock shares, for the `describe` it is called
// in: dummy AWS settings, a fresh provider and mocked Cognito client per test, the console captured
// (and checked for passwords after each test), and the assertions on calls and errors.

/** A second password of the fixture user (a rotation). */
export const newPassword = "N3w!Rotated-Secret";
/** SDK metadata of a request answered at its first attempt. */
export const meta = { httpStatusCode: 400, attempts: 1 };
/** What Cognito answers for a user that does not exist. */
export const notFound = () => new UserNotFoundException({ message: "User does not exist.", $metadata: meta });

export interface MockedCognito {
    /** The mocked client of the current test. */
    readonly mock: AwsClientStub<CognitoIdentityProviderClient>;
    /** A provider made for the current test. */
    readonly provider: CognitoUserProvider;
    /** Every password the tests hand the provider (add more); none may appear in errors or console output. */
    readonly secrets: Set<string>;
    /** What the current test wrote to the console so far, a line per call. */
    readonly consoleOutput: string[];
    /** What the current test wrote with console.error, a line per call. */
    readonly stderr: string[];
    /** The commands sent so far, by class name ("AdminGetUserCommand"). */
    callNames(): string[];
    /** The input of the i-th command sent. */
    callInput(i: number): any;
    /** The commands sent that change something in Cognito (everything but the reads). */
    writes(): string[];
    /**
     * The error `promise` rejects with: an Error whose message, stack and text hold no password,
     * with nothing written to the console so far holding one either.
     */
    rejection(promise: Promise<unknown>): Promise<Error>;
}

const consoleMethods = ["log", "error", "warn", "info", "debug"] as const;

/**
 * Before each test: a mocked Cognito client where anything not set up succeeds with an empty
 * answer, a user has no groups, and the look-up finds no user (a test sets up what it needs).
 */
export function mockedCognito(): MockedCognito {
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    const secrets = new Set<string>([testPassword, newPassword]);
    let consoleOutput: string[] = [];
    let stderr: string[] = [];
    let savedConsole: Partial<Record<(typeof consoleMethods)[number], (...args: unknown[]) => void>> = {};

    dummyAwsEnv();
    beforeEach(() => {
        mock = mockClient(CognitoIdentityProviderClient);
        mock.reset();
        mock.onAnyCommand().resolves({});
        mock.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
        mock.on(AdminGetUserCommand).rejects(notFound());
        provider = createCognitoUserProvider();
        consoleOutput = [];
        stderr = [];
        savedConsole = {};
        for (const method of consoleMethods) {
            savedConsole[method] = console[method];
            console[method] = (...args: unknown[]) => {
                if (method === "error") stderr.push(args.join(" "));
                consoleOutput.push(
                    args
                        .map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a)))
                        .join(" "),
                );
            };
        }
    });
    afterEach(() => {
        for (const method of consoleMethods) if (savedConsole[method]) console[method] = savedConsole[method]!;
        mock.restore();
        expectNoLeak(consoleOutput.join("\n"), secrets, "console output");
    });

    const callNames = () => mock.calls().map((c) => (c.args[0] as object).constructor.name);
    return {
        get mock() {
            return mock;
        },
        get provider() {
            return provider;
        },
        secrets,
        get consoleOutput() {
            return consoleOutput;
        },
        get stderr() {
            return stderr;
        },
        callNames,
        callInput: (i: number) => (mock.call(i).args[0] as { input: any }).input,
        writes: () => callNames().filter((name) => !/^Admin(Get|ListGroupsFor)User/.test(name)),
        async rejection(promise: Promise<unknown>): Promise<Error> {
            let caught: unknown;
            let resolved = false;
            try {
                await promise;
                resolved = true;
            } catch (err) {
                caught = err;
            }
            expect(resolved, "expected the call to fail").to.equal(false);
            expect(caught).to.be.instanceOf(Error);
            const err = caught as Error;
            expectNoLeak(err.message, secrets, "error message");
            expectNoLeak(String(err.stack), secrets, "error stack");
            expectNoLeak(String(err), secrets, "error string");
            expectNoLeak(consoleOutput.join("\n"), secrets, "console output");
            return err;
        },
    };
}

/** Paths of all `undefined` values anywhere inside a value. */
export function undefinedPaths(value: unknown, path = "$"): string[] {
    if (value === undefined) return [path];
    if (Array.isArray(value)) return value.flatMap((v, i) => undefinedPaths(v, `${path}[${i}]`));
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => undefinedPaths(v, `${path}.${k}`));
    }
    return [];
}
