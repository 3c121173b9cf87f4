import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { validateArgs } from "../components/validation";
import { defaults, userDefaults } from "../components/settings";
import { shown } from "../scripts/configDocs";

// The checks of the settings table (components/settings.ts), through validateArgs with exact
// messages: each names the setting and its rule. Cases that mutation testing
// (docs/mutation-testing.md) showed no other test pins: values of the wrong shape that a looser
// check would let through, or refuse with another message.

/** validateArgs with the stack-config reader's prefix. */
const problems = (args: Record<string, unknown>) => validateArgs(args, { keyPrefix: "cognito-auth:" });

describe("settings table checks", function () {
    it("a name setting must be a non-empty string: not empty, not a number, not a list", function () {
        for (const key of ["userPoolName", "clientName", "identityPoolName"]) {
            for (const value of ["", 5, ["x"]]) {
                expect(problems({ [key]: value }), `${key}: ${JSON.stringify(value)}`).to.deep.equal([
                    `cognito-auth:${key}: must be a non-empty string`,
                ]);
            }
            expect(problems({ [key]: "x" }), key).to.deep.equal([]);
        }
    });

    it("a user's email must be a non-empty string, not a list (an empty one is also refused as an email address)", function () {
        const user = (email: unknown) => problems({ users: { alice: { email } }, passwords: { alice: "Correct#Horse-9battery" } });
        expect(user("")).to.deep.equal([
            "cognito-auth:users.alice.email: must be a non-empty string",
            'cognito-auth:users.alice: attribute "email" is not a valid email address: ""',
        ]);
        // A list is not made an attribute at all.
        expect(user(["alice@example.com"])).to.deep.equal(["cognito-auth:users.alice.email: must be a non-empty string"]);
    });

    it("a map setting refuses a list, which has no keys to check", function () {
        const cases: [string, string][] = [
            ["users", "must be a map of username to { email, attributes, enabled, groups }"],
            ["passwords", "must be a map of username to password"],
            ["passwordPolicy", 'must be a map of policy keys to values, such as { "minimumLength": 12 }'],
            ["tokenValidity", 'must be a map of token kinds to lifetimes, such as { "accessTokenMinutes": 60 }'],
        ];
        for (const [key, message] of cases) {
            for (const value of [[], "x", null]) {
                expect(problems({ [key]: value }), `${key}: ${JSON.stringify(value)}`).to.deep.equal([`cognito-auth:${key}: ${message}`]);
            }
        }
    });

    it("a list setting refuses entries that are not text, even if they would read as a valid name", function () {
        expect(problems({ customAttributes: [5] })).to.deep.equal(["cognito-auth:customAttributes: must be a list of attribute names"]);
        expect(problems({ customAttributes: "tenant" })).to.deep.equal([
            "cognito-auth:customAttributes: must be a list of attribute names",
        ]);
        expect(problems({ customAttributes: ["tenant", "a b"] })).to.deep.equal([
            'cognito-auth:customAttributes: "a b" must be 1-20 letters, digits, "_" or "-" (without the "custom:" prefix)',
        ]);
        expect(problems({ authenticatedPolicyArns: [5] })).to.deep.equal([
            "cognito-auth:authenticatedPolicyArns: must be a list of IAM policy ARNs",
        ]);
        expect(problems({ unauthenticatedPolicyArns: [5], allowUnauthenticatedIdentities: true })).to.deep.equal([
            "cognito-auth:unauthenticatedPolicyArns: must be a list of IAM policy ARNs",
        ]);
    });

    it("a policy ARN must be the whole value: nothing after a line break", function () {
        const arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        expect(problems({ authenticatedPolicyArns: [arn] })).to.deep.equal([]);
        expect(problems({ authenticatedPolicyArns: [`${arn}\nanything`] })).to.deep.equal([
            `cognito-auth:authenticatedPolicyArns: ${JSON.stringify(`${arn}\nanything`)} is not an IAM policy ARN`,
        ]);
    });

    it("whole numbers: a number as text is refused, the bounds are inclusive", function () {
        expect(problems({ passwordPolicy: { minimumLength: "12" } })).to.deep.equal([
            "cognito-auth:passwordPolicy.minimumLength: must be a whole number from 6 to 99",
        ]);
        expect(problems({ tokenValidity: { accessTokenMinutes: 5, idTokenMinutes: 1440, refreshTokenDays: 3650 } })).to.deep.equal([]);
        expect(problems({ tokenValidity: { accessTokenMinutes: 4, idTokenMinutes: 1441, refreshTokenDays: 0 } })).to.deep.equal([
            "cognito-auth:tokenValidity.accessTokenMinutes: must be a whole number from 5 to 1440",
            "cognito-auth:tokenValidity.idTokenMinutes: must be a whole number from 5 to 1440",
            "cognito-auth:tokenValidity.refreshTokenDays: must be a whole number from 1 to 3650",
        ]);
    });

    it("mfa: one of OFF, OPTIONAL, ON, as text", function () {
        for (const mfa of ["OFF", "OPTIONAL", "ON"]) expect(problems({ mfa }), mfa).to.deep.equal([]);
        for (const mfa of ["on", ["ON"], true]) {
            expect(problems({ mfa }), JSON.stringify(mfa)).to.deep.equal([
                `cognito-auth:mfa: ${JSON.stringify(mfa)} is not an MFA mode; use one of OFF, OPTIONAL, ON`,
            ]);
        }
    });

    it("shown: a default as the docs print it, in code style", function () {
        expect(shown([])).to.equal("`[]`");
        expect(shown({})).to.equal("`{}`");
        expect(shown("OPTIONAL")).to.equal('`"OPTIONAL"`');
        expect(shown(true)).to.equal("`true`");
        expect(shown(null)).to.equal("`null`");
        expect(shown({ minimumLength: 12, groups: ["a", "b"], nested: { on: false } })).to.equal(
            '`{ minimumLength: 12, groups: ["a", "b"], nested: { on: false } }`',
        );
    });

    it("validateArgs called directly: an unknown argument, a malformed pool id, a user that is not an object", function () {
        expect(validateArgs({ bogus: 1 } as never)).to.deep.equal([
            "bogus: unknown setting; known: userPoolId, userPoolName, clientName, identityPoolName, allowUnauthenticatedIdentities, users, " +
                "passwords, groups, mfa, featurePlan, threatProtection, signInFactors, webAuthn, emailSender, passwordPolicy, deletionProtection, generateClientSecret, tokenValidity, customAttributes, " +
                "authenticatedPolicyArns, unauthenticatedPolicyArns, adoptExistingUsers, userPoolClientId",
        ]);
        expect(validateArgs({ userPoolId: "AbC123xyz" })).to.deep.equal([
            "userPoolId: is not a user pool id: expected <region>_<letters and digits>, such as us-east-1_AbC123xyz",
        ]);
        expect(validateArgs({ users: { "a b": "x" } as never, passwords: { "a b": "Correct#Horse-9battery" } })).to.deep.equal([
            "users.a b: username may contain only letters, marks, symbols, numbers and punctuation (no spaces or control characters)",
            "users.a b: must be an object with optional email, attributes, enabled, groups, mfa, totpGeneration",
        ]);
    });

    it("only userPoolId may be an Output (from another stack); any other setting must be plain", function () {
        expect(validateArgs({ userPoolName: pulumi.output("acme") as never })).to.deep.equal(["userPoolName: must be a non-empty string"]);
        expect(validateArgs({ userPoolId: pulumi.output("not checked here") })).to.deep.equal([]);
    });

    it("validateArgs called directly checks the plain-text passwords among the arguments, not secret ones", function () {
        const users = { alice: {}, bob: {} };
        expect(validateArgs({ users, passwords: { alice: "short", bob: pulumi.secret("short") } })).to.deep.equal([
            "passwords.alice: password must be at least 12 characters long",
            "passwords.alice: password must contain an uppercase letter (A-Z)",
            "passwords.alice: password must contain a number (0-9)",
            "passwords.alice: password must contain a symbol, one of ^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-",
        ]);
    });

    it("usernames that are the same ignoring case, as lower case folds them (the Kelvin sign is a k)", function () {
        const password = "Correct#Horse-9battery";
        expect(
            validateArgs({ users: { kelvin: {}, "\u212Aelvin": {} }, passwords: { kelvin: password, "\u212Aelvin": password } }),
        ).to.deep.equal(["users.\u212Aelvin: same username as users.kelvin (usernames are case-insensitive)"]);
    });

    it("each password-policy switch must be true or false", function () {
        for (const key of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"]) {
            expect(validateArgs({ passwordPolicy: { [key]: "yes" } }), key).to.deep.equal([`passwordPolicy.${key}: must be true or false`]);
        }
    });

    it("the shared defaults cannot be changed by a caller, nested values included", function () {
        const attempts: [string, () => void][] = [
            ["a top-level default", () => Object.assign(defaults, { mfa: "OFF" })],
            ["the password policy's minimum length", () => Object.assign(defaults.passwordPolicy, { minimumLength: 6 })],
            ["a token lifetime", () => Object.assign(defaults.tokenValidity, { accessTokenMinutes: 1440 })],
            ["the default user groups", () => userDefaults.groups.push("admins")],
        ];
        for (const [what, attempt] of attempts) expect(attempt, what).to.throw(TypeError);
        expect([
            defaults.mfa,
            defaults.passwordPolicy.minimumLength,
            defaults.tokenValidity.accessTokenMinutes,
            userDefaults.groups,
        ]).to.deep.equal(["OPTIONAL", 12, 60, []]);
    });

    it("each setting of a created pool is refused with an existing pool; the others are taken", function () {
        const arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        const ownedOnly: Record<string, unknown> = {
            userPoolName: "acme",
            clientName: "acme-client",
            identityPoolName: "acme-identities",
            allowUnauthenticatedIdentities: true,
            mfa: "ON",
            deletionProtection: false,
            generateClientSecret: true,
            tokenValidity: { accessTokenMinutes: 30 },
            customAttributes: ["tenant"],
            authenticatedPolicyArns: [arn],
            unauthenticatedPolicyArns: [arn],
        };
        const userPoolId = "us-east-1_AbC123xyz";
        for (const [key, value] of Object.entries(ownedOnly)) {
            expect(validateArgs({ userPoolId, [key]: value }), key).to.deep.equal([
                `${key}: applies only to a pool this stack creates; remove it, or unset userPoolId`,
            ]);
        }
        expect(validateArgs(ownedOnly), "all of them for a created pool").to.deep.equal([]);
        expect(
            validateArgs({ userPoolId, adoptExistingUsers: true, passwordPolicy: { minimumLength: 10 }, users: {}, passwords: {} }),
        ).to.deep.equal([]);
    });
});
