import { expect } from "chai";
import { readStackConfig } from "../components/stackConfig";
import { runProgram } from "../harness/program";

// Issue 21's configuration (README: "Two-factor authentication"): which users the program asks the
// provider to enrol in TOTP and through which client, the `totpSecrets` output (a secret, only the
// enrolled users), and the refusals at preview. The enrolment itself: test/cognitoUser/totp.test.ts
// and test/engine.totp.test.ts.

const userType = "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";
const passwords = { alice: "Alice#Secret-4217xq", bob: "Bob!Hidden-9930zk" };
const existing = { userPoolId: "ap-northeast-1_AbC123xyz" };

function problemsOf(settings: Record<string, unknown>): string[] {
    const config: Record<string, string> = { "aws:region": "ap-northeast-1" };
    for (const [key, value] of Object.entries({ passwords, ...settings }))
        config[`cognito-auth:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return readStackConfig({ project: "cognito-auth", stack: "dev", config, isSecret: () => true }).problems;
}

describe("two-factor authentication: configuration (mocked runtime)", () => {
    const users = { alice: { email: "alice@example.com", mfa: "TOTP" }, bob: { email: "bob@example.com" } };

    it("a created pool: the TOTP user gets mfa, generation 1 and the stack's client; the others' inputs are exactly as before", async function () {
        const run = await runProgram({ users, passwords });
        const byName = Object.fromEntries(run.byType(userType).map((user) => [user.inputs.username, user.inputs]));
        expect(byName.alice.mfa).to.equal("TOTP");
        expect(byName.alice.totpGeneration).to.equal(1);
        expect(byName.alice.clientId).to.equal("client-cognito-auth-client");
        expect(Object.keys(byName.bob).sort()).to.deep.equal(
            [
                "__provider",
                "adoptExisting",
                "attributes",
                "enabled",
                "groups",
                "password",
                "passwordPolicy",
                "userPoolId",
                "username",
            ].sort(),
        );
    });

    it("an existing pool: the client is userPoolClientId; totpGeneration passes through", async function () {
        const run = await runProgram({
            ...existing,
            userPoolClientId: "4f2k1h9q8s7r6t5u3v2w1x0y9z",
            users: { alice: { mfa: "TOTP", totpGeneration: 3 } },
            passwords: { alice: passwords.alice },
        });
        const alice = run.one(userType).inputs;
        expect([alice.mfa, alice.totpGeneration, alice.clientId]).to.deep.equal(["TOTP", 3, "4f2k1h9q8s7r6t5u3v2w1x0y9z"]);
    });

    it("exports totpSecrets only as a secret, with only the enrolled users", async function () {
        const run = await runProgram({ users, passwords });
        expect(run.outputs.totpSecrets).to.deep.equal({ alice: "FAKETOTPSECRETALICE" });
        expect(run.secretOutputs).to.include("totpSecrets");
        // Nowhere in plain outputs.
        const { totpSecrets: _secrets, ...plainOutputs } = run.outputs;
        expect(JSON.stringify(plainOutputs)).to.not.include("FAKETOTPSECRET");
    });

    it("no TOTP user: no totpSecrets output", async function () {
        const run = await runProgram({ users: { bob: users.bob }, passwords: { bob: passwords.bob } });
        expect(run.outputs).to.not.have.property("totpSecrets");
        const existingRun = await runProgram({ ...existing, users: { bob: users.bob }, passwords: { bob: passwords.bob } });
        expect(existingRun.outputs).to.not.have.property("totpSecrets");
    });

    describe("refused at preview", () => {
        const cases: [string, Record<string, unknown>, string[]][] = [
            [
                "an existing pool without the client to sign in through",
                { ...existing, users: { alice: { mfa: "TOTP" }, bob: { mfa: "TOTP" } } },
                [
                    "cognito-auth:userPoolClientId: needed by cognito-auth:users.alice.mfa, cognito-auth:users.bob.mfa: the stack signs users in through an app client of the pool to enrol them in TOTP; set one that allows USER_PASSWORD_AUTH: pulumi config set userPoolClientId '<client id>'",
                ],
            ],
            [
                "a disabled user",
                { users: { alice: { mfa: "TOTP", enabled: false }, bob: {} } },
                [
                    "cognito-auth:users.alice.mfa: TOTP needs the user enabled (the stack signs the user in to enrol it); set cognito-auth:users.alice.enabled to true, or remove cognito-auth:users.alice.mfa",
                ],
            ],
            [
                "a pool with MFA off",
                { mfa: "OFF", users: { alice: { mfa: "TOTP" }, bob: {} } },
                [
                    "cognito-auth:users.alice.mfa: TOTP needs the pool's MFA, and cognito-auth:mfa is OFF; set cognito-auth:mfa to OPTIONAL or ON, or remove cognito-auth:users.alice.mfa",
                ],
            ],
            [
                "a client id for a pool this stack creates",
                { userPoolClientId: "abc", users: { alice: { mfa: "TOTP" }, bob: {} } },
                [
                    "cognito-auth:userPoolClientId: applies only to an existing pool (cognito-auth:userPoolId): a pool this stack creates uses its own app client; remove it",
                ],
            ],
            [
                "a generation without TOTP, an unknown method, a generation of 0",
                { users: { alice: { totpGeneration: 2 }, bob: { mfa: "SMS", totpGeneration: 0 } } },
                [
                    'cognito-auth:users.bob.mfa: "SMS" is not an MFA method the stack enrols; use one of TOTP',
                    "cognito-auth:users.bob.totpGeneration: must be a whole number from 1 to 1000000",
                    "cognito-auth:users.alice.totpGeneration: applies only with cognito-auth:users.alice.mfa set to TOTP",
                ],
            ],
        ];
        for (const [what, settings, expected] of cases) {
            it(what, function () {
                expect(problemsOf(settings)).to.deep.equal(expected);
            });
        }
    });
});
