import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { MainDeps } from "../scripts/verify/cli";
import { Clients } from "../scripts/verify/checks";
import { UserToVerify, VerifyInputs } from "../scripts/verify/inputs";
import { expectNoLeak } from "../harness/leaks";

// Shared by the test/verify.*.test.ts files (not a test file itself): stack outputs and config as
// the Pulumi CLI prints them, a mocked identity pool and STS, and an output scanner for secrets.

export const root = path.resolve(__dirname, "..");
export const region = "us-east-1";

/** Fake credential values returned by the mocked identity pool. */
export const fakeCredentials = {
    AccessKeyId: "ASIAFAKEACCESSKEY123",
    SecretKey: "fakeSecretKeyValue/abcdefghijklmnopqrstuv",
    SessionToken: "FakeSessionTokenValue+0123456789abcdefghijklmnopqrstuvwxyz",
    Expiration: new Date("2030-01-02T03:04:05.000Z"),
};
export const guestCredentials = {
    AccessKeyId: "ASIAFAKEGUESTKEY9876",
    SecretKey: "fakeGuestSecretKeyValue/zyxwvutsrqponmlkji",
    SessionToken: "FakeGuestSessionTokenValue+9876543210zyxwvutsrqponmlk",
    Expiration: new Date("2030-01-02T03:04:05.000Z"),
};
/** Every credential value above, by name, for expectNoSecrets. */
export const credentialValues = {
    accessKeyId: fakeCredentials.AccessKeyId,
    secretKey: fakeCredentials.SecretKey,
    sessionToken: fakeCredentials.SessionToken,
    guestAccessKeyId: guestCredentials.AccessKeyId,
    guestSecretKey: guestCredentials.SecretKey,
    guestSessionToken: guestCredentials.SessionToken,
};
export const identityId = "us-east-1:11111111-2222-3333-4444-555555555555";
export const guestIdentityId = "us-east-1:99999999-8888-7777-6666-555555555555";

/** Collects everything main() prints, stdout and stderr apart and together. */
export function capture(): { deps: Pick<MainDeps, "out" | "err">; text: () => string; stdout: string[]; stderr: string[] } {
    const lines: string[] = [];
    const stdout: string[] = [];
    const stderr: string[] = [];
    return {
        deps: {
            out: (t) => {
                lines.push(t);
                stdout.push(t);
            },
            err: (t) => {
                lines.push(t);
                stderr.push(t);
            },
        },
        text: () => lines.join("\n"),
        stdout,
        stderr,
    };
}

/** Asserts none of the given secret values occurs in the text (without printing the values). */
export function expectNoSecrets(text: string, secrets: Record<string, string>) {
    expectNoLeak(text, secrets, "the printed output");
}

/** An STS client signing with the given temporary credentials (as the script's default does). */
/** What verify reads from a stack with a created pool, guests allowed, for the given users. */
export function verifyInputs(users: UserToVerify[]): VerifyInputs {
    return {
        region,
        userPoolId: "us-east-1_TestPool1",
        clientId: "testclientid123",
        identityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000",
        authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth",
        unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth",
        users,
    };
}

/** Fresh SDK clients for verify's checks (aws-sdk-client-mock answers for them), STS from credentials. */
export const sdkClients = (): Clients => ({
    idp: new CognitoIdentityProviderClient({ region }),
    identity: new CognitoIdentityClient({ region }),
    stsWith: stsClientFor,
});

export function stsClientFor(c: { AccessKeyId?: string; SecretKey?: string; SessionToken?: string }): STSClient {
    return new STSClient({
        region,
        credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken },
    });
}

export function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "verify-test-"));
}

/** Stack outputs as `pulumi stack output --json --show-secrets` prints them. */
export function stackOutputs(over: Record<string, unknown> = {}) {
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

/**
 * Stack config as `pulumi config --json --show-secrets` prints it (`value` is JSON text for objects);
 * `objects` adds other object settings by key (e.g. `cognito-auth:groups`), printed the same way.
 */
export function stackConfig(
    users: Record<string, unknown>,
    pws: Record<string, string>,
    withObjectValue: boolean,
    objects: Record<string, unknown> = {},
) {
    const entry = (value: unknown, secret: boolean) => ({
        value: JSON.stringify(value),
        secret,
        ...(withObjectValue ? { objectValue: value } : {}),
    });
    return {
        "aws:region": { value: region, secret: false },
        "cognito-auth:allowUnauthenticatedIdentities": { value: "true", secret: false },
        "cognito-auth:users": entry(users, false),
        "cognito-auth:passwords": entry(pws, true),
        ...Object.fromEntries(Object.entries(objects).map(([key, value]) => [key, entry(value, false)])),
    };
}

export interface IdentityPoolMock {
    identity: AwsClientStub<CognitoIdentityClient>;
    sts: AwsClientStub<STSClient>;
    restore(): void;
}

/**
 * Mocked identity pool answering GetId / GetCredentialsForIdentity successfully (guests get
 * credentials of their own), and STS saying whose credentials they are: the stack's
 * authenticated role `auth` for a login, `unauth` for a guest (or `roleFor` to test mismatches).
 * Mocks every CognitoIdentityClient and STSClient until restore().
 */
export function mockIdentityPoolSuccess(roleFor: (guest: boolean) => string = (guest) => (guest ? "unauth" : "auth")): IdentityPoolMock {
    const identity = mockClient(CognitoIdentityClient);
    identity.on(GetIdCommand).callsFake((input) => ({ IdentityId: input.Logins ? identityId : guestIdentityId }));
    identity.on(GetCredentialsForIdentityCommand).callsFake((input) => ({
        IdentityId: input.IdentityId,
        Credentials: input.Logins ? fakeCredentials : guestCredentials,
    }));
    const sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
        const { accessKeyId } = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
        const role = roleFor(accessKeyId === guestCredentials.AccessKeyId);
        return { Arn: `arn:aws:sts::123456789012:assumed-role/${role}/CognitoIdentityCredentials`, Account: "123456789012" };
    });
    return {
        identity,
        sts,
        restore: () => {
            identity.restore();
            sts.restore();
        },
    };
}
