import { expect } from "chai";
import { readStackConfig } from "../components/stackConfig";
import { CognitoIdentity } from "../components/identity";
import { CognitoUsers } from "../components/users";
import { runProgram } from "../harness/program";
import { expectNoLeak } from "../harness/leaks";

// Each refused combination of the 2026 settings (issue 18): the exact message, at preview, naming
// the key and what it needs; and, through the program, that nothing is declared. The accepted
// graph is in test/features.test.ts.

const password = "Alice#Secret-4217xq";
const ses = "arn:aws:ses:ap-northeast-1:123456789012:identity/example.com";
const s3 = "arn:aws:iam::123456789012:policy/app-uploads";

/** The reader's problems for these settings (plus one valid user), as the program would throw them. */
function problemsOf(settings: Record<string, unknown>): string[] {
    const config: Record<string, string> = { "aws:region": "ap-northeast-1" };
    const all = { users: { alice: { email: "alice@example.com" } }, ...settings };
    for (const [key, value] of Object.entries(all))
        config[`cognito-auth:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    config["cognito-auth:passwords"] = JSON.stringify({ alice: password });
    const read = readStackConfig({ project: "cognito-auth", stack: "dev", config, isSecret: () => true });
    expectNoLeak(read.problems.join("\n"), { alice: password }, "the problems");
    return read.problems;
}

const cases: [string, Record<string, unknown>, string[]][] = [
    [
        "threat protection on the default plan",
        { threatProtection: "ENFORCED" },
        [
            "cognito-auth:threatProtection: ENFORCED needs cognito-auth:featurePlan PLUS (cognito-auth:featurePlan is ESSENTIALS by default); set cognito-auth:featurePlan to PLUS, or set cognito-auth:threatProtection to OFF",
        ],
    ],
    [
        "threat protection AUDIT on ESSENTIALS",
        { featurePlan: "ESSENTIALS", threatProtection: "AUDIT" },
        [
            "cognito-auth:threatProtection: AUDIT needs cognito-auth:featurePlan PLUS (cognito-auth:featurePlan is ESSENTIALS); set cognito-auth:featurePlan to PLUS, or set cognito-auth:threatProtection to OFF",
        ],
    ],
    [
        "password history on LITE",
        { featurePlan: "LITE", passwordPolicy: { passwordHistorySize: 3 } },
        [
            "cognito-auth:passwordPolicy.passwordHistorySize: password history needs cognito-auth:featurePlan ESSENTIALS or PLUS (cognito-auth:featurePlan is LITE); set cognito-auth:featurePlan to ESSENTIALS, or set cognito-auth:passwordPolicy.passwordHistorySize to 0",
        ],
    ],
    [
        "password history above 24",
        { passwordPolicy: { passwordHistorySize: 25 } },
        ["cognito-auth:passwordPolicy.passwordHistorySize: must be a whole number from 0 to 24"],
    ],
    [
        "a passwordless factor on LITE, and email OTP without an SES sender",
        { featurePlan: "LITE", signInFactors: ["PASSWORD", "EMAIL_OTP"] },
        [
            "cognito-auth:signInFactors: the sign-in factor EMAIL_OTP needs cognito-auth:featurePlan ESSENTIALS or PLUS (cognito-auth:featurePlan is LITE); set cognito-auth:featurePlan to ESSENTIALS, or remove EMAIL_OTP from cognito-auth:signInFactors",
            "cognito-auth:signInFactors: EMAIL_OTP needs cognito-auth:emailSender (an SES identity): Cognito sends one-time codes only through Amazon SES; set cognito-auth:emailSender, or remove EMAIL_OTP from cognito-auth:signInFactors",
        ],
    ],
    [
        "factors without PASSWORD",
        { signInFactors: ["EMAIL_OTP"], emailSender: { sourceArn: ses } },
        ['cognito-auth:signInFactors: must include "PASSWORD"'],
    ],
    ["a factor twice", { signInFactors: ["PASSWORD", "PASSWORD"] }, ["cognito-auth:signInFactors: must not name a factor twice"]],
    [
        "a factor this stack does not offer",
        { signInFactors: ["PASSWORD", "SMS_OTP"] },
        ['cognito-auth:signInFactors: "SMS_OTP" is not a sign-in factor; use one of PASSWORD, EMAIL_OTP, WEB_AUTHN'],
    ],
    ["factors as text", { signInFactors: "PASSWORD" }, ["cognito-auth:signInFactors: must be a list of sign-in factors"]],
    [
        "passkeys without their settings",
        { signInFactors: ["PASSWORD", "WEB_AUTHN"] },
        [
            'cognito-auth:signInFactors: WEB_AUTHN needs cognito-auth:webAuthn ({ "relyingPartyId": "<your domain>" }); set it, or remove WEB_AUTHN from cognito-auth:signInFactors',
        ],
    ],
    [
        "passkey settings without the factor",
        { webAuthn: { relyingPartyId: "example.com" } },
        [
            "cognito-auth:webAuthn: applies only with WEB_AUTHN in cognito-auth:signInFactors; add WEB_AUTHN there, or remove cognito-auth:webAuthn",
        ],
    ],
    [
        "a relying party with a scheme, and a verification mode in capitals",
        { signInFactors: ["PASSWORD", "WEB_AUTHN"], webAuthn: { relyingPartyId: "https://example.com", userVerification: "REQUIRED" } },
        [
            'cognito-auth:webAuthn.relyingPartyId: "https://example.com" is not a domain name in lower case, such as auth.example.com (no scheme, port or path)',
            'cognito-auth:webAuthn.userVerification: "REQUIRED" is not a user verification mode; use one of required, preferred',
        ],
    ],
    [
        "passwordless first factors while MFA is required",
        {
            mfa: "ON",
            signInFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
            emailSender: { sourceArn: ses },
            webAuthn: { relyingPartyId: "example.com" },
        },
        [
            "cognito-auth:signInFactors: EMAIL_OTP cannot be a first factor while cognito-auth:mfa is ON (AWS allows only PASSWORD and passkeys then); set cognito-auth:mfa to OPTIONAL, or remove EMAIL_OTP from cognito-auth:signInFactors",
            "cognito-auth:signInFactors: WEB_AUTHN cannot be a first factor while cognito-auth:mfa is ON: AWS then takes passkeys only as multi-factor passkeys, which @pulumi/aws cannot configure; set cognito-auth:mfa to OPTIONAL, or remove WEB_AUTHN from cognito-auth:signInFactors",
        ],
    ],
    [
        "an SES sender that is no SES identity ARN, a bad From and Reply-To, an unknown key",
        {
            emailSender: {
                sourceArn: "arn:aws:iam::123456789012:role/x",
                from: "no-reply",
                replyTo: "Support <s@example.com>",
                fromName: "x",
            },
        },
        [
            'cognito-auth:emailSender.sourceArn: "arn:aws:iam::123456789012:role/x" is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<email or domain>)',
            'cognito-auth:emailSender.from: "no-reply" is not an email address (name@example.com or "Name <name@example.com>")',
            'cognito-auth:emailSender.replyTo: "Support <s@example.com>" is not an email address',
            "cognito-auth:emailSender.fromName: unknown setting; known: sourceArn, from, replyTo",
        ],
    ],
    [
        "an SES identity in a region Cognito cannot send from for this pool",
        { emailSender: { sourceArn: "arn:aws:ses:eu-central-1:123456789012:identity/example.com" } },
        [
            "cognito-auth:emailSender.sourceArn: the SES identity is in eu-central-1, but the pool is in ap-northeast-1 (aws:region); Cognito takes an identity in the pool's region, or in us-east-1, us-west-2 or eu-west-1 where AWS allows it for ap-northeast-1: verify one there",
        ],
    ],
    [
        "an SES identity in us-east-1 (an alternate region)",
        { emailSender: { sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" } },
        [],
    ],
    [
        "an SES sender without its identity",
        { emailSender: { from: "no-reply@example.com" } },
        ["cognito-auth:emailSender.sourceArn: is required (the ARN of a verified SES identity)"],
    ],
    [
        "a plan that does not exist",
        { featurePlan: "BASIC" },
        ['cognito-auth:featurePlan: "BASIC" is not a feature plan; use one of LITE, ESSENTIALS, PLUS'],
    ],
    [
        "a threat protection mode that does not exist",
        { featurePlan: "PLUS", threatProtection: "FULL" },
        ['cognito-auth:threatProtection: "FULL" is not a threat protection mode; use one of OFF, AUDIT, ENFORCED'],
    ],
    [
        "a created pool's group given a role made elsewhere",
        { groups: { admins: { precedence: 1, roleArn: "arn:aws:iam::123456789012:role/admins" } } },
        [
            "cognito-auth:groups.admins.roleArn: applies only to an existing pool (cognito-auth:userPoolId); for a pool this stack creates, give the role's policies in cognito-auth:groups.admins.policyArns and the stack makes the role, trusted by its identity pool",
        ],
    ],
    [
        "a group with a role but no precedence",
        { groups: { admins: { policyArns: [s3] } } },
        [
            "cognito-auth:groups.admins: has a role but no precedence; set cognito-auth:groups.admins.precedence (0 is the highest priority), so a user in several groups gets a known role",
        ],
    ],
    [
        "two groups with roles at one precedence",
        { groups: { admins: { precedence: 1, policyArns: [s3] }, editors: { precedence: 1, policyArns: [s3] }, staff: { precedence: 1 } } },
        [
            "cognito-auth:groups.editors.precedence: 1 is also the precedence of cognito-auth:groups.admins, which has another role: a user in both would get neither role; give them different precedences",
        ],
    ],
    [
        "a group's name, precedence, description and policies against Cognito's and IAM's rules",
        {
            groups: {
                "two words": {},
                admins: { precedence: -1, description: "x".repeat(2049), policyArns: ["ReadOnlyAccess"], members: ["alice"] },
                staff: "everyone",
            },
        },
        [
            'cognito-auth:groups: group "two words" may contain only letters, marks, symbols, numbers and punctuation (no spaces or control characters)',
        ],
    ],
    [
        "the same group's fields, once its name is valid",
        {
            groups: {
                admins: { precedence: -1, description: "x".repeat(2049), policyArns: ["ReadOnlyAccess"], members: ["alice"] },
                staff: "everyone",
            },
        },
        [
            "cognito-auth:groups.admins.precedence: must be a whole number from 0 to 2147483647",
            "cognito-auth:groups.admins.description: must be text of at most 2048 characters",
            'cognito-auth:groups.admins.policyArns: "ReadOnlyAccess" is not an IAM policy ARN',
            "cognito-auth:groups.admins.members: unknown setting; known: description, precedence, policyArns, roleArn",
            "cognito-auth:groups.staff: must be an object with optional description, precedence, policyArns, roleArn",
        ],
    ],
];

describe("2026 settings: refused at preview, each naming the key and what it needs", () => {
    for (const [what, settings, expected] of cases) {
        it(what, function () {
            expect(problemsOf(settings)).to.deep.equal(expected);
        });
    }

    describe("an existing pool (userPoolId)", () => {
        const existing = { userPoolId: "ap-northeast-1_AbC123xyz" };

        it("refuses every pool setting of a created pool, one line each", function () {
            expect(
                problemsOf({
                    ...existing,
                    featurePlan: "PLUS",
                    threatProtection: "ENFORCED",
                    signInFactors: ["PASSWORD"],
                    webAuthn: { relyingPartyId: "example.com" },
                    emailSender: { sourceArn: ses },
                    passwordPolicy: { passwordHistorySize: 5 },
                }),
            ).to.deep.equal(
                ["featurePlan", "threatProtection", "signInFactors", "webAuthn", "emailSender", "passwordPolicy.passwordHistorySize"].map(
                    (key) => `cognito-auth:${key}: applies only to a pool this stack creates; remove it, or unset cognito-auth:userPoolId`,
                ),
            );
        });

        it("refuses a group's policyArns (this stack makes no identity pool or role), and a roleArn that is no role ARN", function () {
            expect(
                problemsOf({
                    ...existing,
                    groups: { admins: { precedence: 1, policyArns: [s3] }, staff: { precedence: 2, roleArn: "admins" } },
                }),
            ).to.deep.equal([
                "cognito-auth:groups.admins.policyArns: applies only to a pool this stack creates; remove it, or unset cognito-auth:userPoolId",
                'cognito-auth:groups.staff.roleArn: "admins" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
            ]);
        });

        it("checks precedences of groups with a roleArn as for a created pool", function () {
            const role = "arn:aws:iam::123456789012:role/app";
            expect(
                problemsOf({
                    ...existing,
                    groups: { a: { roleArn: role }, b: { precedence: 3, roleArn: role }, c: { precedence: 3, roleArn: `${role}-other` } },
                }),
            ).to.deep.equal([
                "cognito-auth:groups.a: has a role but no precedence; set cognito-auth:groups.a.precedence (0 is the highest priority), so a user in several groups gets a known role",
                "cognito-auth:groups.c.precedence: 3 is also the precedence of cognito-auth:groups.b, which has another role: a user in both would get neither role; give them different precedences",
            ]);
        });

        it("accepts two groups of one precedence with the same roleArn: Cognito gives that role to a user of either", function () {
            const role = "arn:aws:iam::123456789012:role/app";
            expect(
                problemsOf({ ...existing, groups: { b: { precedence: 3, roleArn: role }, c: { precedence: 3, roleArn: role } } }),
            ).to.deep.equal([]);
        });
    });

    describe("through the program: it throws before declaring anything", () => {
        for (const [what, settings] of [
            ["threat protection on ESSENTIALS", { threatProtection: "ENFORCED" }],
            ["email OTP without a sender", { signInFactors: ["PASSWORD", "EMAIL_OTP"] }],
            ["a group role without precedence", { groups: { admins: { policyArns: [s3] } } }],
        ] as const) {
            it(what, async function () {
                let error: (Error & { declared?: number }) | undefined;
                try {
                    await runProgram({ users: { alice: {} }, passwords: { alice: password }, ...settings });
                } catch (caught) {
                    error = caught as Error & { declared?: number };
                }
                expect(error?.message).to.match(/^Invalid stack configuration for cognito-auth\/dev:\n {2}- cognito-auth:/);
                expect(error?.declared, "resources declared before the refusal").to.equal(0);
                expectNoLeak(error!.message, { alice: password }, "the error");
            });
        }
    });

    describe("the components refuse the same, naming the component", () => {
        it("CognitoUsers: a group's policyArns (it makes no role) and a group role without precedence", function () {
            expect(
                () =>
                    new CognitoUsers("team", {
                        userPoolId: "ap-northeast-1_AbC123xyz",
                        groups: { admins: { policyArns: [s3] }, staff: { roleArn: "arn:aws:iam::123456789012:role/staff" } },
                    }),
            ).to.throw(
                'CognitoUsers "team" has invalid arguments:\n' +
                    "  - groups.admins.policyArns: applies only to a pool this stack creates (CognitoIdentity makes a group's role: give its groupRoles.<group>.arn as roleArn); remove it\n" +
                    "  - groups.staff: has a role but no precedence; set groups.staff.precedence (0 is the highest priority), so a user in several groups gets a known role",
            );
        });

        it("CognitoIdentity: a group's roleArn", function () {
            expect(
                () =>
                    new CognitoIdentity("auth", {
                        userPool: { id: "ap-northeast-1_AbC123xyz", clientId: "client" },
                        groups: { admins: { precedence: 1, roleArn: "arn:aws:iam::123456789012:role/admins" } },
                    }),
            ).to.throw(/groups\.admins\.roleArn: applies only to an existing pool/);
        });
    });
});
