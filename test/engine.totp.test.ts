// The real Pulumi engine enrolling a user in TOTP (issue 21), existing-pool mode against
// cognito-local with the pool's MFA OPTIONAL (set with SetUserPoolMfaConfig, which cognito-local
// implements) and a client that allows USER_PASSWORD_AUTH. cognito-local 5.3 implements the
// AccessToken forms of AssociateSoftwareToken / VerifySoftwareToken, SetUserMFAPreference and the
// SOFTWARE_TOKEN_MFA challenge, so this path runs for real; the MFA_SETUP (Session) path of a pool
// with MFA ON is proved with mocks only (test/cognitoUser/totpEnrol.test.ts).
// Every CLI output is checked for the password and every TOTP secret the stack had.

import { expect } from "chai";
import * as crypto from "crypto";
import {
    AdminGetUserCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { totpCode } from "../lib/totp";
import { EngineProject, existingPoolSuite } from "../harness/engine";
import { expectNoLeak } from "../harness/leaks";
import { userType } from "../harness/users";

describe("the real Pulumi engine: TOTP enrolment of a configured user (existing pool, MFA OPTIONAL, cognito-local)", function () {
    this.timeout(600_000);
    const suite = existingPoolSuite("totp");
    const password = `PwTotp-${crypto.randomBytes(5).toString("hex")}#Q7`;
    /** The password and every TOTP secret seen so far: no CLI output may hold any. */
    const secrets = [password];
    /** Every CLI output, checked again at the end for the secrets made after it. */
    const outputs: [string, string][] = [];
    const checked = (text: string, what: string) => {
        expectNoLeak(text, secrets, what);
        outputs.push([text, what]);
        return text;
    };
    const run = async (project: EngineProject, args: string[]) => {
        const result = await project.ok(args);
        checked(result.output, `pulumi ${args.join(" ")}`);
        return result;
    };
    const mfaList = async (userPoolId: string) =>
        (await suite.local.client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "alice" }))).UserMFASettingList ?? [];
    async function totpSecret(project: EngineProject): Promise<string> {
        const shown = await project.ok(["stack", "output", "totpSecrets", "--show-secrets", "--json"]);
        const secret = JSON.parse(shown.stdout).alice;
        expect(secret, "alice's secret in totpSecrets").to.match(/^[A-Z2-7]+=*$/);
        secrets.push(secret);
        return secret;
    }
    /** USER_PASSWORD_AUTH; a SOFTWARE_TOKEN_MFA challenge answered with `secret`'s code. The access token, and the challenge met. */
    async function signIn(clientId: string, secret?: string) {
        const first = await suite.local.client.send(
            new InitiateAuthCommand({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: clientId,
                AuthParameters: { USERNAME: "alice", PASSWORD: password },
            }),
        );
        if (!first.ChallengeName) return { challenge: undefined, accessToken: first.AuthenticationResult?.AccessToken };
        expect(secret, `a secret to answer ${first.ChallengeName}`).to.not.equal(undefined);
        const answered = await suite.local.client.send(
            new RespondToAuthChallengeCommand({
                ClientId: clientId,
                ChallengeName: "SOFTWARE_TOKEN_MFA",
                Session: first.Session,
                ChallengeResponses: { USERNAME: "alice", SOFTWARE_TOKEN_MFA_CODE: totpCode(secret!) },
            }),
        );
        return { challenge: first.ChallengeName, accessToken: answered.AuthenticationResult?.AccessToken };
    }
    async function aliceState(project: EngineProject) {
        const exported = (await project.ok(["stack", "export"])).stdout;
        checked(exported, "pulumi stack export");
        const resources = JSON.parse(exported).deployment.resources ?? [];
        return resources.find((r: any) => r.type === userType && r.outputs?.username === "alice");
    }
    const userLine = (output: string) =>
        output
            .split("\n")
            .find((line) => line.includes(`${userType} cognito-auth-user-alice `))
            ?.trimEnd();

    it("up enrols; sign-in needs the code; a lost enrolment shows at refresh and is re-enrolled; a new totpGeneration re-enrols; removing mfa turns it off", async () => {
        const { project, userPoolId, clientId } = await suite.newStack();
        await suite.local.client.send(
            new SetUserPoolMfaConfigCommand({
                UserPoolId: userPoolId,
                MfaConfiguration: "OPTIONAL",
                SoftwareTokenMfaConfiguration: { Enabled: true },
            }),
        );
        await run(project, ["config", "set", "userPoolClientId", clientId]);
        await run(project, ["config", "set", "--path", "users.alice.email", "alice@example.com"]);
        await run(project, ["config", "set", "--path", "users.alice.mfa", "TOTP"]);
        await run(project, ["config", "set", "--secret", "--path", "passwords.alice", password]);

        // Enrolment.
        const preview = await run(project, ["preview"]);
        expect(preview.output).to.include('cognito-auth: Cognito user "alice": enrols TOTP (new secret)');
        const up = await run(project, ["up", "--yes"]);
        expect(await mfaList(userPoolId)).to.deep.equal(["SOFTWARE_TOKEN_MFA"]);
        const first = await totpSecret(project);
        checked(up.output, "first up");
        const plainOutputs = await run(project, ["stack", "output", "--json"]);
        expect(JSON.parse(plainOutputs.stdout).totpSecrets).to.equal("[secret]");
        const signedIn = await signIn(clientId, first);
        expect(signedIn.challenge).to.equal("SOFTWARE_TOKEN_MFA");
        expect(signedIn.accessToken, "tokens after the code").to.be.a("string");
        const state = await aliceState(project);
        expect(state.outputs.totp).to.deep.equal({ generation: 1, clientId });
        expect(Object.keys(state.outputs.totpSecret ?? {}), "totpSecret is ciphertext in state").to.include("ciphertext");
        expect(state.additionalSecretOutputs ?? [], "totpSecret declared secret").to.include("totpSecret");
        await run(project, ["preview", "--expect-no-changes"]);

        // TOTP removed by hand (the user's own SetUserMFAPreference): refresh says so, up enrols again with a new secret.
        await suite.local.client.send(
            new SetUserMFAPreferenceCommand({
                AccessToken: signedIn.accessToken,
                SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
            }),
        );
        expect(await mfaList(userPoolId)).to.deep.equal([]);
        const refresh = await run(project, ["refresh", "--yes"]);
        expect(refresh.output).to.include(
            `Cognito user "alice" in user pool ${userPoolId} no longer has the TOTP this stack enrolled (SOFTWARE_TOKEN_MFA is not in its MFA settings)`,
        );
        const driftPreview = await run(project, ["preview"]);
        console.log(`      preview after the drift:\n${driftPreview.output.replace(/^/gm, "        | ")}`);
        expect(userLine(driftPreview.stdout), "alice updated").to.match(/ update/);
        expect(driftPreview.output).to.include("re-enrols TOTP (new secret)");
        await run(project, ["up", "--yes"]);
        const second = await totpSecret(project);
        expect(second).to.not.equal(first);
        expect(await mfaList(userPoolId)).to.deep.equal(["SOFTWARE_TOKEN_MFA"]);
        expect((await signIn(clientId, second)).accessToken).to.be.a("string");

        // A new generation: the preview names it; up enrols a new secret, signing in with the old one's code.
        await run(project, ["config", "set", "--path", "users.alice.totpGeneration", "2"]);
        const bump = await run(project, ["preview"]);
        expect(userLine(bump.stdout)).to.match(/update \[diff: ~totpGeneration\]$/);
        expect(bump.output).to.include("re-enrols TOTP (new secret): totpGeneration 1 -> 2");
        await run(project, ["up", "--yes"]);
        const third = await totpSecret(project);
        expect(third).to.not.be.oneOf([first, second]);
        expect((await signIn(clientId, third)).challenge).to.equal("SOFTWARE_TOKEN_MFA");
        expect((await aliceState(project)).outputs.totp).to.deep.equal({ generation: 2, clientId });

        // mfa removed: TOTP off, no secret left in state or outputs.
        await run(project, ["config", "rm", "--path", "users.alice.mfa"]);
        await run(project, ["config", "rm", "--path", "users.alice.totpGeneration"]);
        const removal = await run(project, ["preview"]);
        console.log(`      preview of the removal:\n${removal.output.replace(/^/gm, "        | ")}`);
        expect(removal.output).to.include("turns TOTP off (mfa removed)");
        await run(project, ["up", "--yes"]);
        expect(await mfaList(userPoolId)).to.deep.equal([]);
        const plain = await signIn(clientId);
        expect(plain.challenge, "no code asked").to.equal(undefined);
        expect(plain.accessToken).to.be.a("string");
        const after = await aliceState(project);
        expect(after.outputs).to.not.have.property("totpSecret");
        expect(after.outputs).to.not.have.property("totp");
        expect(JSON.parse((await run(project, ["stack", "output", "--json"])).stdout)).to.not.have.property("totpSecrets");
        await run(project, ["preview", "--expect-no-changes"]);
        expect(secrets).to.have.length(4);
        for (const [text, what] of outputs) expectNoLeak(text, secrets, what);
    });
});
