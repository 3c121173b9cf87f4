// `npm run verify` through a real SOFTWARE_TOKEN_MFA challenge: users are enrolled in TOTP in
// cognito-local (5.3: AssociateSoftwareToken, VerifySoftwareToken and SetUserMFAPreference with an
// AccessToken, as the provider enrols), with the secret cognito-local generated; verify then signs
// them in, cognito-local checks the code (RFC 6238, its own otplib) and issues the tokens. The
// identity pool and STS, which cognito-local lacks, are mocked (verify.fixtures.ts).

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    AdminCreateUserCommand,
    AdminSetUserPasswordCommand,
    AssociateSoftwareTokenCommand,
    AuthFlowType,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    InitiateAuthCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { totpCode } from "../lib/totp";
import { CognitoLocal, startCognitoLocal, withEnv } from "../harness/cognitoLocal";
import { expectNoLeak } from "../harness/leaks";
import { Clients, defaultClients } from "../scripts/verify/checks";
import { main } from "../scripts/verify/cli";
import { Clock } from "../scripts/verify/mfa";
import {
    IdentityPoolMock,
    capture,
    credentialValues,
    guestIdentityId,
    identityId,
    mockIdentityPoolSuccess,
    region,
    stackConfig,
    stackOutputs,
    tempDir,
} from "./verify.fixtures";

const passwords = { alice: "Alice-Passw0rd#1", bob: "Bob-Passw0rd#22", carol: "Carol-Passw0rd#4" };
/** A valid base32 secret that is not carol's. */
const otherSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** Enrols a user in TOTP as the provider does (AccessToken forms); returns cognito-local's secret. */
async function enrol(local: CognitoLocal, userPoolId: string, clientId: string, username: string, password: string): Promise<string> {
    await local.client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: "SUPPRESS" }));
    await local.client.send(
        new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true }),
    );
    const auth = await local.client.send(
        new InitiateAuthCommand({
            AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
            ClientId: clientId,
            AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
    );
    const AccessToken = auth.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await local.client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await local.client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpCode(SecretCode!) }));
    await local.client.send(
        new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    return SecretCode!;
}

/** Records what verify sends and receives that must never be printed: codes, sessions, tokens. */
function recordSecrets(client: CognitoIdentityProviderClient, into: Record<string, string>) {
    client.middlewareStack.add(
        (next) => async (args) => {
            const code = (args.input as { ChallengeResponses?: Record<string, string> }).ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE;
            if (code) into[`code #${Object.keys(into).length}`] = code;
            const result = await next(args);
            const output = result.output as { Session?: string; AuthenticationResult?: Record<string, unknown> };
            if (output.Session) into[`session #${Object.keys(into).length}`] = output.Session;
            for (const key of ["IdToken", "AccessToken", "RefreshToken"]) {
                const token = output.AuthenticationResult?.[key];
                if (typeof token === "string") into[`${key} #${Object.keys(into).length}`] = token;
            }
            return result;
        },
        { step: "initialize", name: "recordSecrets" },
    );
}

/** The claims of a JWT, without checking its signature (the test only reads who it is for). */
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()) as Record<string, unknown>;

describe("verify script: SOFTWARE_TOKEN_MFA against cognito-local (users enrolled with a real secret)", function () {
    this.timeout(90_000);
    let local: CognitoLocal;
    let restoreEnv: () => void;
    let pool: { userPoolId: string; clientId: string };
    let secrets: { alice: string; bob: string; carol: string };
    let mocks: IdentityPoolMock;
    let dir: string;
    let outputsFile: string;
    let configFile: string;

    before(async () => {
        local = await startCognitoLocal();
        restoreEnv = withEnv(local.env);
        const created = await local.client.send(new CreateUserPoolCommand({ PoolName: "verify-totp", MfaConfiguration: "OPTIONAL" }));
        const userPoolId = created.UserPool!.Id!;
        const appClient = await local.client.send(
            new CreateUserPoolClientCommand({
                UserPoolId: userPoolId,
                ClientName: "verify-totp-client",
                ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            }),
        );
        pool = { userPoolId, clientId: appClient.UserPoolClient!.ClientId! };
        secrets = {
            alice: await enrol(local, pool.userPoolId, pool.clientId, "alice", passwords.alice),
            bob: await enrol(local, pool.userPoolId, pool.clientId, "bob", passwords.bob),
            carol: await enrol(local, pool.userPoolId, pool.clientId, "carol", passwords.carol),
        };
        expect(secrets.carol, "the wrong secret below is another secret").to.not.equal(otherSecret);
        dir = tempDir();
        outputsFile = path.join(dir, "outputs.json");
        configFile = path.join(dir, "config.json");
    });
    beforeEach(() => {
        mocks = mockIdentityPoolSuccess();
    });
    afterEach(() => mocks.restore());
    after(async () => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        restoreEnv?.();
        await local?.stop();
    });

    const writeStack = (users: string[], totpSecrets: Record<string, string>) => {
        fs.writeFileSync(
            outputsFile,
            JSON.stringify(stackOutputs({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, totpSecrets })),
        );
        fs.writeFileSync(
            configFile,
            JSON.stringify(
                stackConfig(
                    Object.fromEntries(users.map((u) => [u, { mfa: "TOTP" }])),
                    Object.fromEntries(users.map((u) => [u, passwords[u as keyof typeof passwords]])),
                    false,
                ),
            ),
        );
    };

    it("signs an enrolled user in with the code from totpSecrets (its own clients, the real clock) and gets credentials", async () => {
        writeStack(["alice"], { alice: secrets.alice });
        const printed = capture();
        const code = await main(["--outputs", outputsFile, "--config", configFile], printed.deps);
        const text = printed.text();
        expect(code, text).to.equal(0);
        expect(text.split("\n").find((l) => l.startsWith("alice "))).to.match(
            new RegExp(`^alice\\s+OK \\(TOTP\\)\\s+${identityId}\\s+OK \\(authenticated role\\)\\s+2030-01-02T03:04:05.000Z$`),
        );
        // The login verify passed on is an ID token cognito-local issued to alice after the challenge.
        const logins = mocks.identity.commandCalls(GetIdCommand).find((c) => c.args[0].input.Logins)!.args[0].input.Logins!;
        const idToken = logins[`cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`];
        expect(claims(idToken)).to.include({ "cognito:username": "alice", token_use: "id" });
        expectNoLeak(text, { ...secrets, ...passwords, idToken }, "the printed output");
    });

    it("a user enrolled outside the stack keeps today's reason; a wrong secret is refused twice and says what to do; nothing secret printed", async () => {
        writeStack(["alice", "bob", "carol"], { alice: secrets.alice, carol: otherSecret });
        const seen: Record<string, string> = {};
        // A clock that skips its waits (the retry's wait for the next step) instead of sleeping.
        let skipped = 0;
        const clock: Clock = { now: () => new Date(Date.now() + skipped), sleep: async (ms) => void (skipped += ms) };
        let clients: Clients | undefined;
        const printed = capture();
        try {
            const code = await main(["--outputs", outputsFile, "--config", configFile], {
                ...printed.deps,
                clients: (r) => {
                    clients = { ...defaultClients(r), clock };
                    recordSecrets(clients.idp, seen);
                    return clients;
                },
            });
            expect(code).to.equal(1);
        } finally {
            clients?.idp.destroy();
            clients?.identity.destroy();
        }
        const text = printed.text();
        const row = (user: string) => text.split("\n").find((l) => l.startsWith(`${user} `)) ?? "";
        expect(row("alice")).to.match(/^alice\s+OK \(TOTP\)\s+us-east-1:/);
        expect(row("bob")).to.match(/^bob\s+FAILED\s+-\s+-\s+-$/);
        expect(row("carol")).to.match(/^carol\s+FAILED\s+-\s+-\s+-$/);
        expect(text).to.include(
            "bob: sign-in failed: MFA challenge (SOFTWARE_TOKEN_MFA): the user has MFA set up and verify cannot answer it; sign in interactively, or verify with a user without MFA",
        );
        expect(text).to.include(
            "carol: sign-in failed: TOTP code refused twice, in two 30-second steps: the secret in the stack's totpSecrets differs from the user's in the pool " +
                "(enrolled again outside Pulumi?); run pulumi refresh, then pulumi up re-enrols the user with a new secret (CodeMismatchException: Incorrect confirmation code)",
        );
        const codes = Object.keys(seen).filter((k) => k.startsWith("code"));
        expect(codes, "alice's code, carol's two").to.have.length(3);
        expect(Object.keys(seen).filter((k) => k.startsWith("session")).length, "sessions were issued").to.be.greaterThan(0);
        expect(Object.keys(seen).filter((k) => k.startsWith("IdToken")).length, "alice got tokens").to.equal(1);
        // 6-digit codes could match digits of the fixed ids by chance: scan for them without those.
        const withoutFixedIds = text.split(identityId).join("").split(guestIdentityId).join("").split("123456789012").join("");
        expectNoLeak(withoutFixedIds, seen, "the printed output");
        expectNoLeak(text, { ...secrets, otherSecret, ...passwords, ...credentialValues }, "the printed output");
    });
});
