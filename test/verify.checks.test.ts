import { expect } from "chai";
import {
    CognitoIdentityProviderClient,
    InitiateAuthCommand,
    InvalidParameterException,
    NotAuthorizedException as IdpNotAuthorized,
    PasswordResetRequiredException,
    UserNotConfirmedException,
    UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import {
    ExternalServiceException,
    GetCredentialsForIdentityCommand,
    GetIdCommand,
    InvalidIdentityPoolConfigurationException,
    NotAuthorizedException,
    ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { verifyGuest, verifyUser } from "../scripts/verify/checks";
import { main } from "../scripts/verify/cli";
import { UserToVerify } from "../scripts/verify/inputs";
import {
    IdentityPoolMock,
    capture,
    credentialValues,
    expectNoSecrets,
    fakeCredentials,
    guestIdentityId,
    identityId,
    mockIdentityPoolSuccess,
    stackConfig,
    stackOutputs,
    sdkClients,
    verifyInputs,
} from "./verify.fixtures";
import { expectNoLeak } from "../harness/leaks";

// scripts/verify's checks with every AWS call mocked (aws-sdk-client-mock): sign-in answers and
// challenges, identity-pool and STS answers, and what main() prints for them.

describe("verify script: checks against mocked Cognito, identity pool and STS", () => {
    const idToken = "eyJ.mock-id-token.signature";
    const accessToken = "eyJ.mock-access-token.signature";
    const clientSecret = "mock-client-secret-value-1234567890";
    const user: UserToVerify = { username: "johndoe", password: "newPassword123#", enabled: true };
    /**
     * SECRET_HASH of johndoe for app client testclientid123 with the secret above, computed apart
     * from the code with:
     *   printf '%s' 'johndoetestclientid123' | openssl dgst -sha256 -hmac 'mock-client-secret-value-1234567890' -binary | base64
     * (Python's hmac.new(key, msg, hashlib.sha256) gives the same).
     */
    const johndoeSecretHash = "CHmHT559oDW0opgqzs4YtIUCeHYUtzn58a7sxnfaeI8=";
    let idpMock: AwsClientStub<CognitoIdentityProviderClient>;
    let pool: IdentityPoolMock;
    const inputs = verifyInputs([user]);
    const clients = sdkClients;
    /** Replaces the identity pool and STS mocks with ones whose STS names other roles. */
    const stsSaysRole = (roleFor: (guest: boolean) => string) => {
        pool.restore();
        pool = mockIdentityPoolSuccess(roleFor);
    };
    /** main() with the Pulumi CLI answering these users and passwords (and the client secret when given). */
    const runMain = async (users: Record<string, unknown>, pws: Record<string, string>, secret?: string) => {
        const printed = capture();
        const runner = async (args: string[]) =>
            JSON.stringify(args[0] === "stack" ? stackOutputs(secret ? { clientSecret: secret } : {}) : stackConfig(users, pws, true));
        const code = await main(["-s", "dev"], { ...printed.deps, runPulumi: runner, clients });
        return { code, ...printed };
    };

    beforeEach(() => {
        idpMock = mockClient(CognitoIdentityProviderClient);
        idpMock
            .on(InitiateAuthCommand)
            .resolves({ AuthenticationResult: { IdToken: idToken, AccessToken: accessToken, RefreshToken: "refresh-xyz-123" } });
        pool = mockIdentityPoolSuccess();
    });
    afterEach(() => {
        idpMock.restore();
        pool.restore();
    });

    it("succeeds for a user and for a guest", async () => {
        const outcome = await verifyUser(clients(), inputs, user);
        expect(outcome).to.deep.equal({
            user: "johndoe",
            signIn: "ok",
            identityId,
            credentials: { role: "authenticated", expiration: fakeCredentials.Expiration },
        });
        const auth = idpMock.commandCalls(InitiateAuthCommand)[0].args[0].input as any;
        expect(auth.AuthFlow).to.equal("USER_PASSWORD_AUTH");
        expect(auth.AuthParameters).to.deep.equal(
            { USERNAME: "johndoe", PASSWORD: user.password },
            "no SECRET_HASH without a client secret",
        );
        expect(pool.identity.commandCalls(GetIdCommand)[0].args[0].input.Logins).to.deep.equal({
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1": idToken,
        });
        const guest = await verifyGuest(clients(), inputs);
        expect(guest).to.deep.equal({
            signIn: "not-applicable",
            identityId: guestIdentityId,
            credentials: { role: "unauthenticated", expiration: fakeCredentials.Expiration },
        });
        expect(pool.identity.commandCalls(GetIdCommand)[1].args[0].input.Logins).to.equal(undefined);
        expect(pool.identity.commandCalls(GetCredentialsForIdentityCommand)[1].args[0].input.Logins).to.equal(undefined);
    });

    it("sends SECRET_HASH when the outputs have a client secret (known answer from openssl)", async () => {
        await verifyUser(clients(), { ...inputs, clientSecret }, user);
        const auth = idpMock.commandCalls(InitiateAuthCommand)[0].args[0].input as any;
        expect(auth.AuthParameters.SECRET_HASH).to.equal(johndoeSecretHash);
    });

    const signInCases: [string, () => unknown, RegExp][] = [
        ["wrong password", () => new IdpNotAuthorized({ message: "Incorrect username or password.", $metadata: {} }), /^wrong password/],
        ["user disabled", () => new IdpNotAuthorized({ message: "User is disabled.", $metadata: {} }), /^user is disabled in the pool/],
        [
            "user not confirmed",
            () => new UserNotConfirmedException({ message: "User is not confirmed.", $metadata: {} }),
            /^user not confirmed/,
        ],
        [
            "password reset",
            () => new PasswordResetRequiredException({ message: "Password reset required for the user", $metadata: {} }),
            /^password reset required/,
        ],
        ["no such user", () => new UserNotFoundException({ message: "User does not exist.", $metadata: {} }), /^user does not exist/],
        [
            "secret hash",
            () => new IdpNotAuthorized({ message: "Unable to verify secret hash for client testclientid123", $metadata: {} }),
            /^client secret mismatch/,
        ],
    ];
    for (const [name, error, reason] of signInCases) {
        it(`explains a sign-in failure: ${name}`, async () => {
            const thrown = error() as Error;
            idpMock.on(InitiateAuthCommand).rejects(thrown);
            const outcome = await verifyUser(clients(), { ...inputs, clientSecret }, user);
            expect(outcome.signIn).to.equal(undefined);
            expect(outcome.failure?.step).to.equal("sign-in");
            expect(outcome.failure?.reason).to.match(reason);
            expect(outcome.failure?.error).to.deep.equal({ name: thrown.name, message: thrown.message });
            expect(pool.identity.commandCalls(GetIdCommand)).to.have.length(0);
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
            const outcome = await verifyUser(clients(), inputs, user);
            expect(outcome.failure?.step).to.equal("sign-in");
            expect(outcome.failure?.reason).to.match(reason);
        });
    }

    const trust = /^role trust mismatch: the role's trust policy must allow this identity pool \(aud\) and amr authenticated/;
    const identityCases: [string, "GetId" | "GetCredentialsForIdentity", () => unknown, "identity" | "credentials", RegExp][] = [
        [
            "role trust mismatch",
            "GetCredentialsForIdentity",
            () =>
                new InvalidIdentityPoolConfigurationException({
                    message: "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
                    $metadata: {},
                }),
            "credentials",
            trust,
        ],
        [
            "STS access denied",
            "GetCredentialsForIdentity",
            () => Object.assign(new Error("Not authorized to perform sts:AssumeRoleWithWebIdentity"), { name: "AccessDenied" }),
            "credentials",
            trust,
        ],
        [
            "token from another provider",
            "GetId",
            () => new NotAuthorizedException({ message: "Token is not from a supported provider of this identity pool.", $metadata: {} }),
            "identity",
            /^the identity pool does not accept this user pool's token/,
        ],
        [
            "identity pool missing",
            "GetId",
            () => new ResourceNotFoundException({ message: "IdentityPool 'us-east-1:0000' not found.", $metadata: {} }),
            "identity",
            /^the identity pool does not exist/,
        ],
        [
            "external service",
            "GetCredentialsForIdentity",
            () => new ExternalServiceException({ message: "Cognito IdP is unavailable", $metadata: {} }),
            "credentials",
            /^the identity pool could not check the token/,
        ],
    ];
    for (const [name, command, error, step, reason] of identityCases) {
        it(`explains an identity-pool failure: ${name}`, async () => {
            if (command === "GetId") pool.identity.on(GetIdCommand).rejects(error() as Error);
            else pool.identity.on(GetCredentialsForIdentityCommand).rejects(error() as Error);
            const outcome = await verifyUser(clients(), inputs, user);
            expect(outcome.signIn).to.equal("ok");
            expect(outcome.credentials).to.equal(undefined);
            expect(outcome.failure?.step).to.equal(step);
            expect(outcome.failure?.reason).to.match(reason);
        });
    }

    it("explains guests refused by the identity pool", async () => {
        pool.identity
            .on(GetIdCommand)
            .rejects(
                new NotAuthorizedException({ message: "Unauthenticated access is not supported for this identity pool.", $metadata: {} }),
            );
        const outcome = await verifyGuest(clients(), inputs);
        expect(outcome.failure?.step).to.equal("identity");
        expect(outcome.failure?.reason).to.match(/^guests are not allowed by the identity pool/);
    });

    it("explains a guest role trust mismatch with amr unauthenticated", async () => {
        pool.identity.on(GetCredentialsForIdentityCommand).rejects(
            new InvalidIdentityPoolConfigurationException({
                message: "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
                $metadata: {},
            }),
        );
        const outcome = await verifyGuest(clients(), inputs);
        expect(outcome.failure?.reason).to.match(/amr unauthenticated; or the pool has no unauthenticated role attached$/);
    });

    it("fails when the identity pool returns incomplete credentials", async () => {
        pool.identity.on(GetCredentialsForIdentityCommand).resolves({ IdentityId: identityId, Credentials: { AccessKeyId: "ASIAONLY" } });
        const outcome = await verifyUser(clients(), inputs, user);
        expect(outcome.failure?.step).to.equal("credentials");
        expect(outcome.failure?.reason).to.match(/no complete credentials/);
    });

    it("fails when GetCredentialsForIdentity answers for another identity than the one GetId gave", async () => {
        const other = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
        pool.identity.on(GetCredentialsForIdentityCommand).resolves({ IdentityId: other, Credentials: fakeCredentials });
        const outcome = await verifyUser(clients(), inputs, user);
        expect(outcome.identityId).to.equal(identityId);
        expect(outcome.credentials).to.equal(undefined);
        expect(outcome.failure).to.deep.equal({
            step: "credentials",
            reason: `credentials were issued for another identity (${other}) than the one requested`,
        });
        expect(pool.sts.commandCalls(GetCallerIdentityCommand), "the credentials of another identity are not used").to.have.length(0);

        const guest = await verifyGuest(clients(), inputs);
        expect(guest.failure?.reason).to.match(/^credentials were issued for another identity/);
    });

    it("asks STS with the identity's own credentials whose they are", async () => {
        await verifyUser(clients(), inputs, user);
        const calls = pool.sts.commandCalls(GetCallerIdentityCommand);
        expect(calls).to.have.length(1);
        const used = await (calls[0].thisValue as STSClient).config.credentials();
        expect(used.accessKeyId).to.equal(fakeCredentials.AccessKeyId);
    });

    it("fails when the credentials are for another role than the stack's authenticated role", async () => {
        stsSaysRole(() => "unauth");
        const outcome = await verifyUser(clients(), inputs, user);
        expect(outcome.failure?.step).to.equal("credentials");
        expect(outcome.failure?.reason).to.match(/^the credentials are for role unauth, not for the authenticated role auth/);
    });

    it("fails when guest credentials are for the authenticated role", async () => {
        stsSaysRole(() => "auth");
        const outcome = await verifyGuest(clients(), inputs);
        expect(outcome.failure?.step).to.equal("credentials");
        expect(outcome.failure?.reason).to.match(/not for the unauthenticated role unauth/);
    });

    it("fails clearly when STS cannot be asked", async () => {
        pool.sts
            .on(GetCallerIdentityCommand)
            .rejects(Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" }));
        const outcome = await verifyUser(clients(), inputs, user);
        expect(outcome.failure).to.deep.equal({
            step: "credentials",
            reason: "could not ask STS which role the credentials are for",
            error: { name: "ExpiredToken", message: "The security token included in the request is expired" },
        });
    });

    it("fails a user without a password in config, naming the command to set one", async () => {
        const outcome = await verifyUser(clients(), inputs, { username: "nopw", enabled: true });
        expect(outcome.failure?.reason).to.include("pulumi config set --secret --path 'passwords.nopw'");
        expect(idpMock.commandCalls(InitiateAuthCommand)).to.have.length(0);
    });

    describe("a user disabled in config", () => {
        const off: UserToVerify = { ...user, enabled: false };

        it('passes when Cognito refuses it as disabled ("User is disabled.")', async () => {
            idpMock.on(InitiateAuthCommand).rejects(new IdpNotAuthorized({ message: "User is disabled.", $metadata: {} }));
            expect(await verifyUser(clients(), inputs, off)).to.deep.equal({ user: "johndoe", signIn: "refused-as-expected" });
        });

        // Cognito answers NotAuthorizedException for more than a disabled user: only "User is
        // disabled." proves the user is disabled. A wrong password says nothing about it.
        const otherRefusals: [string, string, RegExp][] = [
            ["a wrong password", "Incorrect username or password.", /^wrong password/],
            ["a rejected SECRET_HASH", "Unable to verify secret hash for client testclientid123", /^client secret mismatch/],
            ["too many attempts", "Password attempts exceeded", /^too many failed sign-ins/],
        ];
        for (const [what, message, reason] of otherRefusals) {
            it(`fails when Cognito refuses it for ${what} (another NotAuthorizedException)`, async () => {
                idpMock.on(InitiateAuthCommand).rejects(new IdpNotAuthorized({ message, $metadata: {} }));
                const outcome = await verifyUser(clients(), { ...inputs, clientSecret }, off);
                expect(outcome.signIn).to.equal(undefined);
                expect(outcome.failure?.step).to.equal("sign-in");
                expect(outcome.failure?.reason).to.match(reason);
            });
        }

        it("is reported through main(): exit 1 and the failure line, not 'as expected'", async () => {
            idpMock.on(InitiateAuthCommand).rejects(new IdpNotAuthorized({ message: "Incorrect username or password.", $metadata: {} }));
            const run = await runMain({ johndoe: { enabled: false } }, { johndoe: user.password! });
            expect(run.code).to.equal(1);
            expect(run.text()).to.not.include("as expected");
            expect(run.text()).to.match(
                /^johndoe: sign-in failed: wrong password .*\(NotAuthorizedException: Incorrect username or password\.\)$/m,
            );
        });

        it("fails when it signs in, or gets a challenge instead of a refusal", async () => {
            expect((await verifyUser(clients(), inputs, off)).failure?.reason).to.match(/^user is disabled in config but signed in/);
            idpMock.on(InitiateAuthCommand).resolves({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s" });
            expect((await verifyUser(clients(), inputs, off)).failure?.reason).to.match(
                /^user is disabled in config but was not refused \(NEW_PASSWORD_REQUIRED\)/,
            );
        });
    });

    it("names an unrecognised error once: 'sign-in failed: unrecognised ...', not 'sign-in failed: sign-in failed'", async () => {
        idpMock.on(InitiateAuthCommand).rejects(Object.assign(new Error("Something new happened"), { name: "BrandNewException" }));
        const signIn = await runMain({ johndoe: {} }, { johndoe: user.password! });
        expect(signIn.code).to.equal(1);
        expect(signIn.stdout.join("\n")).to.match(
            /^johndoe: sign-in failed: unrecognised Cognito error \(BrandNewException: Something new happened\)$/m,
        );

        idpMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: idToken } });
        pool.identity.on(GetIdCommand).rejects(Object.assign(new Error("Odd"), { name: "OddException" }));
        const identity = await runMain({ johndoe: {} }, { johndoe: user.password! });
        expect(identity.stdout.join("\n")).to.match(
            /^johndoe: identity failed: unrecognised Cognito Identity error \(OddException: Odd\)$/m,
        );
        for (const text of [signIn.text(), identity.text()]) {
            expect(text).to.not.match(/(sign-in|identity|credentials) failed: (sign-in|getting an identity|getting credentials) failed/);
        }
    });

    it("never prints a password or client secret that AWS echoes in an error: raw, JSON-escaped, URL-encoded or upper-cased", async () => {
        // Characters that JSON and URL encoding change, and a letter whose case folding is not ASCII.
        const password = 'Pä"ss\\w/rd+1 #x';
        const forms = {
            raw: password,
            json: JSON.stringify(password).slice(1, -1),
            url: encodeURIComponent(password),
            form: encodeURIComponent(password).replace(/%20/g, "+"),
            upper: password.toUpperCase(),
            upperJson: JSON.stringify(password.toUpperCase()).slice(1, -1),
            lowerUrl: encodeURIComponent(password).toLowerCase(),
        };
        expect(new Set(Object.values(forms)).size, "the forms differ from each other").to.equal(Object.keys(forms).length);
        // A mock standing in for an AWS error that quotes the request back.
        idpMock.on(InitiateAuthCommand).callsFake((input) => {
            const pw = input.AuthParameters!.PASSWORD;
            expect(pw).to.equal(password);
            const echoed =
                `raw=${pw} json="${JSON.stringify(pw).slice(1, -1)}" url=${encodeURIComponent(pw)} ` +
                `form=${encodeURIComponent(pw).replace(/%20/g, "+")} upper=${pw.toUpperCase()} ` +
                `upperJson=${JSON.stringify(pw.toUpperCase()).slice(1, -1)} lowerUrl=${encodeURIComponent(pw).toLowerCase()} ` +
                `secret=${clientSecret.toUpperCase()}`;
            throw new InvalidParameterException({ message: `1 validation error: ${echoed}`, $metadata: {} });
        });
        const run = await runMain({ johndoe: {} }, { johndoe: password }, clientSecret);
        expect(run.code).to.equal(1);
        const text = run.text();
        expect(text, "the echoed message is still shown, redacted").to.match(
            /^johndoe: sign-in failed: invalid sign-in request \(InvalidParameterException: 1 validation error: raw=\[secret\] json="\[secret\]" url=\[secret\] form=\[secret\] upper=\[secret\] upperJson=\[secret\] lowerUrl=\[secret\] secret=\[secret\]\)$/m,
        );
        expectNoLeak(text, { ...forms, clientSecret }, "the output, in any case", { ignoreCase: true });
    });

    it("prints the table, exits 0 on success and 1 on failure, and never prints a secret", async () => {
        const ok = await runMain({ johndoe: { email: "j@example.com" } }, { johndoe: user.password! }, clientSecret);
        expect(ok.code).to.equal(0);
        expect(ok.text()).to.match(/^user\s+sign-in\s+identity\s+credentials\s+expiry$/m);
        expect(ok.text()).to.match(/^johndoe\s+OK\s+us-east-1:1111\S+\s+OK \(authenticated role\)\s+2030-01-02T03:04:05.000Z$/m);
        expect(ok.text()).to.include("(with secret)");
        expect(ok.stdout[ok.stdout.length - 1]).to.equal("verify: all 2 checks passed");
        expect(ok.stderr).to.deep.equal([]);

        pool.identity
            .on(GetCredentialsForIdentityCommand)
            .rejects(new InvalidIdentityPoolConfigurationException({ message: "Invalid identity pool configuration.", $metadata: {} }));
        const bad = await runMain({ johndoe: { email: "j@example.com" } }, { johndoe: user.password! }, clientSecret);
        expect(bad.code).to.equal(1);
        expect(bad.text()).to.match(
            /^johndoe: credentials failed: role trust mismatch: .* \(InvalidIdentityPoolConfigurationException: Invalid identity pool configuration\.\)$/m,
        );
        expect(bad.stderr).to.deep.equal(["verify: 2 of 2 checks failed"]);
        for (const text of [ok.text(), bad.text()]) {
            expectNoSecrets(text, {
                password: user.password!,
                clientSecret,
                idToken,
                accessToken,
                refreshToken: "refresh-xyz-123",
                secretHash: johndoeSecretHash,
                ...credentialValues,
            });
        }
    });
});
