// scripts/verify/checks.ts step by step, with every AWS call mocked: each way an answer can be
// incomplete (no identity id, partial credentials, no ID token, no role output, a principal that
// is not an assumed role), with the exact outcome. Found unpinned by mutation testing
// (docs/mutation-testing.md). Nothing here prints a password or a credential.

import { expect } from "chai";
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
    CognitoIdentityClient,
    GetCredentialsForIdentityCommand,
    GetIdCommand,
    ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { assumedRoleName, defaultClients, verifyGuest, verifyUser } from "../scripts/verify/checks";
import { UserToVerify } from "../scripts/verify/inputs";
import { fakeCredentials, identityId, sdkClients, verifyInputs } from "./verify.fixtures";

const user: UserToVerify = { username: "johndoe", password: "newPassword123#", enabled: true };
const inputs = verifyInputs([user]);
const clients = sdkClients;

describe("verify script: each step's incomplete answers", function () {
    let idp: AwsClientStub<CognitoIdentityProviderClient>;
    let identity: AwsClientStub<CognitoIdentityClient>;
    let sts: AwsClientStub<STSClient>;

    beforeEach(function () {
        idp = mockClient(CognitoIdentityProviderClient);
        idp.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: "eyJ.id.token" } });
        identity = mockClient(CognitoIdentityClient);
        identity.on(GetIdCommand).resolves({ IdentityId: identityId });
        identity.on(GetCredentialsForIdentityCommand).resolves({ IdentityId: identityId, Credentials: fakeCredentials });
        sts = mockClient(STSClient);
        sts.on(GetCallerIdentityCommand).resolves({ Arn: "arn:aws:sts::123456789012:assumed-role/auth/CognitoIdentityCredentials" });
    });
    afterEach(function () {
        idp.restore();
        identity.restore();
        sts.restore();
    });

    it("the complete answers pass (the baseline of the cases below)", async function () {
        expect(await verifyUser(clients(), inputs, user)).to.deep.equal({
            user: "johndoe",
            signIn: "ok",
            identityId,
            credentials: { role: "authenticated", expiration: fakeCredentials.Expiration },
        });
    });

    it("no password in config: a sign-in failure naming the command that sets one", async function () {
        expect(await verifyUser(clients(), inputs, { ...user, password: undefined })).to.deep.equal({
            user: "johndoe",
            failure: {
                step: "sign-in",
                reason: "no password in config; set one with: pulumi config set --secret --path 'passwords.johndoe' -- '<password>'",
            },
        });
    });

    it("InitiateAuth answers neither a challenge nor tokens: no ID token", async function () {
        idp.on(InitiateAuthCommand).resolves({});
        expect(await verifyUser(clients(), inputs, user)).to.deep.equal({
            user: "johndoe",
            failure: { step: "sign-in", reason: "sign-in returned no ID token" },
        });
    });

    it("a user disabled in config who signs in: the exact failure", async function () {
        expect((await verifyUser(clients(), inputs, { ...user, enabled: false })).failure).to.deep.equal({
            step: "sign-in",
            reason: "user is disabled in config but signed in: the user in the pool is enabled; run pulumi up",
        });
    });

    it("GetId answers without an identity id", async function () {
        identity.on(GetIdCommand).resolves({});
        expect(await verifyUser(clients(), inputs, user)).to.deep.equal({
            user: "johndoe",
            signIn: "ok",
            failure: { step: "identity", reason: "GetId returned no identity id" },
        });
    });

    it("GetCredentialsForIdentity fails: a credentials failure with the AWS error", async function () {
        identity
            .on(GetCredentialsForIdentityCommand)
            .rejects(new ResourceNotFoundException({ message: "Identity not found", $metadata: {} }));
        expect((await verifyUser(clients(), inputs, user)).failure).to.deep.equal({
            step: "credentials",
            reason: "the identity does not exist (wrong stack or region?)",
            error: { name: "ResourceNotFoundException", message: "Identity not found" },
        });
    });

    const incomplete = "GetCredentialsForIdentity returned no complete credentials (access key, secret key and session token)";
    for (const [what, credentials] of [
        ["no credentials at all", undefined],
        ["no access key", { ...fakeCredentials, AccessKeyId: undefined }],
        ["no secret key", { ...fakeCredentials, SecretKey: undefined }],
        ["no session token", { ...fakeCredentials, SessionToken: undefined }],
    ] as const) {
        it(`credentials with ${what}: incomplete`, async function () {
            identity.on(GetCredentialsForIdentityCommand).resolves({ IdentityId: identityId, Credentials: credentials });
            expect((await verifyUser(clients(), inputs, user)).failure).to.deep.equal({ step: "credentials", reason: incomplete });
        });
    }

    it("a guest when the stack has no unauthenticated role output", async function () {
        expect(await verifyGuest(clients(), { ...inputs, unauthenticatedRoleArn: undefined })).to.deep.equal({
            signIn: "not-applicable",
            identityId,
            failure: {
                step: "credentials",
                reason: "credentials were issued but the stack has no unauthenticatedRoleArn output to compare",
            },
        });
    });

    it("a user when the stack has no authenticated role output", async function () {
        expect((await verifyUser(clients(), { ...inputs, authenticatedRoleArn: "" }, user)).failure).to.deep.equal({
            step: "credentials",
            reason: "credentials were issued but the stack has no authenticatedRoleArn output to compare",
        });
    });

    it("STS names a principal that is not an assumed role, or none", async function () {
        sts.on(GetCallerIdentityCommand).resolves({ Arn: "arn:aws:iam::123456789012:user/deploy" });
        expect((await verifyUser(clients(), inputs, user)).failure).to.deep.equal({
            step: "credentials",
            reason: "the credentials are for arn:aws:iam::123456789012:user/deploy, not for the authenticated role auth: check the identity pool's role attachment",
        });
        sts.on(GetCallerIdentityCommand).resolves({});
        expect((await verifyUser(clients(), inputs, user)).failure).to.deep.equal({
            step: "credentials",
            reason: "the credentials are for an unknown principal, not for the authenticated role auth: check the identity pool's role attachment",
        });
    });
});

describe("verify script: helpers", function () {
    it("assumedRoleName: the role of an assumed-role ARN, undefined for anything else", function () {
        expect(assumedRoleName("arn:aws:sts::123456789012:assumed-role/auth/CognitoIdentityCredentials")).to.equal("auth");
        expect(assumedRoleName("arn:aws:iam::123456789012:user/deploy")).to.equal(undefined);
        expect(assumedRoleName("")).to.equal(undefined);
    });

    it("defaultClients: every client in the stack's region, STS signing with the identity's credentials", async function () {
        const made = defaultClients("eu-west-2");
        expect(await made.idp.config.region()).to.equal("eu-west-2");
        expect(await made.identity.config.region()).to.equal("eu-west-2");
        const sts = made.stsWith(fakeCredentials);
        expect(await sts.config.region()).to.equal("eu-west-2");
        const credentials = await sts.config.credentials();
        expect(credentials.accessKeyId === fakeCredentials.AccessKeyId, "access key").to.equal(true);
        expect(credentials.secretAccessKey === fakeCredentials.SecretKey, "secret key").to.equal(true);
        expect(credentials.sessionToken === fakeCredentials.SessionToken, "session token").to.equal(true);
    });
});
