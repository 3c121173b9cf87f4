import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { AdminGetUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { createCognitoUserProvider, CognitoUserInputs } from "../providers/cognitoUser/provider";
import { CognitoLocal, createPoolWithClient, startCognitoLocal, withEnv } from "../harness/cognitoLocal";
import { Clients, verifyUser } from "../scripts/verify/checks";
import { main } from "../scripts/verify/cli";
import { VerifyInputs } from "../scripts/verify/inputs";
import {
    IdentityPoolMock,
    capture,
    credentialValues,
    expectNoSecrets,
    guestIdentityId,
    identityId,
    mockIdentityPoolSuccess,
    region,
    stackConfig,
    stackOutputs,
    stsClientFor,
    tempDir,
} from "./verify.fixtures";

// scripts/verify, sign-in half, against cognito-local with users created through our own provider.
// The identity pool (which cognito-local does not have) and STS are mocked.

/** Passwords the tests use; they meet the component's default policy. */
const passwords = {
    alice: "Alice-Passw0rd#1",
    bob: "Bob-Passw0rd#22",
    bobWrong: "Bob-Wrong-Pw#333",
    carol: "Carol-Passw0rd#4",
    dave: "Dave-Passw0rd#55",
};

/**
 * A loopback proxy in front of cognito-local. It forwards every request and records the tokens the
 * emulator hands out (so the output scan knows them). It adds the one check real Cognito makes
 * that cognito-local 5.x lacks (its InitiateAuth never looks at `Enabled`): a disabled user is
 * refused with NotAuthorizedException "User is disabled.", AWS's answer.
 */
async function startSignInProxy(local: CognitoLocal, userPoolId: () => string) {
    const tokens: string[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", async () => {
            const body = Buffer.concat(chunks);
            const target = String(req.headers["x-amz-target"] ?? "");
            try {
                if (target.endsWith(".InitiateAuth")) {
                    const username = JSON.parse(body.toString()).AuthParameters?.USERNAME;
                    const user = await local.client
                        .send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: username }))
                        .catch(() => undefined);
                    if (user && user.Enabled === false) {
                        res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "NotAuthorizedException" });
                        res.end(JSON.stringify({ __type: "NotAuthorizedException", message: "User is disabled." }));
                        return;
                    }
                }
                const upstream = http.request(
                    {
                        host: "127.0.0.1",
                        port: local.port,
                        method: req.method,
                        path: req.url,
                        headers: { ...req.headers, host: `127.0.0.1:${local.port}` },
                    },
                    (up) => {
                        const out: Buffer[] = [];
                        up.on("data", (c: Buffer) => out.push(c));
                        up.on("end", () => {
                            const text = Buffer.concat(out).toString();
                            if (target.endsWith(".InitiateAuth")) {
                                const result = JSON.parse(text || "{}").AuthenticationResult ?? {};
                                for (const key of ["IdToken", "AccessToken", "RefreshToken"]) if (result[key]) tokens.push(result[key]);
                            }
                            res.writeHead(up.statusCode ?? 500, up.headers);
                            res.end(text);
                        });
                    },
                );
                upstream.on("error", (e) => {
                    res.writeHead(502);
                    res.end(String(e));
                });
                upstream.end(body);
            } catch (e) {
                res.writeHead(500);
                res.end(String(e));
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        tokens,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

describe("verify script: sign-in against cognito-local (users created by our provider)", function () {
    this.timeout(60_000);
    let local: CognitoLocal;
    let proxy: Awaited<ReturnType<typeof startSignInProxy>>;
    let restoreEnv: () => void;
    let pool: { userPoolId: string; clientId: string };
    let mocks: IdentityPoolMock;
    let idp: CognitoIdentityProviderClient;
    let inputs: VerifyInputs;

    before(async () => {
        local = await startCognitoLocal();
        proxy = await startSignInProxy(local, () => pool.userPoolId);
        // The provider (and the script's default clients) reach the emulator through the proxy via the SDK chain.
        restoreEnv = withEnv({ ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.url });
        pool = await createPoolWithClient(local, "verify-pool");
        const provider = createCognitoUserProvider();
        const create = (username: string, password: string, enabled: boolean) =>
            provider.create({
                userPoolId: pool.userPoolId,
                username,
                password,
                enabled,
                attributes: { email: `${username}@example.com`, email_verified: "true" },
                groups: [],
                passwordPolicy: {
                    minimumLength: 12,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: true,
                },
                adoptExisting: false,
            } as CognitoUserInputs);
        await create("alice", passwords.alice, true);
        await create("bob", passwords.bob, true);
        await create("carol", passwords.carol, false); // disabled in the pool
        await create("dave", passwords.dave, false); // disabled in the pool and in config
        const carol = await local.client.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: "carol" }));
        expect(carol.Enabled, "the provider disabled carol").to.equal(false);
        idp = new CognitoIdentityProviderClient({ region });
        inputs = {
            region,
            userPoolId: pool.userPoolId,
            clientId: pool.clientId,
            identityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000",
            authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth",
            unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth",
            users: [],
        };
    });

    beforeEach(() => {
        mocks = mockIdentityPoolSuccess();
    });
    afterEach(() => mocks.restore());

    after(async () => {
        idp?.destroy();
        restoreEnv?.();
        await proxy?.close();
        await local?.stop();
    });

    const clients = (): Clients => ({ idp, identity: new CognitoIdentityClient({ region }), stsWith: stsClientFor });

    it("signs a provider-created user in and passes the ID token to the identity pool", async () => {
        const outcome = await verifyUser(clients(), inputs, { username: "alice", password: passwords.alice, enabled: true });
        expect(outcome).to.deep.equal({
            user: "alice",
            signIn: "ok",
            identityId,
            credentials: { role: "authenticated", expiration: new Date("2030-01-02T03:04:05.000Z") },
        });
        const getId = mocks.identity.commandCalls(GetIdCommand)[0].args[0].input;
        const login = getId.Logins?.[`cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`];
        expect(getId.IdentityPoolId).to.equal(inputs.identityPoolId);
        expect(proxy.tokens, "the login is the emulator's ID token").to.include(login);
        const creds = mocks.identity.commandCalls(GetCredentialsForIdentityCommand)[0].args[0].input;
        expect(creds.IdentityId).to.equal(identityId);
        expect(creds.Logins).to.deep.equal(getId.Logins);
    });

    it("explains a wrong password", async () => {
        const outcome = await verifyUser(clients(), inputs, { username: "bob", password: passwords.bobWrong, enabled: true });
        expect(outcome.signIn).to.equal(undefined);
        expect(outcome.failure?.step).to.equal("sign-in");
        expect(outcome.failure?.reason).to.match(/^wrong password/);
        expect(mocks.identity.commandCalls(GetIdCommand)).to.have.length(0);
    });

    it("explains a user disabled in the pool", async () => {
        const outcome = await verifyUser(clients(), inputs, { username: "carol", password: passwords.carol, enabled: true });
        expect(outcome.failure?.step).to.equal("sign-in");
        expect(outcome.failure?.reason).to.match(/^user is disabled in the pool/);
        expect(outcome.failure?.error).to.deep.equal({ name: "NotAuthorizedException", message: "User is disabled." });
    });

    it("accepts the refusal of a user disabled in config", async () => {
        const outcome = await verifyUser(clients(), inputs, { username: "dave", password: passwords.dave, enabled: false });
        expect(outcome).to.deep.equal({ user: "dave", signIn: "refused-as-expected" });
    });

    it("fails a user disabled in config that can still sign in", async () => {
        const outcome = await verifyUser(clients(), inputs, { username: "alice", password: passwords.alice, enabled: false });
        expect(outcome.failure?.reason).to.match(/disabled in config but signed in/);
    });

    it("runs end to end from files through the SDK chain, exits 1, and prints no secret", async () => {
        const dir = tempDir();
        try {
            const outputsFile = path.join(dir, "outputs.json");
            const configFile = path.join(dir, "config.json");
            fs.writeFileSync(outputsFile, JSON.stringify(stackOutputs({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId })));
            fs.writeFileSync(
                configFile,
                JSON.stringify(
                    stackConfig(
                        { alice: { email: "alice@example.com" }, bob: {}, carol: {}, dave: { enabled: false } },
                        { alice: passwords.alice, bob: passwords.bobWrong, carol: passwords.carol, dave: passwords.dave },
                        false,
                    ),
                ),
            );
            const printed = capture();
            // No injected clients: the script builds its own from the standard chain (env endpoint -> proxy).
            const code = await main(["--outputs", outputsFile, "--config", configFile], printed.deps);
            const text = printed.text();
            expect(code).to.equal(1);
            const row = (user: string) => text.split("\n").find((l) => l.startsWith(`${user} `)) ?? "";
            expect(row("alice")).to.match(
                new RegExp(`^alice\\s+OK\\s+${identityId}\\s+OK \\(authenticated role\\)\\s+2030-01-02T03:04:05.000Z$`),
            );
            expect(row("bob")).to.match(/^bob\s+FAILED\s+-\s+-\s+-$/);
            expect(row("carol")).to.match(/^carol\s+FAILED\s+-/);
            expect(row("dave")).to.match(/^dave\s+refused \(disabled in config, as expected\)\s+-\s+-\s+-$/);
            expect(row("(guest)")).to.match(
                new RegExp(`^\\(guest\\)\\s+n/a \\(guest\\)\\s+${guestIdentityId}\\s+OK \\(unauthenticated role\\)`),
            );
            expect(text).to.match(/^bob: sign-in failed: wrong password\b.*\((InvalidPasswordException|NotAuthorizedException): [^)]+\)$/m);
            expect(text).to.include(
                "carol: sign-in failed: user is disabled in the pool; set enabled: true in config and run pulumi up (NotAuthorizedException: User is disabled.)",
            );
            expect(printed.stderr).to.deep.equal(["verify: 2 of 5 checks failed"]);
            expect(proxy.tokens.length, "tokens were issued, so the scan below means something").to.be.greaterThan(0);
            expectNoSecrets(text, {
                ...passwords,
                ...Object.fromEntries(proxy.tokens.map((t, i) => [`token${i}`, t])),
                ...credentialValues,
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
