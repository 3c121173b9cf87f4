import { expect } from "chai";
import { StackConfig, StackConfigInput, readStackConfig } from "../components/stackConfig";
import { expectNoLeak } from "../harness/leaks";

// components/stackConfig.ts, the pure stack-config reader, with plain tables: the config values as
// the engine hands them to the program (text), which keys the engine says are secret, and what the
// stack file stores in plain text. No Pulumi runtime, no mocks. What index.ts does with the result
// (refuses to run, warns, makes the passwords secrets, declares resources): test/program.test.ts.

const project = "cognito-auth";
const passwordsKey = `${project}:passwords`;
/** Distinctive passwords that meet the default policy, so a leak anywhere is unambiguous. */
const passwords = { alice: "Alice#Secret-4217xq", bob: "Bob!Hidden-9930zk" };
const alice = { alice: { email: "alice@example.com" } };
const knownKeys =
    "userPoolId, userPoolName, clientName, identityPoolName, allowUnauthenticatedIdentities, users, passwords, groups, mfa, " +
    "featurePlan, threatProtection, signInFactors, webAuthn, emailSender, " +
    "passwordPolicy, deletionProtection, generateClientSecret, tokenValidity, customAttributes, authenticatedPolicyArns, " +
    "unauthenticatedPolicyArns, adoptExistingUsers, userPoolClientId";
const noPassword = (name: string) =>
    `cognito-auth:users.${name}: has no password; set one with: pulumi config set --secret --path 'passwords.${name}' -- '<password>'`;
/** Two users with groups and emails, and their passwords. */
function twoUsers(): Record<string, unknown> {
    return {
        users: {
            alice: { email: "alice@example.com", groups: ["admins", "staff"] },
            bob: { email: "bob@example.com", groups: ["staff"], attributes: { given_name: "Bob" } },
        },
        passwords,
    };
}
const storedPlain = (name: string) =>
    `cognito-auth:passwords.${name}: is stored in plain text; set it again as a secret: pulumi config set --secret --path 'passwords.${name}' -- '<password>'`;

/** One call of the reader, as index.ts makes it. */
interface Read {
    /** `cognito-auth:` settings by name; text as is, anything else JSON-encoded as the CLI stores it. */
    config?: Record<string, unknown>;
    /** Other keys, verbatim; `aws:region` is ap-northeast-1 unless set here (undefined: unset). */
    raw?: Record<string, string | undefined>;
    /** The keys the engine says are secret. @default `cognito-auth:passwords` when passwords are set */
    secretKeys?: string[];
    /** Instead of `secretKeys`: the engine's answer itself (undefined: an older CLI that does not say). */
    isSecret?: StackConfigInput["isSecret"];
    storedPasswords?: StackConfigInput["storedPasswords"];
    project?: string;
    stack?: string;
    /** More texts that must appear in no problem or warning (passwords the reader refused to take). */
    secrets?: string[];
}

/** Every string inside a value (a password map's leaves, whatever their shape). */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
    return [];
}

/**
 * The reader's result, after checking what holds for every input: `settings` has no `passwords`
 * and, like every problem and warning, holds no password (nor any text the config gave as one).
 */
function read(input: Read = {}): StackConfig {
    const p = input.project ?? project;
    const config: Record<string, string> = { "aws:region": "ap-northeast-1" };
    for (const [key, value] of Object.entries(input.raw ?? {})) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    for (const [key, value] of Object.entries(input.config ?? {})) {
        config[`${p}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const secretKeys = input.secretKeys ?? (input.config && "passwords" in input.config ? [`${p}:passwords`] : []);
    const result = readStackConfig({
        project: p,
        stack: input.stack ?? "dev",
        config,
        isSecret: input.isSecret ?? ((key) => secretKeys.includes(key)),
        storedPasswords: input.storedPasswords,
    });
    expect(Object.keys(result.settings), "settings keys").to.not.include("passwords");
    const raw = config[`${p}:passwords`];
    let given: unknown = raw;
    try {
        given = raw === undefined ? undefined : JSON.parse(raw);
    } catch {
        // Not JSON: the whole text may be a password (set without --path).
    }
    const secrets = [...Object.values(result.plainPasswords), ...strings(given), ...(input.secrets ?? [])];
    expectNoLeak([...result.problems, ...result.warnings].join("\n"), secrets, "the problems and warnings");
    expectNoLeak(JSON.stringify(result.settings), secrets, "the settings");
    return result;
}

/** The problems of a read, for a table row. */
const problemsOf = (input: Read) => read(input).problems;

describe("stack-config reader (components/stackConfig.ts)", function () {
    describe("unknown keys", function () {
        it("refuses a key of the project's namespace that is no setting: the exact line, listing every known key", function () {
            expect(problemsOf({ config: { users: alice, passwords: { alice: passwords.alice }, userPoolNme: "oops" } })).to.deep.equal([
                `cognito-auth:userPoolNme: unknown setting; known: ${knownKeys}`,
            ]);
        });

        it("names each unknown key once, Object.prototype members (constructor, toString) included", function () {
            expect(problemsOf({ config: { constructor: "x", toString: "y", mfaa: "ON" } })).to.deep.equal(
                ["constructor", "toString", "mfaa"].map((name) => `cognito-auth:${name}: unknown setting; known: ${knownKeys}`),
            );
        });

        it("leaves keys of other namespaces alone (aws:, another package's), and reads the project's namespace by name", function () {
            expect(problemsOf({ raw: { "aws:profile": "dev", "other-project:userPoolNme": "x" } })).to.deep.equal([]);
            expect(problemsOf({ project: "acme", raw: { "cognito-auth:userPoolNme": "x", "acme:userPoolNme": "y" } })).to.deep.equal([
                `acme:userPoolNme: unknown setting; known: ${knownKeys}`,
            ]);
        });
    });

    describe("text, booleans and JSON", function () {
        it("takes text settings as text, even when they read as JSON (a number, true, null)", function () {
            const { settings, problems } = read({ config: { userPoolName: "2024", clientName: "true", identityPoolName: "null" } });
            expect(problems).to.deep.equal([]);
            expect(settings).to.deep.equal({ userPoolName: "2024", clientName: "true", identityPoolName: "null" });
        });

        it("reads mfa and userPoolId as text: a number-like value is refused as the text it is", function () {
            expect(problemsOf({ config: { mfa: "1" } })).to.deep.equal([
                'cognito-auth:mfa: "1" is not an MFA mode; use one of OFF, OPTIONAL, ON',
            ]);
            expect(problemsOf({ config: { userPoolId: "2024" } })).to.deep.equal([
                "cognito-auth:userPoolId: is not a user pool id: expected <region>_<letters and digits>, such as us-east-1_AbC123xyz",
            ]);
        });

        it('reads a boolean setting from the text "true" or "false"; any other text stays text and is refused', function () {
            const { settings } = read({
                config: {
                    allowUnauthenticatedIdentities: "true",
                    deletionProtection: "false",
                    generateClientSecret: "true",
                    adoptExistingUsers: "false",
                },
            });
            expect(settings).to.deep.include({
                allowUnauthenticatedIdentities: true,
                deletionProtection: false,
                generateClientSecret: true,
                adoptExistingUsers: false,
            });
            for (const text of ["True", "FALSE", "1", "yes", ""]) {
                const result = read({ config: { deletionProtection: text } });
                expect(result.settings.deletionProtection, JSON.stringify(text)).to.equal(text);
                expect(result.problems, JSON.stringify(text)).to.deep.equal(["cognito-auth:deletionProtection: must be true or false"]);
            }
        });

        it("parses JSON settings; a value that is no JSON stays text, refused by the setting's check", function () {
            const { settings, problems } = read({
                config: {
                    users: alice,
                    passwords: { alice: passwords.alice },
                    tokenValidity: '{"accessTokenMinutes": 15}',
                    customAttributes: ["tenant"],
                    passwordPolicy: { minimumLength: 14 },
                },
            });
            expect(problems).to.deep.equal([]);
            expect(settings).to.deep.equal({
                userPoolName: "cognito-auth-dev",
                users: alice,
                tokenValidity: { accessTokenMinutes: 15 },
                customAttributes: ["tenant"],
                passwordPolicy: { minimumLength: 14 },
            });
            const bad = read({ config: { users: "{alice", customAttributes: "tenant", passwordPolicy: "16" } });
            expect(bad.settings).to.deep.include({ users: "{alice", customAttributes: "tenant", passwordPolicy: 16 });
            expect(bad.problems).to.deep.equal([
                "cognito-auth:users: must be a map of username to { email, attributes, enabled, groups }",
                'cognito-auth:passwordPolicy: must be a map of policy keys to values, such as { "minimumLength": 12 }',
                "cognito-auth:customAttributes: must be a list of attribute names",
            ]);
        });
    });

    describe("the default pool name", function () {
        it("is <project>-<stack> for a pool this stack creates, unless userPoolName is set", function () {
            expect(read().settings).to.deep.equal({ userPoolName: "cognito-auth-dev" });
            expect(read({ project: "acme", stack: "prod" }).settings).to.deep.equal({ userPoolName: "acme-prod" });
            expect(read({ config: { userPoolName: "acme-auth" } }).settings).to.deep.equal({ userPoolName: "acme-auth" });
        });

        it("is not set with userPoolId (where userPoolName would be refused)", function () {
            const { settings, problems } = read({ config: { userPoolId: "ap-northeast-1_AbC123xyz" } });
            expect(settings).to.deep.equal({ userPoolId: "ap-northeast-1_AbC123xyz" });
            expect(problems).to.deep.equal([]);
        });
    });

    describe("aws:region and userPoolId", function () {
        const id = "us-east-1_AbC123xyz";
        const cases: [string, Record<string, string | undefined>, string, string[]][] = [
            ["the pool's region: nothing to say", { "aws:region": "us-east-1" }, id, []],
            [
                "unset: set it to the pool's region",
                { "aws:region": undefined },
                id,
                [
                    "aws:region: not set; the users of cognito-auth:userPoolId are managed in aws:region: pulumi config set aws:region us-east-1",
                ],
            ],
            [
                "another region: the pool is elsewhere",
                { "aws:region": "ap-northeast-1" },
                id,
                [
                    "cognito-auth:userPoolId: the pool is in us-east-1 (its id starts with its region), but aws:region is ap-northeast-1; set aws:region to us-east-1, or name a pool in ap-northeast-1",
                ],
            ],
            // Only the id: its region is not compared with aws:region while the id itself is wrong.
            [
                "unset, with a malformed id: only the id",
                { "aws:region": undefined },
                "AbC123xyz",
                ["cognito-auth:userPoolId: is not a user pool id: expected <region>_<letters and digits>, such as us-east-1_AbC123xyz"],
            ],
            [
                "another region, with an id too long: only the id",
                { "aws:region": "ap-northeast-1" },
                `us-east-1_${"a".repeat(46)}`,
                ["cognito-auth:userPoolId: must be at most 55 characters long"],
            ],
        ];
        for (const [title, raw, userPoolId, problems] of cases) {
            it(`aws:region ${title}`, function () {
                expect(problemsOf({ raw, config: { userPoolId } })).to.deep.equal(problems);
            });
        }

        it("is not checked for a pool this stack creates", function () {
            expect(problemsOf({ raw: { "aws:region": undefined } })).to.deep.equal([]);
        });

        const badIds: [string, string, RegExp][] = [
            ["no region prefix", "AbC123xyz", /^cognito-auth:userPoolId: is not a user pool id: expected <region>_<letters and digits>/],
            ["a hyphen in the id part", "ap-northeast-1_AbC-123", /^cognito-auth:userPoolId: is not a user pool id/],
            ["more than 55 characters", `ap-northeast-1_${"a".repeat(41)}`, /^cognito-auth:userPoolId: must be at most 55 characters long/],
        ];
        for (const [title, userPoolId, pattern] of badIds) {
            it(`refuses a userPoolId with ${title}, and says nothing of its region`, function () {
                const problems = problemsOf({ config: { ...twoUsers(), userPoolId } });
                expect(problems).to.have.lengthOf(1);
                expect(problems[0]).to.match(pattern);
            });
        }
    });

    describe("passwords", function () {
        /** What the stack file says: the users whose leaf is plain, with the values the file holds. */
        const stored = (entries: [string, unknown[]][]) => ({ kind: "map" as const, plain: new Map(entries) });
        const users = { alice: { email: "alice@example.com" }, bob: { email: "bob@example.com" } };

        it("takes each password as plaintext, for the program to make a secret, and nowhere in the settings", function () {
            const { settings, plainPasswords, problems } = read({ config: { users, passwords } });
            expect(problems).to.deep.equal([]);
            expect({ ...plainPasswords }).to.deep.equal(passwords);
            expect(settings).to.deep.equal({ userPoolName: "cognito-auth-dev", users });
        });

        it("refuses passwords that are no map (null, a list, a number, JSON text, no JSON, a bare password) with one problem, never the value", function () {
            for (const stored of ["null", "[1]", "42", JSON.stringify(passwords.alice), "not json", passwords.alice]) {
                const result = read({ config: { users: alice, passwords: stored } });
                expect(result.problems, stored).to.deep.equal([
                    "cognito-auth:passwords: must be a map of username to password",
                    noPassword("alice"),
                ]);
                expect({ ...result.plainPasswords }, stored).to.deep.equal({});
            }
        });

        it("a bare password stored in plain text: also says to remove it and how to set each one as a secret", function () {
            expect(problemsOf({ config: { users: alice, passwords: passwords.alice }, secretKeys: [] })).to.deep.equal([
                `cognito-auth:passwords: is stored in plain text; remove it with pulumi config rm passwords and set each password with pulumi config set --secret --path 'passwords["<username>"]' -- '<password>'`,
                "cognito-auth:passwords: must be a map of username to password",
                noPassword("alice"),
            ]);
        });

        it("a bare password, when the engine does not say whether it is secret (an older CLI): only that it is no map", function () {
            expect(problemsOf({ config: { users: alice, passwords: passwords.alice }, isSecret: () => undefined })).to.deep.equal([
                "cognito-auth:passwords: must be a map of username to password",
                noPassword("alice"),
            ]);
        });

        describe("stored in plain text", function () {
            it("the engine's secret list says the key holds no secret: refuses every user's password", function () {
                expect(problemsOf({ config: { users, passwords }, secretKeys: [] })).to.deep.equal([
                    storedPlain("alice"),
                    storedPlain("bob"),
                ]);
            });

            it("the engine does not say (an older CLI) and nothing is known of the stack file: nothing to refuse", function () {
                expect(problemsOf({ config: { users, passwords }, isSecret: () => undefined })).to.deep.equal([]);
            });

            // The engine marks the key secret when any leaf is, so only the stack file tells a plain leaf beside a secret one.
            const cases: [string, StackConfigInput["storedPasswords"], string[]][] = [
                ["a plain leaf holding the value received", stored([["bob", [passwords.bob]]]), [storedPlain("bob")]],
                ["a plain leaf holding another value (another config file in use)", stored([["bob", ["Other#Value-123abc"]]]), []],
                [
                    "a key spelled twice, one spelling plain with the value",
                    stored([["bob", ["Other#Value-123abc", passwords.bob]]]),
                    [storedPlain("bob")],
                ],
                [
                    "a plain leaf that is no text (a number, a list): plain whatever the value",
                    stored([
                        ["alice", [42]],
                        ["bob", [["x"]]],
                    ]),
                    [storedPlain("alice"), storedPlain("bob")],
                ],
                ["a plain leaf for a user the program was not given", stored([["carol", ["Carol#Plain-123abc"]]]), []],
                [
                    "every leaf plain",
                    stored([
                        ["alice", [passwords.alice]],
                        ["bob", [passwords.bob]],
                    ]),
                    [storedPlain("alice"), storedPlain("bob")],
                ],
                ["no plain leaf", stored([]), []],
                ["the file does not set the key", { kind: "absent" }, []],
                ["the file sets it as no map", { kind: "notMap" }, []],
                ["no stack file read", undefined, []],
            ];
            for (const [title, storedPasswords, problems] of cases) {
                it(`the stack file: ${title}`, function () {
                    expect(problemsOf({ config: { users, passwords }, storedPasswords })).to.deep.equal(problems);
                });
            }

            it("the stack file is also read when the engine does not say", function () {
                expect(
                    problemsOf({
                        config: { users, passwords },
                        isSecret: () => undefined,
                        storedPasswords: stored([["bob", [passwords.bob]]]),
                    }),
                ).to.deep.equal([storedPlain("bob")]);
            });

            it("an unreadable stack file: a warning naming only the error code, no problem", function () {
                const { problems, warnings, plainPasswords } = read({
                    config: { users, passwords },
                    storedPasswords: { unreadable: "EACCES" },
                });
                expect(problems).to.deep.equal([]);
                expect(warnings).to.deep.equal([
                    "cognito-auth:passwords: could not read the stack's config file to check that each password is stored as a secret (EACCES)",
                ]);
                expect({ ...plainPasswords }).to.deep.equal(passwords);
            });

            it("no warning of an unreadable file when the engine already says the passwords are plain, nor without passwords", function () {
                const plain = read({ config: { users, passwords }, secretKeys: [], storedPasswords: { unreadable: "EACCES" } });
                expect(plain.warnings).to.deep.equal([]);
                expect(plain.problems).to.deep.equal([storedPlain("alice"), storedPlain("bob")]);
                expect(read({ storedPasswords: { unreadable: "EACCES" } }).warnings).to.deep.equal([]);
            });
        });

        it("refuses a password leaf that is no text (a plain --path value): it is no password, so the user has none", function () {
            const cases: [unknown, string][] = [
                [42, "a number"],
                [null, "null"],
                [true, "a boolean"],
                [{ value: passwords.alice }, "a map"],
                [[passwords.alice], "a list"],
            ];
            for (const [value, what] of cases) {
                const result = read({ config: { users: alice, passwords: { alice: value } } });
                expect(result.problems, what).to.deep.equal([
                    `cognito-auth:passwords.alice: must be a string, not ${what}; set it again as a secret: pulumi config set --secret --path 'passwords.alice' -- '<password>'`,
                    noPassword("alice"),
                ]);
                expect({ ...result.plainPasswords }, what).to.deep.equal({});
            }
        });

        it("an empty map holds no password: nothing to refuse, even stored in plain text", function () {
            for (const secretKeys of [[passwordsKey], []]) {
                const result = read({ config: { passwords: {} }, secretKeys, storedPasswords: stored([]) });
                expect(result.problems, secretKeys.join()).to.deep.equal([]);
                expect({ ...result.plainPasswords }).to.deep.equal({});
            }
        });

        it("takes usernames __proto__ and constructor as plain keys (a map without a prototype)", function () {
            // Built with JSON: an object literal's `__proto__:` would set the prototype, not a key.
            const protoUsers = JSON.parse('{"__proto__": {"email": "p@example.com"}, "constructor": {"email": "c@example.com"}}');
            const protoPasswords = '{"__proto__": "Proto#Name-0secret", "constructor": "Proto#Name-1secret"}';
            const { plainPasswords, problems } = read({ config: { users: protoUsers, passwords: protoPasswords } });
            expect(problems).to.deep.equal([]);
            expect(Object.getPrototypeOf(plainPasswords)).to.equal(null);
            expect(Object.keys(plainPasswords)).to.deep.equal(["__proto__", "constructor"]);
            expect(plainPasswords.__proto__).to.equal("Proto#Name-0secret");
            expect(plainPasswords.constructor).to.equal("Proto#Name-1secret");
            // Stored in plain text, each is named by its own key path.
            expect(problemsOf({ config: { users: protoUsers, passwords: protoPasswords }, secretKeys: [] })).to.deep.equal([
                storedPlain("__proto__"),
                storedPlain("constructor"),
            ]);
            // A stack file naming neither: Map lookups find no inherited "constructor".
            expect(problemsOf({ config: { users: protoUsers, passwords: protoPasswords }, storedPasswords: stored([]) })).to.deep.equal([]);
        });
    });

    describe("the settings' rules, through the reader", function () {
        type Case = {
            title: string;
            config: Record<string, unknown>;
            options?: Pick<Read, "secretKeys">;
            /** Each matches one problem. */
            expect: RegExp[];
            secrets?: string[];
            absent?: RegExp[];
            /** How many problems in all. @default expect.length */
            problems?: number;
        };
        const cases: Case[] = [
            {
                title: "a user without a password",
                config: { users: { ...alice, bob: { email: "bob@example.com" } }, passwords: { alice: passwords.alice } },
                expect: [/users\.bob: has no password/, /pulumi config set --secret --path 'passwords\.bob'/],
                problems: 1,
            },
            {
                title: "a password for an unknown user",
                config: { users: alice, passwords: { alice: passwords.alice, mallory: passwords.bob } },
                expect: [/passwords\.mallory: password for a user that is not in cognito-auth:users/],
            },
            {
                title: "a malformed email",
                config: { users: { alice: { email: "alice-at-example" } }, passwords: { alice: passwords.alice } },
                expect: [/users\.alice: attribute "email" is not a valid email address/],
            },
            {
                title: "an unknown MFA mode",
                config: { users: alice, passwords: { alice: passwords.alice }, mfa: "SOMETIMES" },
                expect: [/mfa: "SOMETIMES" is not an MFA mode; use one of OFF, OPTIONAL, ON/],
            },
            {
                title: "a password that is too short",
                config: { users: alice, passwords: { alice: "Sh0rt#pw" } },
                expect: [/passwords\.alice: password must be at least 12 characters long/],
                secrets: ["Sh0rt#pw"],
            },
            {
                title: "a password without a symbol",
                config: { users: alice, passwords: { alice: "NoSymbolPassw0rd" } },
                expect: [/passwords\.alice: password must contain a symbol/],
                secrets: ["NoSymbolPassw0rd"],
            },
            {
                title: "an unknown config key (typo)",
                config: { users: alice, passwords: { alice: passwords.alice }, userPoolNme: "oops" },
                expect: [/cognito-auth:userPoolNme: unknown setting/, /userPoolName/],
                problems: 1,
            },
            {
                title: "users that are not a map",
                config: { users: ["alice"], passwords: { alice: passwords.alice } },
                expect: [
                    /cognito-auth:users: must be a map of username/,
                    /cognito-auth:passwords\.alice: password for a user that is not in cognito-auth:users/,
                ],
            },
            {
                // The engine's list of secret keys marks passwords stored without --secret.
                title: "passwords stored in plain text (not --secret)",
                config: { users: alice, passwords: { alice: passwords.alice } },
                options: { secretKeys: [] },
                expect: [/cognito-auth:passwords\.alice: is stored in plain text/, /--secret --path 'passwords\.alice'/],
                problems: 1,
            },
            {
                // The SDK's own ConfigTypeError would quote the raw value (the password) here.
                title: "passwords set without --path (a bare string, not a map)",
                config: { users: alice, passwords: passwords.alice },
                expect: [/cognito-auth:passwords/, /map of username to password/],
            },
            {
                title: "an out-of-range token validity",
                config: { users: alice, passwords: { alice: passwords.alice }, tokenValidity: { accessTokenMinutes: 2 } },
                expect: [/tokenValidity\.accessTokenMinutes: must be a whole number from 5 to 1440/],
            },
            {
                // Only a program can give an Output; in config this is just an object that looks like one.
                title: "a policy ARN list entry that looks like a Pulumi Output, from config",
                config: { users: alice, passwords: { alice: passwords.alice }, authenticatedPolicyArns: [{ __pulumiOutput: true }] },
                expect: [/authenticatedPolicyArns: must be a list of IAM policy ARNs/],
            },
            {
                title: "a policy ARN that is not an IAM policy ARN",
                config: { users: alice, passwords: { alice: passwords.alice }, authenticatedPolicyArns: ["arn:aws:s3:::my-bucket"] },
                expect: [/authenticatedPolicyArns: "arn:aws:s3:::my-bucket" is not an IAM policy ARN/],
            },
            ...([undefined, false] as const).map((allow) => ({
                title: `unauthenticatedPolicyArns with allowUnauthenticatedIdentities ${allow === undefined ? "unset" : "false"} (no guest role to attach them to)`,
                config: {
                    users: alice,
                    passwords: { alice: passwords.alice },
                    unauthenticatedPolicyArns: ["arn:aws:iam::123456789012:policy/guest-read"],
                    ...(allow === undefined ? {} : { allowUnauthenticatedIdentities: allow }),
                },
                expect: [
                    /^cognito-auth:unauthenticatedPolicyArns: set cognito-auth:allowUnauthenticatedIdentities to true, or there is no unauthenticated role to attach them to$/,
                ],
            })),
            ...(
                [
                    ["a space", "my tenant"],
                    ["an empty name", ""],
                    ["21 characters", "t".repeat(21)],
                    ["the custom: prefix", "custom:tenant"],
                ] as const
            ).map(([what, name]) => ({
                title: `a custom attribute name with ${what}`,
                config: { users: alice, passwords: { alice: passwords.alice }, customAttributes: ["tenant", name] },
                expect: [
                    new RegExp(
                        `^cognito-auth:customAttributes: ${JSON.stringify(JSON.stringify(name)).slice(1, -1)} must be 1-20 letters, digits, "_" or "-" \\(without the "custom:" prefix\\)$`,
                    ),
                ],
            })),
            ...(
                [
                    ["an account id of 11 digits", "arn:aws:iam::12345678901:policy/app"],
                    ["a role ARN", "arn:aws:iam::123456789012:role/app"],
                    ["no policy name", "arn:aws:iam::aws:policy/"],
                    ["text before the ARN", "x arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
                    ["another service", "arn:aws:sts::123456789012:policy/app"],
                    ["an unknown partition", "arn:azure:iam::aws:policy/AmazonS3ReadOnlyAccess"],
                ] as const
            ).map(([what, arn]) => ({
                title: `a policy ARN with ${what}`,
                config: {
                    users: alice,
                    passwords: { alice: passwords.alice },
                    authenticatedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", arn],
                },
                expect: [
                    new RegExp(
                        `^cognito-auth:authenticatedPolicyArns: "${arn.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" is not an IAM policy ARN$`,
                    ),
                ],
            })),
            ...(
                [
                    [42, "a number"],
                    [null, "null"],
                    [true, "a boolean"],
                ] as const
            ).map(([value, what]) => ({
                title: `a password that is ${what} (set in plain text with --path, which stores a number or boolean as such)`,
                config: { users: alice, passwords: { alice: value } },
                // Only strings count as passwords, so the user also reads as having none.
                expect: [
                    new RegExp(
                        `^cognito-auth:passwords\\.alice: must be a string, not ${what}; set it again as a secret: pulumi config set --secret --path 'passwords\\.alice' -- '<password>'$`,
                    ),
                    /^cognito-auth:users\.alice: has no password/,
                ],
            })),
            ...(
                [
                    ["idTokenMinutes", 1441, "5 to 1440"],
                    ["refreshTokenDays", 0, "1 to 3650"],
                    ["refreshTokenDays", 3651, "1 to 3650"],
                    ["accessTokenMinutes", 30.5, "5 to 1440"],
                ] as const
            ).map(([key, value, range]) => ({
                title: `tokenValidity.${key} ${value}`,
                config: { users: alice, passwords: { alice: passwords.alice }, tokenValidity: { [key]: value } },
                expect: [new RegExp(`^cognito-auth:tokenValidity\\.${key}: must be a whole number from ${range}$`)],
            })),
            {
                title: "an MFA mode in lower case",
                config: { users: alice, passwords: { alice: passwords.alice }, mfa: "on" },
                expect: [/^cognito-auth:mfa: "on" is not an MFA mode; use one of OFF, OPTIONAL, ON$/],
            },
            {
                title: "usernames that differ only in case",
                config: {
                    users: { Alice: { email: "a1@example.com" }, alice: { email: "a2@example.com" } },
                    passwords: { Alice: passwords.alice, alice: passwords.bob },
                },
                expect: [/cognito-auth:users\.alice: same username as cognito-auth:users\.Alice \(usernames are case-insensitive\)/],
            },
            {
                title: "an unknown attribute",
                config: {
                    users: { alice: { email: "alice@example.com", attributes: { shoe_size: "9" } } },
                    passwords: { alice: passwords.alice },
                },
                expect: [/users\.alice: attribute "shoe_size" is not a Cognito standard attribute/],
            },
            {
                title: "an undeclared custom: attribute",
                config: {
                    users: { alice: { email: "alice@example.com", attributes: { "custom:tenant": "acme" } } },
                    passwords: { alice: passwords.alice },
                },
                expect: [/users\.alice: attribute "custom:tenant" is not declared in the pool's custom attributes/],
            },
            // Nested keys are checked like top-level ones: a typo names the key and lists the known ones.
            {
                title: "a typo inside passwordPolicy",
                config: { users: alice, passwords: { alice: passwords.alice }, passwordPolicy: { minLength: 16 } },
                expect: [
                    /^cognito-auth:passwordPolicy\.minLength: unknown setting; known: minimumLength, requireLowercase, requireUppercase, requireNumbers, requireSymbols, temporaryPasswordValidityDays, passwordHistorySize$/,
                ],
            },
            {
                title: "a typo inside tokenValidity",
                config: { users: alice, passwords: { alice: passwords.alice }, tokenValidity: { accessTokenMinuts: 30 } },
                expect: [
                    /^cognito-auth:tokenValidity\.accessTokenMinuts: unknown setting; known: accessTokenMinutes, idTokenMinutes, refreshTokenDays$/,
                ],
            },
            {
                title: "a typo inside a user",
                config: { users: { alice: { email: "alice@example.com", group: ["admins"] } }, passwords: { alice: passwords.alice } },
                expect: [
                    /^cognito-auth:users\.alice\.group: unknown setting; known: email, attributes, enabled, groups, mfa, totpGeneration$/,
                ],
            },
            {
                title: "a password policy flag that is not true/false",
                config: { users: alice, passwords: { alice: passwords.alice }, passwordPolicy: { requireSymbols: "yes" } },
                expect: [/cognito-auth:passwordPolicy\.requireSymbols: must be true or false/],
            },
            {
                title: "a password policy that is not an object",
                config: { users: alice, passwords: { alice: passwords.alice }, passwordPolicy: "16" },
                expect: [/cognito-auth:passwordPolicy: must be a map of policy keys to values/],
            },
            {
                title: "a boolean setting that is not true/false",
                config: { users: alice, passwords: { alice: passwords.alice }, deletionProtection: "maybe" },
                expect: [/cognito-auth:deletionProtection: must be true or false/],
            },
            {
                title: "customAttributes set as a bare name instead of a list",
                config: { users: alice, passwords: { alice: passwords.alice }, customAttributes: "tenant" },
                expect: [/cognito-auth:customAttributes: must be a list of attribute names/],
            },
            {
                title: "an email that is not text",
                config: { users: { alice: { email: 42 } }, passwords: { alice: passwords.alice } },
                expect: [/cognito-auth:users\.alice\.email: must be a non-empty string/],
            },
            ...([5, true, "name=John", ["name"]] as unknown[]).map((attributes) => ({
                title: `attributes given as ${JSON.stringify(attributes)} (not a map)`,
                config: { users: { alice: { email: "alice@example.com", attributes } }, passwords: { alice: passwords.alice } },
                expect: [/^cognito-auth:users\.alice: attributes must be a map of attribute name to string$/],
                absent: [/attribute "0"/, /attribute "1"/],
            })),
            {
                title: "a password equal to its username, ignoring case",
                config: { users: { "Winter#Sunset-2024x": {} }, passwords: { "Winter#Sunset-2024x": "WINTER#sunset-2024X" } },
                expect: [/cognito-auth:passwords\.Winter#Sunset-2024x: password must not be the same as the username \(ignoring case\)/],
                secrets: ["WINTER#sunset-2024X"],
            },
            ...(
                [
                    ["a line feed", "\n"],
                    ["a carriage return", "\r"],
                    ["a line separator (U+2028)", "\u2028"],
                    ["a paragraph separator (U+2029)", "\u2029"],
                    ["a tab", "\t"],
                ] as const
            ).map(([what, character]) => ({
                title: `a password with ${what} inside`,
                config: { users: alice, passwords: { alice: `Alice#Secret${character}4217xq` } },
                expect: [
                    /cognito-auth:passwords\.alice: password must not contain line breaks, tabs, other whitespace or control characters/,
                ],
                secrets: [`Alice#Secret${character}4217xq`, "Alice#Secret"],
            })),
            {
                // 11 code points but 14 UTF-16 units: counted as AWS does, it is too short for 12.
                title: "a password of 11 characters, 3 of them emoji",
                config: { users: alice, passwords: { alice: "Ab1#xyzw\u{1F600}\u{1F600}\u{1F600}" } },
                expect: [/cognito-auth:passwords\.alice: password must be at least 12 characters long/],
                secrets: ["Ab1#xyzw\u{1F600}\u{1F600}\u{1F600}"],
            },
            {
                title: "a password for a user named like an Object.prototype member (toString) that is not configured",
                config: { users: alice, passwords: { alice: passwords.alice, toString: passwords.bob } },
                expect: [/cognito-auth:passwords\.toString: password for a user that is not in cognito-auth:users/],
            },
            {
                title: "a user named constructor without a password",
                config: { users: { ...alice, constructor: { email: "c@example.com" } }, passwords: { alice: passwords.alice } },
                expect: [/cognito-auth:users\.constructor: has no password/],
            },
            {
                title: "attribute names __proto__, constructor and toString",
                config: {
                    users: {
                        alice: {
                            email: "alice@example.com",
                            attributes: JSON.parse('{"__proto__": "x", "constructor": "y", "toString": "z"}'),
                        },
                    },
                    passwords: { alice: passwords.alice },
                },
                expect: [
                    /cognito-auth:users\.alice: attribute "__proto__" is not a Cognito standard attribute/,
                    /cognito-auth:users\.alice: attribute "constructor" is not a Cognito standard attribute/,
                    /cognito-auth:users\.alice: attribute "toString" is not a Cognito standard attribute/,
                ],
            },
        ];
        for (const testCase of cases) {
            it(`refuses ${testCase.title}, naming the key and rule but not the password`, function () {
                const secrets = [...Object.values(passwords), ...(testCase.secrets ?? [])];
                const { problems } = read({ config: testCase.config, ...testCase.options, secrets });
                const listed = problems.join("\n");
                for (const pattern of testCase.expect)
                    expect(
                        problems.some((p) => pattern.test(p)),
                        `${pattern} in:\n${listed}`,
                    ).to.equal(true);
                for (const pattern of testCase.absent ?? [])
                    expect(
                        problems.some((p) => pattern.test(p)),
                        `${pattern} in:\n${listed}`,
                    ).to.equal(false);
                // Each problem once, and no other: a rule that fires twice or for the wrong key shows here.
                expect(problems, listed).to.have.lengthOf(testCase.problems ?? testCase.expect.length);
            });
        }

        describe("with userPoolId", function () {
            const userPoolId = "ap-northeast-1_AbC123xyz";
            const ownedPoolOnly: [string, unknown][] = [
                ["userPoolName", "acme-auth"],
                ["clientName", "web"],
                ["identityPoolName", "web-identities"],
                ["allowUnauthenticatedIdentities", false],
                ["mfa", "ON"],
                ["deletionProtection", true],
                ["generateClientSecret", false],
                ["tokenValidity", { accessTokenMinutes: 30 }],
                ["customAttributes", ["tenant"]],
                ["authenticatedPolicyArns", ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]],
                ["unauthenticatedPolicyArns", ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]],
            ];
            for (const [key, value] of ownedPoolOnly) {
                it(`refuses ${key}, which applies only to a pool this stack creates`, function () {
                    expect(problemsOf({ config: { userPoolId, ...twoUsers(), [key]: value } })).to.deep.equal([
                        `cognito-auth:${key}: applies only to a pool this stack creates; remove it, or unset cognito-auth:userPoolId`,
                    ]);
                });
            }

            it("refuses passwordPolicy.temporaryPasswordValidityDays, which applies only to a pool this stack creates", function () {
                const passwordPolicy = { minimumLength: 10, temporaryPasswordValidityDays: 3 };
                expect(problemsOf({ config: { userPoolId, ...twoUsers(), passwordPolicy } })).to.deep.equal([
                    "cognito-auth:passwordPolicy.temporaryPasswordValidityDays: applies only to a pool this stack creates; remove it, or unset cognito-auth:userPoolId",
                ]);
            });
        });
    });
});
