// The Cognito client the user provider signs and sends with (providers/cognitoUser/client.ts and
// the provider's configure): the region and profile from the stack config or the environment, and
// one connection pool and credential resolution shared per region, profile and endpoint.

import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AwsClientStub } from "aws-sdk-client-mock";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider, createCognitoUserProvider } from "../../providers/cognitoUser/provider";
import { dropSharedClients, operationClient } from "../../providers/cognitoUser/client";
import { dummyAwsEnv, withEnv } from "../../harness/env";
import { mockedCognito } from "../../harness/mockCognito";
import { testPoolId as POOL, userOutputs as outputs } from "../../harness/users";

describe("the Cognito client", function () {
    describe("configure (with a mocked Cognito client)", function () {
        const cognito = mockedCognito();
        let mock: AwsClientStub<CognitoIdentityProviderClient>;
        let provider: CognitoUserProvider;
        beforeEach(() => ({ mock, provider } = cognito));
        const config = (values: Record<string, string>) => ({
            get: (key: string) => values[key],
            require: (key: string) => {
                if (!(key in values)) throw new Error(`missing ${key}`);
                return values[key];
            },
        });

        it("uses aws:region from the stack config over AWS_REGION", async () => {
            await provider.configure!({ config: config({ "aws:region": "ap-northeast-1" }) });
            await provider.delete!(`${POOL}/alice`, outputs());
            const client = mock.call(0).thisValue as CognitoIdentityProviderClient;
            expect(await client.config.region()).to.equal("ap-northeast-1");
        });

        it("falls back to AWS_REGION without stack config", async () => {
            await provider.configure!({ config: config({}) });
            await provider.delete!(`${POOL}/alice`, outputs());
            const client = mock.call(0).thisValue as CognitoIdentityProviderClient;
            expect(await client.config.region()).to.equal("eu-west-1");
        });

        it("falls back to AWS_DEFAULT_REGION without stack config or AWS_REGION", async () => {
            const restoreEnv = withEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: "sa-east-1" });
            try {
                await provider.configure!({ config: config({}) });
                await provider.delete!(`${POOL}/alice`, outputs());
                const client = mock.call(0).thisValue as CognitoIdentityProviderClient;
                expect(await client.config.region()).to.equal("sa-east-1");
            } finally {
                restoreEnv();
            }
        });

        describe("aws:profile", () => {
            let dir: string;
            let restoreEnv: () => void;
            const profileKey = "AKIDFROMPROFILETEST";
            before(() => {
                // A shared credentials file with one profile, whose keys differ from the environment's.
                dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-profile-"));
                fs.writeFileSync(
                    path.join(dir, "credentials"),
                    `[cognito-auth-test]\naws_access_key_id = ${profileKey}\naws_secret_access_key = profile-test-secret\n`,
                );
                fs.writeFileSync(path.join(dir, "config"), "");
                restoreEnv = withEnv({
                    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials"),
                    AWS_CONFIG_FILE: path.join(dir, "config"),
                });
            });
            after(() => {
                restoreEnv();
                dropSharedClients("");
                fs.rmSync(dir, { recursive: true, force: true });
            });
            const credentialsOf = async (call: number) => {
                const client = mock.call(call).thisValue as CognitoIdentityProviderClient;
                return (await client.config.credentials()).accessKeyId;
            };

            it("signs with the credentials of aws:profile from the stack config, not the environment's", async () => {
                await provider.configure!({ config: config({ "aws:region": "eu-west-1", "aws:profile": "cognito-auth-test" }) });
                await provider.delete!(`${POOL}/alice`, outputs());
                expect(await credentialsOf(0)).to.equal(profileKey);

                // Another provider in the same process without aws:profile: the environment's credentials,
                // not the profile's shared client.
                const other = createCognitoUserProvider();
                await other.configure!({ config: config({ "aws:region": "eu-west-1" }) });
                await other.delete!(`${POOL}/alice`, outputs());
                expect(await credentialsOf(1)).to.equal("AKIDUNITTESTDUMMY");

                // And back: the profile's client is still the one for the profile.
                await provider.read!(`${POOL}/alice`, outputs()).catch(() => undefined);
                expect(await credentialsOf(2)).to.equal(profileKey);
            });

            it("a profile that does not exist fails to give credentials instead of falling back to the environment's", async () => {
                await provider.configure!({ config: config({ "aws:region": "eu-west-1", "aws:profile": "no-such-profile" }) });
                await provider.delete!(`${POOL}/alice`, outputs());
                const key = await credentialsOf(0).then(
                    (k) => `resolved ${k}`,
                    (e: Error) => `failed: ${e.name}`,
                );
                expect(key).to.match(/^failed: /);
            });
        });
    });

    describe("shared clients (one connection pool and credential resolution per region, profile and endpoint)", function () {
        dummyAwsEnv();
        const handlerOf = (client: CognitoIdentityProviderClient) => client.config.requestHandler;
        // The test sets the endpoint variables between calls; each test starts and ends without them.
        let restoreEnv: () => void;
        beforeEach(() => {
            restoreEnv = withEnv({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: undefined, AWS_ENDPOINT_URL: undefined });
        });
        afterEach(() => {
            restoreEnv();
            dropSharedClients("http://127.0.0.1:1");
            dropSharedClients("http://127.0.0.1:2");
        });

        it("shares per endpoint, a new one for another endpoint, and a dropped endpoint's afresh", function () {
            process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = "http://127.0.0.1:1";
            const a1 = operationClient({ region: "eu-west-1" });
            const a2 = operationClient({ region: "eu-west-1" });
            expect(handlerOf(a2), "the same endpoint shares").to.equal(handlerOf(a1));
            expect(a2, "each operation has a client of its own").to.not.equal(a1);
            process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = "http://127.0.0.1:2";
            const b = operationClient({ region: "eu-west-1" });
            expect(handlerOf(b), "another endpoint does not share").to.not.equal(handlerOf(a1));
            delete process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
            process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:1";
            expect(handlerOf(operationClient({ region: "eu-west-1" })), "AWS_ENDPOINT_URL is the fallback").to.equal(handlerOf(a1));
            dropSharedClients("http://127.0.0.1:1");
            expect(handlerOf(operationClient({ region: "eu-west-1" })), "dropped: made afresh").to.not.equal(handlerOf(a1));
            process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = "http://127.0.0.1:2";
            expect(handlerOf(operationClient({ region: "eu-west-1" })), "another endpoint's is kept").to.equal(handlerOf(b));
        });
    });
});
