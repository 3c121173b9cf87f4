import { expect } from "chai";
import { componentPasswordPolicy, unknownValue } from "../harness/users";
import {
    PasswordRules,
    attributesNotAMap,
    codePointLength,
    cognitoDefaultPasswordRules,
    passwordProblems,
    userPoolIdProblem,
    userPoolRegion,
    userProblems,
} from "../providers/rules";

// The shared user rules (providers/rules.ts) called directly, table by table. The same functions
// run in the config reader at program start and in the user provider's check at preview.

/** 12 characters with all four classes (the component's default policy). */
const strict: PasswordRules = componentPasswordPolicy;
/** One astral character: one code point, two UTF-16 units. */
const emoji = "\u{1F600}";
/** A password that meets `strict`. */
const good = "Correct#Horse-9battery";

/** Every message of every case is checked for the password it was given. */
function expectNotQuoted(messages: string[], password: unknown) {
    if (typeof password !== "string" || password.length < 3) return;
    for (const message of messages) expect(message, "a message quotes the password").to.not.include(password);
}

describe("rules", function () {
    describe("codePointLength counts as AWS does (code points, not UTF-16 units)", function () {
        const cases: [string, string, number][] = [
            ["empty", "", 0],
            ["ASCII", "abc", 3],
            ["one emoji (2 UTF-16 units)", emoji, 1],
            ["emoji between letters", `a${emoji}b`, 3],
            ["a letter and a combining mark are two", "e\u0301", 2],
        ];
        for (const [title, text, length] of cases) {
            it(`${title}: ${length}`, function () {
                expect(codePointLength(text)).to.equal(length);
            });
        }
    });

    describe("passwordProblems", function () {
        const cases: { title: string; password: unknown; rules?: PasswordRules; username?: string; expect: RegExp[] | "none" }[] = [
            { title: "a password meeting the policy", password: good, expect: "none" },
            { title: "no password", password: undefined, expect: [/^a password is required$/] },
            { title: "an empty password", password: "", expect: [/^a password is required$/] },
            { title: "a number instead of text", password: 12345678901234, expect: [/^a password is required$/] },
            { title: "one character short", password: "Correct#Ho9", expect: [/at least 12 characters/] },
            { title: "no lowercase letter", password: "CORRECT#HORSE-9", expect: [/lowercase letter/] },
            { title: "no uppercase letter", password: "correct#horse-9", expect: [/uppercase letter/] },
            { title: "no number", password: "Correct#Horse-x", expect: [/number \(0-9\)/] },
            { title: "no symbol", password: "CorrectHorse9x", expect: [/symbol, one of/] },
            { title: "a space inside counts as a symbol", password: "Correct Horse9x", expect: "none" },
            // Length in code points: 8 with 4 emoji (12 UTF-16 units) meets a minimum of 8 ...
            {
                title: "8 code points (4 of them emoji) against a minimum of 8",
                password: `Aa1#${emoji.repeat(4)}`,
                rules: cognitoDefaultPasswordRules,
                expect: "none",
            },
            // ... and 7 (10 UTF-16 units, which would pass if units were counted) does not.
            {
                title: "7 code points (10 UTF-16 units) against a minimum of 8",
                password: `Aa1#${emoji.repeat(3)}`,
                rules: cognitoDefaultPasswordRules,
                expect: [/at least 8 characters/],
            },
            { title: "256 code points (508 UTF-16 units)", password: `Aa1#${emoji.repeat(252)}`, expect: "none" },
            { title: "257 code points", password: `Aa1#${emoji.repeat(253)}`, expect: [/at most 256 characters/] },
            { title: "a line feed inside", password: "Correct#Horse\n9battery", expect: [/line breaks, tabs/] },
            { title: "a carriage return inside", password: "Correct#Horse\r9battery", expect: [/line breaks, tabs/] },
            { title: "a line separator (U+2028) inside", password: "Correct#Horse\u20289battery", expect: [/line breaks, tabs/] },
            { title: "a paragraph separator (U+2029) inside", password: "Correct#Horse\u20299battery", expect: [/line breaks, tabs/] },
            { title: "a next-line (U+0085) inside", password: "Correct#Horse\u00859battery", expect: [/line breaks, tabs/] },
            { title: "a tab inside", password: "Correct#Horse\t9battery", expect: [/line breaks, tabs/] },
            { title: "a no-break space (U+00A0) inside", password: "Correct#Horse\u00a09battery", expect: [/line breaks, tabs/] },
            { title: "an ideographic space (U+3000) inside", password: "Correct#Horse\u30009battery", expect: [/line breaks, tabs/] },
            { title: "a NUL character inside", password: "Correct#Horse\u00009battery", expect: [/control characters/] },
            { title: "a trailing line feed", password: `${good}\n`, expect: [/line breaks, tabs/] },
            { title: "a leading space", password: ` ${good}`, expect: [/must not begin or end with a space/] },
            { title: "a trailing space", password: `${good} `, expect: [/must not begin or end with a space/] },
            { title: "a lone surrogate", password: `${good}\ud800`, expect: [/lone surrogate/] },
            {
                title: "the username itself",
                password: "Alice#Wonder-1land",
                username: "Alice#Wonder-1land",
                expect: [/must not be the same as the username \(ignoring case\)/],
            },
            {
                title: "the username in other case",
                password: "ALICE#WONDER-1land",
                username: "alice#wonder-1LAND",
                expect: [/must not be the same as the username/],
            },
            { title: "a password containing the username (allowed)", password: "alice-Correct#9x", username: "alice", expect: "none" },
            { title: "no username given (the two-argument call)", password: good, username: undefined, expect: "none" },
        ];
        for (const testCase of cases) {
            it(`${testCase.title}: ${testCase.expect === "none" ? "accepted" : "refused"}`, function () {
                const problems = passwordProblems(testCase.password, testCase.rules ?? strict, testCase.username);
                if (testCase.expect === "none") expect(problems).to.deep.equal([]);
                else {
                    expect(problems, JSON.stringify(problems)).to.have.lengthOf(testCase.expect.length);
                    testCase.expect.forEach((pattern, index) => expect(problems[index]).to.match(pattern));
                }
                expectNotQuoted(problems, testCase.password);
            });
        }

        // Cognito's symbols (DESIGN.md 6): each one alone satisfies requireSymbols; a letter, digit
        // or other character does not.
        for (const symbol of [..."^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-", " "]) {
            it(`counts ${symbol === " " ? "an inner space" : symbol} as a symbol`, function () {
                expect(passwordProblems(`Correct${symbol}Horse9x`, strict)).to.deep.equal([]);
            });
        }
        for (const [what, character] of [
            ["a letter", "q"],
            ["a digit", "7"],
            ["an accented letter", "é"],
            ["a currency sign outside the list (€)", "€"],
            ["an emoji", emoji],
        ]) {
            it(`does not count ${what} as a symbol`, function () {
                expect(passwordProblems(`Correct${character}Horse9x`, strict)).to.deep.equal([
                    `password must contain a symbol, one of ^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+-`,
                ]);
            });
        }

        it("checks only the rules the policy turns on", function () {
            const lax: PasswordRules = {
                minimumLength: 6,
                requireLowercase: false,
                requireUppercase: false,
                requireNumbers: false,
                requireSymbols: false,
            };
            expect(passwordProblems("abcdef", lax)).to.deep.equal([]);
            expect(passwordProblems("abcde", lax)).to.deep.equal(["password must be at least 6 characters long"]);
        });

        it("Cognito's default policy is 8 characters with all four classes", function () {
            expect(cognitoDefaultPasswordRules).to.deep.equal({
                minimumLength: 8,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
            });
        });
    });

    describe("userProblems", function () {
        const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
        const cases: {
            title: string;
            user: Record<string, unknown>;
            policy?: PasswordRules;
            custom?: string[];
            expect: [string, RegExp][];
        }[] = [
            {
                title: "a valid user",
                user: {
                    username: "alice",
                    password: good,
                    attributes: { email: "alice@example.com", name: "Alice" },
                    groups: ["admins"],
                    enabled: true,
                },
                policy: strict,
                expect: [],
            },
            { title: "an empty username", user: { username: "" }, expect: [["username", /non-empty string/]] },
            { title: "a username that is not text", user: { username: 42 }, expect: [["username", /non-empty string/]] },
            {
                title: "a username with a space",
                user: { username: "alice smith" },
                expect: [["username", /only letters, marks, symbols, numbers and punctuation/]],
            },
            { title: "a username with a tab", user: { username: "alice\tsmith" }, expect: [["username", /only letters/]] },
            { title: "128 emoji as a username (128 code points, 256 UTF-16 units)", user: { username: emoji.repeat(128) }, expect: [] },
            { title: "129 emoji as a username", user: { username: emoji.repeat(129) }, expect: [["username", /at most 128 characters/]] },
            { title: "129 letters as a username", user: { username: "u".repeat(129) }, expect: [["username", /at most 128 characters/]] },
            ...["__proto__", "constructor", "toString"].map((name) => ({
                title: `the username ${name}`,
                user: { username: name, password: good, groups: [name] },
                policy: strict,
                expect: [] as [string, RegExp][],
            })),
            {
                title: "a password equal to the username",
                user: { username: "Correct#Horse-9battery", password: good },
                policy: strict,
                expect: [["password", /must not be the same as the username \(ignoring case\)/]],
            },
            {
                title: "a password that is part of the username (the username is plain text)",
                user: { username: `svc-${good.toUpperCase()}-01`, password: good },
                policy: strict,
                expect: [["password", /^password must not be part of the username \(ignoring case\): the username is plain text/]],
            },
            {
                title: "a password inside an attribute value, in another case (attributes are plain text)",
                user: { username: "alice", password: good, attributes: { name: "Alice", "custom:note": `pw is ${good.toLowerCase()}!` } },
                policy: strict,
                expect: [["password", /^password must not appear in attribute "custom:note" \(ignoring case\): attributes are plain text/]],
            },
            {
                title: "a password equal to the username without a policy (not checked)",
                user: { username: good, password: good },
                expect: [],
            },
            {
                title: "a password with a line break",
                user: { username: "alice", password: "Correct#Horse\n9battery" },
                policy: strict,
                expect: [["password", /line breaks/]],
            },
            {
                title: "an unknown username (preview) with a password",
                user: { username: unknownValue, password: good },
                policy: strict,
                expect: [],
            },
            { title: "an unknown password (preview)", user: { username: "alice", password: unknownValue }, policy: strict, expect: [] },
            ...[5, true, "name=John", ["name"], null].map((attributes) => ({
                title: `attributes ${JSON.stringify(attributes)}`,
                user: { username: "alice", attributes },
                expect: [["attributes", new RegExp(`^${attributesNotAMap}$`)]] as [string, RegExp][],
            })),
            {
                title: "attribute names __proto__, constructor and toString",
                user: { username: "alice", attributes: json('{"__proto__": "x", "constructor": "y", "toString": "z"}') },
                expect: [
                    ["attributes", /^attribute "__proto__" is not a Cognito standard attribute/],
                    ["attributes", /^attribute "constructor" is not a Cognito standard attribute/],
                    ["attributes", /^attribute "toString" is not a Cognito standard attribute/],
                ],
            },
            {
                title: "an attribute value that is not text",
                user: { username: "alice", attributes: { name: 5 } },
                expect: [["attributes", /attribute "name" must be a string/]],
            },
            {
                title: "2048 emoji as an attribute value (4096 UTF-16 units)",
                user: { username: "alice", attributes: { name: emoji.repeat(2048) } },
                expect: [],
            },
            {
                title: "2049 emoji as an attribute value",
                user: { username: "alice", attributes: { name: emoji.repeat(2049) } },
                expect: [["attributes", /attribute "name" must be at most 2048 characters/]],
            },
            {
                title: "a lone surrogate in an attribute value",
                user: { username: "alice", attributes: { name: "Al\udc00ice" } },
                expect: [["attributes", /lone surrogate/]],
            },
            {
                title: "a malformed email",
                user: { username: "alice", attributes: { email: "alice-at-example" } },
                expect: [["attributes", /attribute "email" is not a valid email address/]],
            },
            {
                title: "a phone number not in E.164 form",
                user: { username: "alice", attributes: { phone_number: "03-1234-5678" } },
                expect: [["attributes", /E\.164/]],
            },
            // E.164 as Cognito takes it: "+" and 4 to 15 digits.
            ...["+1234", "+81312345678", `+${"9".repeat(15)}`].map((phone) => ({
                title: `the phone number ${phone}`,
                user: { username: "alice", attributes: { phone_number: phone } },
                expect: [] as [string, RegExp][],
            })),
            ...["+123", `+${"9".repeat(16)}`, "81312345678", "+8131234567x", " +81312345678", "+81312345678 "].map((phone) => ({
                title: `the phone number ${JSON.stringify(phone)}`,
                user: { username: "alice", attributes: { phone_number: phone } },
                expect: [["attributes", /^attribute "phone_number" must be in E\.164 form such as \+81312345678$/]] as [string, RegExp][],
            })),
            {
                title: "a *_verified value other than true/false",
                user: { username: "alice", attributes: { email_verified: "yes" } },
                expect: [["attributes", /"true" or "false"/]],
            },
            ...["email_verified", "phone_number_verified"].flatMap((name) => [
                ...["true", "false"].map((value) => ({
                    title: `${name} "${value}"`,
                    user: { username: "alice", attributes: { [name]: value } },
                    expect: [] as [string, RegExp][],
                })),
                ...["TRUE", "1", "", "yes"].map((value) => ({
                    title: `${name} ${JSON.stringify(value)}`,
                    user: { username: "alice", attributes: { [name]: value } },
                    expect: [["attributes", new RegExp(`^attribute "${name}" must be "true" or "false"$`)]] as [string, RegExp][],
                })),
            ]),
            {
                title: '"yes" in an attribute whose name does not end in _verified',
                user: { username: "alice", attributes: { nickname: "yes" } },
                expect: [],
            },
            {
                title: "2048 ASCII characters as an attribute value",
                user: { username: "alice", attributes: { name: "n".repeat(2048) } },
                expect: [],
            },
            {
                title: "2049 ASCII characters as an attribute value",
                user: { username: "alice", attributes: { name: "n".repeat(2049) } },
                expect: [["attributes", /^attribute "name" must be at most 2048 characters long$/]],
            },
            {
                title: "an email at the limit of 2048 characters",
                user: { username: "alice", attributes: { email: `${"a".repeat(2036)}@example.com` } },
                expect: [],
            },
            {
                title: "an email of 2049 characters",
                user: { username: "alice", attributes: { email: `${"a".repeat(2037)}@example.com` } },
                expect: [["attributes", /^attribute "email" must be at most 2048 characters long$/]],
            },
            {
                title: "an unknown standard-looking attribute",
                user: { username: "alice", attributes: { shoe_size: "9" } },
                expect: [["attributes", /"shoe_size" is not a Cognito standard attribute/]],
            },
            {
                title: "a custom attribute when the schema is unknown (existing pool)",
                user: { username: "alice", attributes: { "custom:tenant": "acme" } },
                expect: [],
            },
            {
                title: "a custom attribute with an empty name",
                user: { username: "alice", attributes: { "custom:": "acme" } },
                expect: [["attributes", /"custom:" is not a well-formed custom attribute/]],
            },
            {
                title: "a custom attribute name of 21 characters",
                user: { username: "alice", attributes: { [`custom:${"t".repeat(21)}`]: "acme" } },
                expect: [["attributes", /not a well-formed custom attribute: .*at most 20 characters/]],
            },
            {
                title: "a custom attribute name of 20 emoji",
                user: { username: "alice", attributes: { [`custom:${emoji.repeat(20)}`]: "acme" } },
                expect: [],
            },
            {
                title: "a custom attribute name with a space",
                user: { username: "alice", attributes: { "custom:my tenant": "acme" } },
                expect: [["attributes", /not a well-formed custom attribute/]],
            },
            {
                title: "a declared custom attribute",
                user: { username: "alice", attributes: { "custom:tenant": "acme" } },
                custom: ["tenant"],
                expect: [],
            },
            {
                title: "an undeclared custom attribute",
                user: { username: "alice", attributes: { "custom:tenant": "acme" } },
                custom: ["team"],
                expect: [["attributes", /"custom:tenant" is not declared in the pool's custom attributes/]],
            },
            {
                title: "groups that are not a list",
                user: { username: "alice", groups: "admins" },
                expect: [["groups", /groups must be a list of group names/]],
            },
            {
                title: "a group name with a space",
                user: { username: "alice", groups: ["site admins"] },
                expect: [["groups", /group "site admins" may contain only/]],
            },
            {
                title: "a group name of 129 characters",
                user: { username: "alice", groups: ["g".repeat(129)] },
                expect: [["groups", /at most 128 characters/]],
            },
            {
                title: "enabled that is not true/false",
                user: { username: "alice", enabled: "yes" },
                expect: [["enabled", /enabled must be true or false/]],
            },
            {
                title: "values unknown during preview",
                user: { username: "alice", attributes: unknownValue, groups: unknownValue, enabled: unknownValue },
                expect: [],
            },
        ];
        for (const testCase of cases) {
            it(`${testCase.title}: ${testCase.expect.length ? "refused" : "accepted"}`, function () {
                const problems = userProblems(testCase.user as any, testCase.policy, testCase.custom, unknownValue);
                expect(
                    problems.map(([property]) => property),
                    JSON.stringify(problems),
                ).to.deep.equal(testCase.expect.map(([property]) => property));
                testCase.expect.forEach(([, pattern], index) => expect(problems[index][1]).to.match(pattern));
                expectNotQuoted(
                    problems.map(([, problem]) => problem),
                    testCase.user.password,
                );
            });
        }
    });

    describe("userPoolIdProblem and userPoolRegion", function () {
        const valid: [string, string][] = [
            ["us-east-1_AbC123xyz", "us-east-1"],
            ["ap-northeast-1_a", "ap-northeast-1"],
            ["us-gov-west-1_0", "us-gov-west-1"],
            [`${"r".repeat(53)}_x`, "r".repeat(53)],
        ];
        for (const [id, region] of valid) {
            it(`accepts ${id.length > 30 ? `a ${id.length}-character id` : id} (region ${region.length > 20 ? "..." : region})`, function () {
                expect(userPoolIdProblem(id)).to.equal(undefined);
                expect(userPoolRegion(id)).to.equal(region);
            });
        }
        const invalid: [string, unknown, RegExp][] = [
            ["empty", "", /such as us-east-1_AbC123xyz/],
            ["not text", 42, /such as us-east-1_AbC123xyz/],
            ["no underscore", "us-east-1AbC123", /<region>_<letters and digits>/],
            ["nothing after the underscore", "us-east-1_", /<region>_<letters and digits>/],
            ["nothing before the underscore", "_AbC123", /<region>_<letters and digits>/],
            ["a hyphen after the underscore", "us-east-1_AbC-123", /<region>_<letters and digits>/],
            ["a space", "us-east-1_AbC 123", /<region>_<letters and digits>/],
            ["56 characters", `${"r".repeat(54)}_x`, /at most 55 characters/],
            ["a path with a slash", "userpool/us-east-1_AbC123", /<region>_<letters and digits>/],
        ];
        for (const [title, id, pattern] of invalid) {
            it(`refuses ${title}`, function () {
                expect(userPoolIdProblem(id)).to.match(pattern);
            });
        }
    });

    // Cases that mutation testing (docs/mutation-testing.md) showed no other test pins.
    describe("exact messages and edge cases", function () {
        it("names the username, the custom attribute and the group in the message", function () {
            expect(userProblems({ username: "" })).to.deep.equal([["username", "username must be a non-empty string"]]);
            expect(userProblems({ username: "alice", attributes: { "custom:": "acme" } })).to.deep.equal([
                [
                    "attributes",
                    'attribute "custom:" is not a well-formed custom attribute: its name after "custom:" must be a non-empty string',
                ],
            ]);
            expect(userProblems({ username: "alice", groups: ["a b"] })).to.deep.equal([
                [
                    "groups",
                    'group "a b" may contain only letters, marks, symbols, numbers and punctuation (no spaces or control characters)',
                ],
            ]);
        });

        it("a username that is not text, with a password: the username is refused and the password is still checked", function () {
            expect(userProblems({ username: 42, password: good }, strict)).to.deep.equal([
                ["username", "username must be a non-empty string"],
            ]);
            expect(userProblems({ username: 42, password: "short" }, strict).map(([property]) => property)).to.deep.equal([
                "username",
                "password",
                "password",
                "password",
                "password",
            ]);
        });

        it("an unknown username (preview) is not compared with the password", function () {
            // The engine's placeholder in capitals: the same text ignoring case, but not the username.
            const password = unknownValue.toUpperCase();
            const noLowercase = { ...strict, requireLowercase: false };
            expect(passwordProblems(password, noLowercase), "meets the policy").to.deep.equal([]);
            expect(userProblems({ username: unknownValue, password }, noLowercase, undefined, unknownValue)).to.deep.equal([]);
        });

        it("a password equal to the username ignoring case: caught by upper case where lower case differs (ß) and the reverse (Kelvin sign)", function () {
            // "Straße".toLowerCase() keeps ß, "STRASSE" lowers to "strasse"; both upper-case to "STRASSE".
            const same = "password must not be the same as the username (ignoring case)";
            expect(passwordProblems("STRASSE-Pass9", strict, "Straße-pass9")).to.deep.equal([same]);
            // The Kelvin sign K (U+212A) lower-cases to "k" but upper-cases to itself, not to "K".
            expect(passwordProblems("\u212Aelvin-Pass9x", strict, "kelvin-pass9X")).to.deep.equal([same]);
            expect(passwordProblems("Kelvin-Pass9x", strict, "Kelvin-Pass9y"), "one character apart").to.deep.equal([]);
        });

        it("a space at either end is not counted as the password's symbol", function () {
            for (const password of ["CorrectHorse9x ", " CorrectHorse9x"]) {
                expect(passwordProblems(password, strict), JSON.stringify(password)).to.deep.equal([
                    "password must not begin or end with a space",
                    `password must contain a symbol, one of ^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+-`,
                ]);
            }
        });

        it("accepts each of Cognito's standard attributes, and refuses sub (Cognito's own)", function () {
            const values: Record<string, string> = {
                address: "1 Main St",
                birthdate: "1990-01-31",
                email: "alice@example.com",
                email_verified: "true",
                family_name: "Liddell",
                gender: "female",
                given_name: "Alice",
                locale: "en-GB",
                middle_name: "Pleasance",
                name: "Alice Liddell",
                nickname: "Al",
                phone_number: "+441234567890",
                phone_number_verified: "false",
                picture: "https://example.com/a.png",
                preferred_username: "alice_l",
                profile: "https://example.com/alice",
                updated_at: "1700000000",
                website: "https://example.com",
                zoneinfo: "Europe/London",
            };
            for (const [name, value] of Object.entries(values)) {
                expect(userProblems({ username: "alice", attributes: { [name]: value } }), name).to.deep.equal([]);
            }
            expect(userProblems({ username: "alice", attributes: { sub: "x" } })).to.deep.equal([
                ["attributes", 'attribute "sub" is not a Cognito standard attribute (use "custom:<name>" for custom ones)'],
            ]);
        });

        it("an email address must be the whole value, not a part of it", function () {
            for (const email of ["not an email alice@example.com", "alice@example.com and more", "alice@example.com\nbob"]) {
                expect(userProblems({ username: "alice", attributes: { email } }), JSON.stringify(email)).to.deep.equal([
                    ["attributes", `attribute "email" is not a valid email address: ${JSON.stringify(email)}`],
                ]);
            }
        });
    });
});
