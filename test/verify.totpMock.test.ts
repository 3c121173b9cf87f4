// verify's SOFTWARE_TOKEN_MFA answer (scripts/verify/mfa.ts) with every AWS call mocked: what is sent
// (code, Session, USERNAME, SECRET_HASH), the clock edges (a code about to expire is not sent; one
// retry in the next step with a fresh sign-in, and never more), each refusal's reason, and the
// inputs (`totpSecrets`). The real challenge against cognito-local is in verify.totp.test.ts.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    CodeMismatchException,
    CognitoIdentityProviderClient,
    ExpiredCodeException,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { totpCode } from "../lib/totp";
import { Clients, secretHash, verifyUser } from "../scripts/verify/checks";
import { main } from "../scripts/verify/cli";
import { UserToVerify } from "../scripts/verify/inputs";
import { Clock, stepMarginMs } from "../scripts/verify/mfa";
import { formatReport, formatTable } from "../scripts/verify/render";
import { expectNoLeak } from "../harness/leaks";
import {
    IdentityPoolMock,
    capture,
    fakeCredentials,
    identityId,
    mockIdentityPoolSuccess,
    sdkClients,
    stackConfig,
    stackOutputs,
    verifyInputs,
} from "./verify.fixtures";

const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const user: UserToVerify = { username: "alice", password: "Alice-Passw0rd#1", enabled: true, totpSecret: secret };
const inputs = verifyInputs([user]);
const stepStart = Date.UTC(2030, 0, 2, 3, 4, 0); // a multiple of 30 s

/** A clock that stands still until slept on, then jumps: sleeps are recorded, never waited. */
function fakeClock(startMs: number): Clock & { slept: number[] } {
    let now = startMs;
    const slept: number[] = [];
    return {
        slept,
        now: () => new Date(now),
        sleep: async (ms) => {
            slept.push(ms);
            now += ms;
        },
    };
}

describe("verify script: the SOFTWARE_TOKEN_MFA answer (mocked Cognito)", function () {
    let idp: AwsClientStub<CognitoIdentityProviderClient>;
    let pool: IdentityPoolMock;
    let sessions: number;

    beforeEach(function () {
        sessions = 0;
        idp = mockClient(CognitoIdentityProviderClient);
        idp.on(InitiateAuthCommand).callsFake(() => ({
            ChallengeName: "SOFTWARE_TOKEN_MFA",
            Session: `session-${++sessions}-${"s".repeat(20)}`,
        }));
        idp.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { IdToken: "eyJ.id.token-after-mfa" } });
        pool = mockIdentityPoolSuccess();
    });
    afterEach(function () {
        idp.restore();
        pool.restore();
    });

    const clientsAt = (clock: Clock): Clients => ({ ...sdkClients(), clock });
    const answers = () => idp.commandCalls(RespondToAuthChallengeCommand).map((c) => c.args[0].input);

    it("answers with the code of the current step, the Session and USERNAME, then gets credentials as without MFA", async function () {
        const clock = fakeClock(stepStart + 10_000);
        const outcome = await verifyUser(clientsAt(clock), inputs, user);
        expect(outcome).to.deep.equal({
            user: "alice",
            signIn: "ok",
            mfa: "TOTP",
            identityId,
            credentials: { role: "authenticated", expiration: fakeCredentials.Expiration },
        });
        expect(answers()).to.deep.equal([
            {
                ClientId: inputs.clientId,
                ChallengeName: "SOFTWARE_TOKEN_MFA",
                Session: `session-1-${"s".repeat(20)}`,
                ChallengeResponses: { USERNAME: "alice", SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, new Date(stepStart + 10_000)) },
            },
        ]);
        expect(clock.slept, "no wait in the middle of a step").to.deep.equal([]);
        const login = pool.identity.commandCalls(GetIdCommand)[0].args[0].input.Logins;
        expect(Object.values(login ?? {})).to.deep.equal(["eyJ.id.token-after-mfa"]);
    });

    it("sends SECRET_HASH with the code when the app client has a secret", async function () {
        const withSecret = { ...inputs, clientSecret: "client-secret-value-123" };
        await verifyUser(clientsAt(fakeClock(stepStart + 1000)), withSecret, user);
        const hash = secretHash("client-secret-value-123", "alice", inputs.clientId);
        expect(idp.commandCalls(InitiateAuthCommand)[0].args[0].input.AuthParameters?.SECRET_HASH).to.equal(hash);
        expect(answers()[0].ChallengeResponses?.SECRET_HASH).to.equal(hash);
    });

    it("does not send a code about to expire: waits for the next step and sends that step's code", async function () {
        const at = stepStart + 30_000 - (stepMarginMs - 500); // 2.5 s left
        const clock = fakeClock(at);
        const outcome = await verifyUser(clientsAt(clock), inputs, user);
        expect(outcome.signIn).to.equal("ok");
        const next = new Date(stepStart + 30_000);
        expect(totpCode(secret, new Date(at)), "the two steps' codes differ, so the check below means something").to.not.equal(
            totpCode(secret, next),
        );
        expect(clock.slept).to.have.length(1);
        expect(clock.now().getTime()).to.be.within(next.getTime(), next.getTime() + 1000);
        expect(answers().map((a) => a.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE)).to.deep.equal([totpCode(secret, next)]);
    });

    for (const refusal of [
        new CodeMismatchException({ message: "Invalid code received for user", $metadata: {} }),
        new ExpiredCodeException({ message: "Your software token has already been used once.", $metadata: {} }),
    ]) {
        it(`${refusal.name} once: one retry in the next step, with a fresh sign-in and Session and a code never sent`, async function () {
            idp.on(RespondToAuthChallengeCommand)
                .rejectsOnce(refusal)
                .resolves({ AuthenticationResult: { IdToken: "eyJ.id.token-after-mfa" } });
            const clock = fakeClock(stepStart + 20_000);
            const outcome = await verifyUser(clientsAt(clock), inputs, user);
            expect(outcome.signIn).to.equal("ok");
            expect(outcome.mfa).to.equal("TOTP");
            expect(idp.commandCalls(InitiateAuthCommand)).to.have.length(2);
            const sent = answers();
            expect(sent.map((a) => a.Session)).to.deep.equal([`session-1-${"s".repeat(20)}`, `session-2-${"s".repeat(20)}`]);
            expect(sent.map((a) => a.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE)).to.deep.equal([
                totpCode(secret, new Date(stepStart + 20_000)),
                totpCode(secret, new Date(stepStart + 30_000)),
            ]);
            expect(sent[0].ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE).to.not.equal(sent[1].ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE);
        });
    }

    it("a code refused twice: the secret differs from the user's; two answers only, no identity asked", async function () {
        idp.on(RespondToAuthChallengeCommand).rejects(
            new CodeMismatchException({ message: "Invalid code received for user", $metadata: {} }),
        );
        const outcome = await verifyUser(clientsAt(fakeClock(stepStart + 5000)), inputs, user);
        expect(outcome).to.deep.equal({
            user: "alice",
            failure: {
                step: "sign-in",
                reason:
                    "TOTP code refused twice, in two 30-second steps: the secret in the stack's totpSecrets differs from the user's in the pool " +
                    "(enrolled again outside Pulumi?); run pulumi refresh, then pulumi up re-enrols the user with a new secret",
                error: { name: "CodeMismatchException", message: "Invalid code received for user" },
            },
        });
        expect(answers()).to.have.length(2);
        expect(idp.commandCalls(InitiateAuthCommand)).to.have.length(2);
        expect(pool.identity.calls()).to.have.length(0);
    });

    it("another refusal is not retried: a user without TOTP in the pool", async function () {
        const err = Object.assign(new Error("Software Token MFA does not exist for the user."), {
            name: "SoftwareTokenMFANotFoundException",
        });
        idp.on(RespondToAuthChallengeCommand).rejects(err);
        const outcome = await verifyUser(clientsAt(fakeClock(stepStart)), inputs, user);
        expect(outcome.failure?.reason).to.equal(
            "the user has no TOTP authenticator in the pool although the stack enrolled one; run pulumi refresh, then pulumi up re-enrols it",
        );
        expect(answers()).to.have.length(1);
    });

    it("a user without a secret in totpSecrets keeps today's MFA reasons; with one, MFA_SETUP says the TOTP is gone", async function () {
        const unmanaged = { ...user, totpSecret: undefined };
        const outcome = await verifyUser(clientsAt(fakeClock(stepStart)), verifyInputs([unmanaged]), unmanaged);
        expect(outcome.failure?.reason).to.equal(
            "MFA challenge (SOFTWARE_TOKEN_MFA): the user has MFA set up and verify cannot answer it; sign in interactively, or verify with a user without MFA",
        );
        idp.on(InitiateAuthCommand).resolves({ ChallengeName: "MFA_SETUP", Session: "s".repeat(30) });
        expect((await verifyUser(clientsAt(fakeClock(stepStart)), inputs, unmanaged)).failure?.reason).to.equal(
            "MFA challenge (MFA_SETUP): the pool requires MFA (mfa = ON) and the user has not enrolled a device yet",
        );
        expect((await verifyUser(clientsAt(fakeClock(stepStart)), inputs, user)).failure?.reason).to.match(
            /^MFA challenge \(MFA_SETUP\): the stack enrolled this user's TOTP .*pulumi refresh, then pulumi up re-enrols it$/,
        );
        expect(answers(), "verify never answers a challenge for a user the stack did not enrol").to.have.length(0);
    });

    it("a user disabled in config is not answered for: asked for MFA means it was not refused", async function () {
        const disabled = { ...user, enabled: false };
        const outcome = await verifyUser(clientsAt(fakeClock(stepStart)), inputs, disabled);
        expect(outcome.failure?.reason).to.equal(
            "user is disabled in config but was not refused (SOFTWARE_TOKEN_MFA); run pulumi up to disable it",
        );
        expect(answers()).to.have.length(0);
    });

    it("the report says OK (TOTP) and never shows the secret", function () {
        // An AWS message that echoes the secret (none is known to) is redacted like a password.
        const echoed = { step: "sign-in" as const, reason: "x", error: { name: "InvalidParameterException", message: `bad ${secret}` } };
        const text = formatReport(inputs, [
            { user: "alice", signIn: "ok", mfa: "TOTP", identityId },
            { user: "alice", failure: echoed },
        ]);
        expect(text.split("\n").find((l) => l.startsWith("alice "))).to.match(/^alice\s+OK \(TOTP\)\s+us-east-1:/);
        expect(text).to.include("alice: sign-in failed: x (InvalidParameterException: bad ");
        expectNoLeak(text, { secret }, "the report");
    });
});

describe("docs/verify.md: the TOTP example", function () {
    it("is what the renderer prints for a TOTP sign-in", function () {
        const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "verify.md"), "utf8");
        const at = doc.indexOf("Its sign-in cell says so:");
        expect(at, "docs/verify.md has the TOTP example").to.be.greaterThan(-1);
        const open = doc.indexOf("```text\n", at) + "```text\n".length;
        const block = doc.slice(open, doc.indexOf("```\n", open));
        const outcome = {
            user: "alice",
            signIn: "ok" as const,
            mfa: "TOTP" as const,
            identityId: "us-east-1:id-alice",
            credentials: { role: "authenticated" as const, expiration: new Date("2030-01-02T03:04:05.000Z") },
        };
        expect(block).to.equal(`${formatTable([outcome])}\n`);
    });
});

describe("verify script: the totpSecrets output", function () {
    const config = stackConfig({ alice: {} }, { alice: "Alice-Passw0rd#1" }, true);
    const run = async (totpSecrets: unknown) => {
        const printed = capture();
        const runPulumi = async (args: string[]) => JSON.stringify(args[0] === "stack" ? stackOutputs({ totpSecrets }) : config);
        const noClients = () => {
            throw new Error("an input error must stop verify before any AWS call");
        };
        const code = await main([], { ...printed.deps, runPulumi, clients: noClients });
        return { code, stderr: printed.stderr.join("\n") };
    };

    for (const [what, value, message] of [
        ["not a map", ["JBSWY3DPEHPK3PXP"], "stack output totpSecrets must be a map of username to TOTP secret"],
        ["shown as [secret]", "[secret]", `stack output totpSecrets shows "[secret]"`],
        [
            "a secret that is not base32",
            { alice: "not-base32!SECRETVALUE" },
            "stack output totpSecrets.alice must be a TOTP secret (base32 text); its value is not shown",
        ],
        [
            "a secret that is not text",
            { alice: 12345678 },
            "stack output totpSecrets.alice must be a TOTP secret (base32 text); its value is not shown",
        ],
        ["an empty secret", { alice: "" }, "stack output totpSecrets.alice must be a TOTP secret (base32 text); its value is not shown"],
    ] as const) {
        it(`${what}: exit 2 naming the key, the value never quoted`, async function () {
            const { code, stderr } = await run(value);
            expect(code).to.equal(2);
            expect(stderr).to.include(`verify: ${message}`);
            expectNoLeak(stderr, ["not-base32", "SECRETVALUE", "12345678"], "stderr");
        });
    }
});
