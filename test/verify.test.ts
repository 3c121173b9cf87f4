import { expect } from "chai";
import { spawnSync } from "child_process";
import { createHmac } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import {
    AdminGetUserCommand, CognitoIdentityProviderClient, InitiateAuthCommand,
    NotAuthorizedException as IdpNotAuthorized, PasswordResetRequiredException, UserNotConfirmedException,
    UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import {
    CognitoIdentityClient, ExternalServiceException, GetCredentialsForIdentityCommand, GetIdCommand,
    InvalidIdentityPoolConfigurationException, NotAuthorizedException, ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { createCognitoUserProvider, CognitoUserInputs } from "../providers/cognitoUser";
import { CognitoLocal, createPoolWithClient, startCognitoLocal, withEnv } from "./helpers/cognitoLocal";
import {
    Clients, InputError, MainDeps, UserToVerify, VerifyInputs, formatTable, loadInputs, main, parseArgs, secretHash,
    usage, verifyGuest, verifyUser,
} from "../scripts/verify";


// Tests of scripts/verify.ts (issue 5). The sign-in half runs against cognito-local with users
// created through our own provider; the identity-pool half (which cognito-local does not have) uses
// aws-sdk-client-mock. Every printed line is collected and scanned for passwords, tokens, the
// client secret and credential values: none may appear.

const root = path.resolve(__dirname, "..");
const region = "us-east-1";

/** Passwords the tests use; they meet the component's default policy. */
const passwords = {
    alice: "Alice-Passw0rd#1",
    bob: "Bob-Passw0rd#22",
    bobWrong: "Bob-Wrong-Pw#333",
    carol: "Carol-Passw0rd#4",
    dave: "Dave-Passw0rd#55",
};

/** Fake credential values returned by the mocked identity pool. */
const fakeCredentials = {
    AccessKeyId: "ASIAFAKEACCESSKEY123",
    SecretKey: "fakeSecretKeyValue/abcdefghijklmnopqrstuv",
    SessionToken: "FakeSessionTokenValue+0123456789abcdefghijklmnopqrstuvwxyz",
    Expiration: new Date("2030-01-02T03:04:05.000Z"),
};
const guestCredentials = {
    AccessKeyId: "ASIAFAKEGUESTKEY9876",
    SecretKey: "fakeGuestSecretKeyValue/zyxwvutsrqponmlkji",
    SessionToken: "FakeGuestSessionTokenValue+9876543210zyxwvutsrqponmlk",
    Expiration: new Date("2030-01-02T03:04:05.000Z"),
};
const identityId = "us-east-1:11111111-2222-3333-4444-555555555555";
const guestIdentityId = "us-east-1:99999999-8888-7777-6666-555555555555";

/** Collects everything main() prints. */
function capture(): { deps: Pick<MainDeps, "out" | "err">; text: () => string } {
    const lines: string[] = [];
    return { deps: { out: (t) => lines.push(t), err: (t) => lines.push(t) }, text: () => lines.join("\n") };
}

/** Asserts none of the given secret values occurs in the text (without printing the values). */
function expectNoSecrets(text: string, secrets: Record<string, string>) {
    const leaked = Object.entries(secrets).filter(([, value]) => value && text.includes(value)).map(([name]) => name);
    expect(leaked, "secret values found in the printed output (names only)").to.deep.equal([]);
}

/** An STS client signing with the given temporary credentials (as the script's default does). */
function stsClientFor(c: { AccessKeyId?: string; SecretKey?: string; SessionToken?: string }): STSClient {
    return new STSClient({ region, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken } });
}

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "verify-test-"));
}

/** Stack outputs as `pulumi stack output --json --show-secrets` prints them. */
function stackOutputs(over: Record<string, unknown> = {}) {
    return {
        region,
        userPoolId: "us-east-1_TestPool1",
        userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_TestPool1",
        userPoolClientId: "testclientid123",
        identityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000",
        authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth",
        unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth",
        users: {},
        ...over,
    };
}

/** Stack config as `pulumi config --json --show-secrets` prints it (`value` is JSON text for objects). */
function stackConfig(users: Record<string, unknown>, pws: Record<string, string>, withObjectValue: boolean) {
    const entry = (value: unknown, secret: boolean) => ({
        value: JSON.stringify(value), secret, ...(withObjectValue ? { objectValue: value } : {}),
    });
    return {
        "aws:region": { value: region, secret: false },
        "cognito-auth:allowUnauthenticatedIdentities": { value: "true", secret: false },
        "cognito-auth:users": entry(users, false),
        "cognito-auth:passwords": entry(pws, true),
    };
}

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
                    const user = await local.client.send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: username }))
                        .catch(() => undefined);
                    if (user && user.Enabled === false) {
                        res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "NotAuthorizedException" });
                        res.end(JSON.stringify({ __type: "NotAuthorizedException", message: "User is disabled." }));
                        return;
                    }
                }
                const upstream = http.request({
                    host: "127.0.0.1", port: local.port, method: req.method, path: req.url,
                    headers: { ...req.headers, host: `127.0.0.1:${local.port}` },
                }, (up) => {
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
                });
                upstream.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
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

/**
 * Mocked identity pool answering GetId / GetCredentialsForIdentity successfully (guests get
 * credentials of their own), and STS saying whose credentials they are: the stack's
 * authenticated role `auth` for a login, `unauth` for a guest (or `roleFor` to test mismatches).
 */
function mockIdentityPoolSuccess(roleFor: (guest: boolean) => string = (guest) => (guest ? "unauth" : "auth")) {
    const identity = mockClient(CognitoIdentityClient);
    identity.on(GetIdCommand).callsFake((input) => ({ IdentityId: input.Logins ? identityId : guestIdentityId }));
    identity.on(GetCredentialsForIdentityCommand).callsFake((input) => ({
        IdentityId: input.IdentityId, Credentials: input.Logins ? fakeCredentials : guestCredentials,
    }));
    sts?.restore();
    sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
        const { accessKeyId } = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
        const role = roleFor(accessKeyId === guestCredentials.AccessKeyId);
        return { Arn: `arn:aws:sts::123456789012:assumed-role/${role}/CognitoIdentityCredentials`, Account: "123456789012" };
    });
    return identity;
}
let sts: AwsClientStub<STSClient> | undefined;
after(() => sts?.restore());

describe("verify script: sign-in against cognito-local (users created by our provider)", function () {
    this.timeout(60_000);
    let local: CognitoLocal;
    let proxy: Awaited<ReturnType<typeof startSignInProxy>>;
    let restoreEnv: () => void;
    let pool: { userPoolId: string; clientId: string };
    let identity: AwsClientStub<CognitoIdentityClient>;
    let idp: CognitoIdentityProviderClient;
    let inputs: VerifyInputs;

    before(async () => {
        local = await startCognitoLocal();
        proxy = await startSignInProxy(local, () => pool.userPoolId);
        // The provider (and the script's default clients) reach the emulator through the proxy via the SDK chain.
        restoreEnv = withEnv({ ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.url });
        pool = await createPoolWithClient(local, "verify-pool");
        const provider = createCognitoUserProvider();
        const create = (username: string, password: string, enabled: boolean) => provider.create({
            userPoolId: pool.userPoolId, username, password, enabled,
            attributes: { email: `${username}@example.com`, email_verified: "true" }, groups: [],
            passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
            adoptExisting: false,
        } as CognitoUserInputs);
        await create("alice", passwords.alice, true);
        await create("bob", passwords.bob, true);
        await create("carol", passwords.carol, false); // disabled in the pool
        await create("dave", passwords.dave, false);   // disabled in the pool and in config
        const carol = await local.client.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: "carol" }));
        expect(carol.Enabled, "the provider disabled carol").to.equal(false);
        idp = new CognitoIdentityProviderClient({ region });
        inputs = {
            region, userPoolId: pool.userPoolId, clientId: pool.clientId,
            identityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000",
            authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth",
            unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth",
            users: [],
        };
    });

    beforeEach(() => { identity = mockIdentityPoolSuccess(); });
    afterEach(() => identity.restore());

    after(async () => {
        idp?.destroy();
        restoreEnv?.();
        await proxy?.close();
        await local?.stop();
    });

    const clients = (): Clients => ({ idp, identity: new CognitoIdentityClient({ region }), stsWith: stsClientFor });

    it("signs a provider-created user in and passes the ID token to the identity pool", async () => {
        const report = await verifyUser(clients(), inputs, { username: "alice", password: passwords.alice, enabled: true });
        expect(report.failure).to.equal(undefined);
        expect(report).to.include({ ok: true, signIn: "OK", identity: identityId, credentials: "OK (authenticated role)", expiry: "2030-01-02T03:04:05.000Z" });
        const getId = identity.commandCalls(GetIdCommand)[0].args[0].input;
        const login = getId.Logins?.[`cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`];
        expect(getId.IdentityPoolId).to.equal(inputs.identityPoolId);
        expect(proxy.tokens, "the login is the emulator's ID token").to.include(login);
        const creds = identity.commandCalls(GetCredentialsForIdentityCommand)[0].args[0].input;
        expect(creds.IdentityId).to.equal(identityId);
        expect(creds.Logins).to.deep.equal(getId.Logins);
    });

    it("explains a wrong password", async () => {
        const report = await verifyUser(clients(), inputs, { username: "bob", password: passwords.bobWrong, enabled: true });
        expect(report.ok).to.equal(false);
        expect(report.signIn).to.equal("FAILED");
        expect(report.failure?.step).to.equal("sign-in");
        expect(report.failure?.reason).to.match(/^wrong password/);
        expect(identity.commandCalls(GetIdCommand)).to.have.length(0);
    });

    it("explains a user disabled in the pool", async () => {
        const report = await verifyUser(clients(), inputs, { username: "carol", password: passwords.carol, enabled: true });
        expect(report.failure?.step).to.equal("sign-in");
        expect(report.failure?.reason).to.match(/^user is disabled in the pool/);
    });

    it("accepts the refusal of a user disabled in config", async () => {
        const report = await verifyUser(clients(), inputs, { username: "dave", password: passwords.dave, enabled: false });
        expect(report).to.include({ ok: true, signIn: "refused (disabled in config, as expected)", credentials: "-" });
    });

    it("fails a user disabled in config that can still sign in", async () => {
        const report = await verifyUser(clients(), inputs, { username: "alice", password: passwords.alice, enabled: false });
        expect(report.ok).to.equal(false);
        expect(report.failure?.reason).to.match(/disabled in config but signed in/);
    });

    it("runs end to end from files through the SDK chain, exits 1, and prints no secret", async () => {
        const dir = tempDir();
        try {
            const outputsFile = path.join(dir, "outputs.json");
            const configFile = path.join(dir, "config.json");
            fs.writeFileSync(outputsFile, JSON.stringify(stackOutputs({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId })));
            fs.writeFileSync(configFile, JSON.stringify(stackConfig(
                { alice: { email: "alice@example.com" }, bob: {}, carol: {}, dave: { enabled: false } },
                { alice: passwords.alice, bob: passwords.bobWrong, carol: passwords.carol, dave: passwords.dave },
                false,
            )));
            const printed = capture();
            // No injected clients: the script builds its own from the standard chain (env endpoint -> proxy).
            const code = await main(["--outputs", outputsFile, "--config", configFile], printed.deps);
            const text = printed.text();
            expect(code).to.equal(1);
            const row = (user: string) => text.split("\n").find((l) => l.startsWith(`${user} `)) ?? "";
            expect(row("alice")).to.include("OK").and.include(identityId).and.include("2030-01-02T03:04:05.000Z");
            expect(row("bob")).to.include("FAILED");
            expect(row("carol")).to.include("FAILED");
            expect(row("dave")).to.include("refused (disabled in config, as expected)");
            expect(row("(guest)")).to.include(guestIdentityId).and.include("OK (unauthenticated role)");
            expect(text).to.match(/bob: sign-in failed: wrong password/);
            expect(text).to.match(/carol: sign-in failed: user is disabled in the pool/);
            expect(text).to.include("2 of 5 checks failed");
            expect(proxy.tokens.length, "tokens were issued, so the scan below means something").to.be.greaterThan(0);
            expectNoSecrets(text, {
                ...passwords,
                ...Object.fromEntries(proxy.tokens.map((t, i) => [`token${i}`, t])),
                accessKeyId: fakeCredentials.AccessKeyId, secretKey: fakeCredentials.SecretKey, sessionToken: fakeCredentials.SessionToken,
                guestAccessKeyId: guestCredentials.AccessKeyId, guestSecretKey: guestCredentials.SecretKey, guestSessionToken: guestCredentials.SessionToken,
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("verify script: identity pool and sign-in failures (aws-sdk-client-mock)", () => {
    const idToken = "eyJ.mock-id-token.signature";
    const accessToken = "eyJ.mock-access-token.signature";
    const clientSecret = "mock-client-secret-value-1234567890";
    const user: UserToVerify = { username: "johndoe", password: "newPassword123#", enabled: true };
    let idpMock: AwsClientStub<CognitoIdentityProviderClient>;
    let identityMock: AwsClientStub<CognitoIdentityClient>;
    const inputs: VerifyInputs = {
        region, userPoolId: "us-east-1_TestPool1", clientId: "testclientid123",
        identityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000",
        authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth",
        unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth",
        users: [user],
    };
    const clients = (): Clients => ({ idp: new CognitoIdentityProviderClient({ region }), identity: new CognitoIdentityClient({ region }), stsWith: stsClientFor });

    beforeEach(() => {
        idpMock = mockClient(CognitoIdentityProviderClient);
        idpMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: idToken, AccessToken: accessToken, RefreshToken: "refresh-xyz-123" } });
        identityMock = mockIdentityPoolSuccess();
    });
    afterEach(() => {
        idpMock.restore();
        identityMock.restore();
    });

    it("succeeds for a user and for a guest", async () => {
        const report = await verifyUser(clients(), inputs, user);
        expect(report).to.include({ ok: true, signIn: "OK", identity: identityId, credentials: "OK (authenticated role)" });
        const auth = idpMock.commandCalls(InitiateAuthCommand)[0].args[0].input as any;
        expect(auth.AuthFlow).to.equal("USER_PASSWORD_AUTH");
        expect(auth.AuthParameters.SECRET_HASH, "no SECRET_HASH without a client secret").to.equal(undefined);
        expect(identityMock.commandCalls(GetIdCommand)[0].args[0].input.Logins)
            .to.deep.equal({ "cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1": idToken });
        const guest = await verifyGuest(clients(), inputs);
        expect(guest).to.include({ ok: true, identity: guestIdentityId, credentials: "OK (unauthenticated role)" });
        expect(identityMock.commandCalls(GetIdCommand)[1].args[0].input.Logins).to.equal(undefined);
        expect(identityMock.commandCalls(GetCredentialsForIdentityCommand)[1].args[0].input.Logins).to.equal(undefined);
    });

    it("sends SECRET_HASH when the outputs have a client secret", async () => {
        await verifyUser(clients(), { ...inputs, clientSecret }, user);
        const auth = idpMock.commandCalls(InitiateAuthCommand)[0].args[0].input as any;
        const expected = createHmac("sha256", clientSecret).update(user.username + inputs.clientId).digest("base64");
        expect(auth.AuthParameters.SECRET_HASH).to.equal(expected);
    });

    const signInCases: [string, () => unknown, RegExp][] = [
        ["wrong password", () => new IdpNotAuthorized({ message: "Incorrect username or password.", $metadata: {} }), /^wrong password/],
        ["user disabled", () => new IdpNotAuthorized({ message: "User is disabled.", $metadata: {} }), /^user is disabled in the pool/],
        ["user not confirmed", () => new UserNotConfirmedException({ message: "User is not confirmed.", $metadata: {} }), /^user not confirmed/],
        ["password reset", () => new PasswordResetRequiredException({ message: "Password reset required for the user", $metadata: {} }), /^password reset required/],
        ["no such user", () => new UserNotFoundException({ message: "User does not exist.", $metadata: {} }), /^user does not exist/],
        ["secret hash", () => new IdpNotAuthorized({ message: "Unable to verify secret hash for client testclientid123", $metadata: {} }), /^client secret mismatch/],
    ];
    for (const [name, error, reason] of signInCases) {
        it(`explains a sign-in failure: ${name}`, async () => {
            idpMock.on(InitiateAuthCommand).rejects(error() as Error);
            const report = await verifyUser(clients(), { ...inputs, clientSecret }, user);
            expect(report.ok).to.equal(false);
            expect(report.failure?.step).to.equal("sign-in");
            expect(report.failure?.reason).to.match(reason);
            expect(identityMock.commandCalls(GetIdCommand)).to.have.length(0);
        });
    }

    const challengeCases: [string, RegExp][] = [
        ["NEW_PASSWORD_REQUIRED", /^user not confirmed: Cognito asks for a new password/],
        ["SOFTWARE_TOKEN_MFA", /^MFA challenge \(SOFTWARE_TOKEN_MFA\)/],
        ["SMS_MFA", /^MFA challenge \(SMS_MFA\)/],
        ["MFA_SETUP", /^MFA challenge \(MFA_SETUP\): the pool requires MFA/],
    ];
    for (const [challenge, reason] of challengeCases) {
        it(`explains a sign-in challenge: ${challenge}`, async () => {
            idpMock.on(InitiateAuthCommand).resolves({ ChallengeName: challenge as any, Session: "session-secret-abc" });
            const report = await verifyUser(clients(), inputs, user);
            expect(report.failure?.step).to.equal("sign-in");
            expect(report.failure?.reason).to.match(reason);
        });
    }

    const trust = /^role trust mismatch: the role's trust policy must allow this identity pool \(aud\) and amr authenticated/;
    const identityCases: [string, "GetId" | "GetCredentialsForIdentity", () => unknown, "identity" | "credentials", RegExp][] = [
        ["role trust mismatch", "GetCredentialsForIdentity", () => new InvalidIdentityPoolConfigurationException({ message: "Invalid identity pool configuration. Check assigned IAM roles for this pool.", $metadata: {} }), "credentials", trust],
        ["STS access denied", "GetCredentialsForIdentity", () => Object.assign(new Error("Not authorized to perform sts:AssumeRoleWithWebIdentity"), { name: "AccessDenied" }), "credentials", trust],
        ["token from another provider", "GetId", () => new NotAuthorizedException({ message: "Token is not from a supported provider of this identity pool.", $metadata: {} }), "identity", /^the identity pool does not accept this user pool's token/],
        ["identity pool missing", "GetId", () => new ResourceNotFoundException({ message: "IdentityPool 'us-east-1:0000' not found.", $metadata: {} }), "identity", /^the identity pool does not exist/],
        ["external service", "GetCredentialsForIdentity", () => new ExternalServiceException({ message: "Cognito IdP is unavailable", $metadata: {} }), "credentials", /^the identity pool could not check the token/],
    ];
    for (const [name, command, error, step, reason] of identityCases) {
        it(`explains an identity-pool failure: ${name}`, async () => {
            if (command === "GetId") identityMock.on(GetIdCommand).rejects(error() as Error);
            else identityMock.on(GetCredentialsForIdentityCommand).rejects(error() as Error);
            const report = await verifyUser(clients(), inputs, user);
            expect(report.signIn).to.equal("OK");
            expect(report.ok).to.equal(false);
            expect(report.failure?.step).to.equal(step);
            expect(report.failure?.reason).to.match(reason);
        });
    }

    it("explains guests refused by the identity pool", async () => {
        identityMock.on(GetIdCommand).rejects(new NotAuthorizedException({ message: "Unauthenticated access is not supported for this identity pool.", $metadata: {} }));
        const report = await verifyGuest(clients(), inputs);
        expect(report.failure?.step).to.equal("identity");
        expect(report.failure?.reason).to.match(/^guests are not allowed by the identity pool/);
    });

    it("explains a guest role trust mismatch with amr unauthenticated", async () => {
        identityMock.on(GetCredentialsForIdentityCommand).rejects(new InvalidIdentityPoolConfigurationException({ message: "Invalid identity pool configuration. Check assigned IAM roles for this pool.", $metadata: {} }));
        const report = await verifyGuest(clients(), inputs);
        expect(report.failure?.reason).to.match(/amr unauthenticated/);
    });

    it("fails when the identity pool returns incomplete credentials", async () => {
        identityMock.on(GetCredentialsForIdentityCommand).resolves({ IdentityId: identityId, Credentials: { AccessKeyId: "ASIAONLY" } });
        const report = await verifyUser(clients(), inputs, user);
        expect(report.failure?.step).to.equal("credentials");
        expect(report.failure?.reason).to.match(/no complete credentials/);
    });

    it("asks STS with the identity's own credentials whose they are", async () => {
        await verifyUser(clients(), inputs, user);
        const calls = sts!.commandCalls(GetCallerIdentityCommand);
        expect(calls).to.have.length(1);
        const used = await (calls[0].thisValue as STSClient).config.credentials();
        expect(used.accessKeyId).to.equal(fakeCredentials.AccessKeyId);
    });

    it("fails when the credentials are for another role than the stack's authenticated role", async () => {
        identityMock.restore();
        identityMock = mockIdentityPoolSuccess(() => "unauth");
        const report = await verifyUser(clients(), inputs, user);
        expect(report.ok).to.equal(false);
        expect(report.failure?.step).to.equal("credentials");
        expect(report.failure?.reason).to.match(/^the credentials are for role unauth, not for the authenticated role auth/);
    });

    it("fails when guest credentials are for the authenticated role", async () => {
        identityMock.restore();
        identityMock = mockIdentityPoolSuccess(() => "auth");
        const report = await verifyGuest(clients(), inputs);
        expect(report.failure?.step).to.equal("credentials");
        expect(report.failure?.reason).to.match(/not for the unauthenticated role unauth/);
    });

    it("fails clearly when STS cannot be asked", async () => {
        sts!.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" }));
        const report = await verifyUser(clients(), inputs, user);
        expect(report.failure?.step).to.equal("credentials");
        expect(report.failure?.reason).to.match(/^could not ask STS which role the credentials are for \(ExpiredToken/);
    });

    it("fails a user without a password in config, naming the command to set one", async () => {
        const report = await verifyUser(clients(), inputs, { username: "nopw", enabled: true });
        expect(report.failure?.reason).to.include("pulumi config set --secret --path 'passwords.nopw'");
        expect(idpMock.commandCalls(InitiateAuthCommand)).to.have.length(0);
    });

    it("prints the table, exits 0 on success and 1 on failure, and never prints a secret", async () => {
        const runner = async (args: string[]) => JSON.stringify(args[0] === "stack"
            ? stackOutputs({ clientSecret })
            : stackConfig({ johndoe: { email: "j@example.com" } }, { johndoe: user.password! }, true));
        const injected = () => clients();
        const ok = capture();
        expect(await main(["-s", "dev"], { ...ok.deps, runPulumi: runner, clients: injected })).to.equal(0);
        expect(ok.text()).to.match(/^user\s+sign-in\s+identity\s+credentials\s+expiry$/m);
        expect(ok.text()).to.match(/^johndoe\s+OK\s+us-east-1:1111/m);
        expect(ok.text()).to.include("all 2 checks passed");

        identityMock.on(GetCredentialsForIdentityCommand).rejects(new InvalidIdentityPoolConfigurationException({ message: "Invalid identity pool configuration.", $metadata: {} }));
        const bad = capture();
        expect(await main(["--stack=dev"], { ...bad.deps, runPulumi: runner, clients: injected })).to.equal(1);
        expect(bad.text()).to.match(/johndoe: credentials failed: role trust mismatch/);
        for (const text of [ok.text(), bad.text()]) {
            expectNoSecrets(text, {
                password: user.password!, clientSecret, idToken, accessToken, refreshToken: "refresh-xyz-123",
                secretHash: secretHash(clientSecret, user.username, inputs.clientId),
                accessKeyId: fakeCredentials.AccessKeyId, secretKey: fakeCredentials.SecretKey, sessionToken: fakeCredentials.SessionToken,
                guestAccessKeyId: guestCredentials.AccessKeyId, guestSecretKey: guestCredentials.SecretKey, guestSessionToken: guestCredentials.SessionToken,
            });
        }
    });
});

describe("verify script: SECRET_HASH", () => {
    it("matches an independent HMAC-SHA256 and a fixed vector", () => {
        const independent = createHmac("sha256", Buffer.from("secret", "utf8")).update(Buffer.from("johndoeclientid", "utf8")).digest().toString("base64");
        expect(secretHash("secret", "johndoe", "clientid")).to.equal(independent);
        // Derived once (node crypto and Python hmac agree): base64(HMAC-SHA256("secret", "johndoeclientid")).
        expect(secretHash("secret", "johndoe", "clientid")).to.equal("s4y3R57am9Rf8Iu0WzNIC3dHr3Iy+lN0GgNu65hqDKo=");
        expect(secretHash("secret", "clientid", "johndoe"), "order is username then client id").to.not.equal(independent);
    });
});

describe("verify script: inputs and usage", () => {
    it("reads outputs and config from files, with value (JSON text) or objectValue", async () => {
        const dir = tempDir();
        try {
            for (const withObjectValue of [false, true]) {
                fs.writeFileSync(path.join(dir, "o.json"), JSON.stringify(stackOutputs({ clientSecret: "cs-123456" })));
                fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(stackConfig(
                    { johndoe: { email: "j@example.com" }, off: { enabled: false }, nopw: {} }, { johndoe: "Pw-123456789#", off: "Pw-987654321#" }, withObjectValue)));
                const never = async () => { throw new Error("the CLI must not run when files are given"); };
                const loaded = await loadInputs({ outputsFile: path.join(dir, "o.json"), configFile: path.join(dir, "c.json") }, never);
                expect(loaded).to.deep.equal({
                    region, userPoolId: "us-east-1_TestPool1", clientId: "testclientid123", clientSecret: "cs-123456",
                    identityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000",
                    authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth", unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth",
                    users: [
                        { username: "johndoe", password: "Pw-123456789#", enabled: true },
                        { username: "off", password: "Pw-987654321#", enabled: false },
                        { username: "nopw", password: undefined, enabled: true },
                    ],
                });
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("calls the Pulumi CLI with --json --show-secrets for the named stack", async () => {
        const calls: string[][] = [];
        const runner = async (args: string[]) => {
            calls.push(args);
            return JSON.stringify(args[0] === "stack" ? stackOutputs({ unauthenticatedRoleArn: undefined }) : stackConfig({}, {}, true));
        };
        const loaded = await loadInputs({ stack: "dev" }, runner);
        expect(calls).to.deep.equal([
            ["stack", "output", "--json", "--show-secrets", "-s", "dev"],
            ["config", "--json", "--show-secrets", "-s", "dev"],
        ]);
        expect(loaded.unauthenticatedRoleArn).to.equal(undefined);
        expect(loaded.users).to.deep.equal([]);
    });

    it("rejects outputs read without --show-secrets and missing outputs, with exit code 2", async () => {
        const masked = async (args: string[]) => JSON.stringify(args[0] === "stack" ? stackOutputs({ clientSecret: "[secret]" }) : stackConfig({}, {}, false));
        let error: unknown;
        await loadInputs({}, masked).catch((e) => { error = e; });
        expect(error).to.be.instanceOf(InputError);
        expect((error as Error).message).to.include("--show-secrets");

        const noValue = async (args: string[]) => JSON.stringify(args[0] === "stack" ? stackOutputs() : { "cognito-auth:passwords": { secret: true } });
        error = undefined;
        await loadInputs({}, noValue).catch((e) => { error = e; });
        expect((error as Error).message).to.match(/cognito-auth:passwords is secret.*--show-secrets/);

        const missing = async (args: string[]) => JSON.stringify(args[0] === "stack" ? stackOutputs({ identityPoolId: undefined }) : {});
        const printed = capture();
        expect(await main([], { ...printed.deps, runPulumi: missing })).to.equal(2);
        expect(printed.text()).to.include("stack output identityPoolId is missing");

        const noFile = capture();
        expect(await main(["--outputs", "/nonexistent/outputs.json", "--config", "/nonexistent/c.json"], noFile.deps)).to.equal(2);
        expect(noFile.text()).to.include("cannot read the outputs file");
    });

    it("parses arguments and refuses unknown ones", () => {
        expect(parseArgs(["-s", "dev", "--outputs=o.json", "--config", "c.json"])).to.deep.equal({ help: false, stack: "dev", outputsFile: "o.json", configFile: "c.json" });
        expect(() => parseArgs(["--nope"])).to.throw(InputError, "unknown argument --nope");
        expect(() => parseArgs(["--stack"])).to.throw(InputError, "--stack needs a value");
    });

    it("--help explains usage through main() and through the entry point", async () => {
        const printed = capture();
        expect(await main(["--help"], printed.deps)).to.equal(0);
        expect(printed.text()).to.equal(usage);
        for (const flag of ["--stack", "--outputs", "--config", "--help", "SECRET_HASH", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"]) {
            expect(usage).to.include(flag);
        }
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/verify.ts", "--help"], { cwd: root, encoding: "utf8" });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.include("Usage: npm run verify -- [options]");
        const bad = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/verify.ts", "--bogus"], { cwd: root, encoding: "utf8" });
        expect(bad.status).to.equal(2);
        expect(bad.stderr).to.include("unknown argument --bogus");
    });

    it("formats failures as 'user: step failed: reason' under the table", () => {
        const text = formatTable([
            { user: "a", signIn: "OK", identity: "id-1", credentials: "OK (authenticated role)", expiry: "2030-01-01T00:00:00.000Z", ok: true },
            { user: "bb", signIn: "FAILED", identity: "-", credentials: "-", expiry: "-", ok: false, failure: { step: "sign-in", reason: "wrong password" } },
        ]);
        const lines = text.split("\n");
        expect(lines[0]).to.match(/^user\s+sign-in\s+identity\s+credentials\s+expiry$/);
        expect(lines[2]).to.match(/^a\s+OK\s+id-1\s+OK \(authenticated role\)\s+2030/);
        expect(lines).to.include("bb: sign-in failed: wrong password");
    });
});

describe("workflows (.github/workflows, parsed with js-yaml)", () => {
    // js-yaml comes with mocha and @pulumi/pulumi; it has no types here.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const yaml = require("js-yaml") as { load(text: string): any };
    const load = (name: string) => yaml.load(fs.readFileSync(path.join(root, ".github", "workflows", name), "utf8"));
    const indexOf = (steps: any[], match: (step: any) => boolean) => steps.findIndex(match);
    const uses = (prefix: string) => (step: any) => typeof step.uses === "string" && step.uses.startsWith(prefix);
    const runs = (command: string) => (step: any) => typeof step.run === "string" && step.run.split("\n").some((l: string) => l.trim() === command);

    for (const [file, command] of [["preview.yml", "preview"], ["deploy.yml", "up"]] as const) {
        it(`${file}: npm ci and npm test run before pulumi ${command}, with OIDC AWS credentials and secrets`, () => {
            const workflow = load(file);
            const jobs = Object.values(workflow.jobs) as any[];
            expect(jobs).to.have.length(1);
            const job = jobs[0];
            expect(job.permissions["id-token"]).to.equal("write");
            const steps: any[] = job.steps;
            const checkout = indexOf(steps, uses("actions/checkout@"));
            const node = indexOf(steps, uses("actions/setup-node@"));
            const ci = indexOf(steps, runs("npm ci"));
            const test = indexOf(steps, runs("npm test"));
            const aws = indexOf(steps, uses("aws-actions/configure-aws-credentials@"));
            const pulumi = indexOf(steps, (s) => uses("pulumi/actions@")(s) && s.with?.command === command);
            expect([checkout, node, ci, test, aws, pulumi].every((i) => i >= 0), "all steps present").to.equal(true);
            expect(checkout < node && node < ci && ci < test && test < aws && aws < pulumi, "step order").to.equal(true);
            expect(String(steps[node].with["node-version"])).to.equal("20");
            expect(steps[node].with.cache).to.equal("npm");
            expect(steps[aws].with["role-to-assume"]).to.match(/^\$\{\{ vars\.(AWS_PREVIEW_ROLE_ARN \|\| vars\.)?AWS_ROLE_ARN \|\| secrets\.AWS_ROLE_ARN \}\}$/);
            const p = steps[pulumi];
            expect(p.with["stack-name"]).to.match(/vars\.PULUMI_STACK \|\| 'dev'/);
            expect(p.with["cloud-url"]).to.equal("${{ secrets.PULUMI_BACKEND_URL }}");
            const env = { ...workflow.env, ...job.env, ...p.env };
            expect(env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
            expect(env.PULUMI_ACCESS_TOKEN).to.equal("${{ secrets.PULUMI_ACCESS_TOKEN }}");
        });
    }

    it("preview.yml runs on pull requests and comments the preview on the PR", () => {
        const workflow = load("preview.yml");
        expect(workflow.on).to.have.property("pull_request");
        const job = Object.values(workflow.jobs)[0] as any;
        expect(job.permissions["pull-requests"]).to.equal("write");
        const p = job.steps.find(uses("pulumi/actions@"));
        expect(p.with["comment-on-pr"]).to.equal(true);
    });

    it("deploy.yml runs on pushes to main, one deploy at a time", () => {
        const workflow = load("deploy.yml");
        expect(workflow.on.push.branches).to.deep.equal(["main"]);
        const concurrency = workflow.concurrency ?? (Object.values(workflow.jobs)[0] as any).concurrency;
        expect(concurrency.group).to.be.a("string").and.match(/deploy/);
        expect(concurrency["cancel-in-progress"]).to.equal(false);
    });
});
