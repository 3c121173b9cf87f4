// The stack output `amplifyOutputs` of index.ts under the SDK's mocked runtime: the created
// pool's ids, what an existing pool's config says, never the client secret, never a password.

import { expect } from "chai";
import { Amplify } from "aws-amplify";
import { expectNoLeak } from "../harness/leaks";
import { runProgram } from "../harness/program";

const passwords = { alice: "Alice#Secret-4217xq", bob: "Bob!Hidden-9930zk" };
const config = (extra: Record<string, unknown> = {}) => ({
    users: { alice: { groups: ["admins"] }, bob: {} },
    groups: { admins: { precedence: 1 } },
    passwords,
    ...extra,
});

describe("program: the stack output amplifyOutputs", () => {
    it("a created pool: the pool, client and identity pool ids, and Amplify.configure takes it", async () => {
        const run = await runProgram(config({ allowUnauthenticatedIdentities: true }));
        const outputs = run.outputs.amplifyOutputs;
        expect(outputs.auth).to.include({
            user_pool_id: run.outputs.userPoolId,
            user_pool_client_id: run.outputs.userPoolClientId,
            identity_pool_id: run.outputs.identityPoolId,
            aws_region: run.outputs.region,
            unauthenticated_identities_enabled: true,
        });
        expect(outputs.auth.groups).to.deep.equal([{ admins: { precedence: 1 } }]);
        expect(run.secretOutputs).not.to.include("amplifyOutputs");
        Amplify.configure(outputs);
        expect(Amplify.getConfig().Auth!.Cognito).to.include({ userPoolId: run.outputs.userPoolId, allowGuestAccess: true });
        expectNoLeak(JSON.stringify(outputs), Object.values(passwords), "amplifyOutputs");
    });

    it("with generateClientSecret: says the client has a secret and holds neither it nor a password", async () => {
        const run = await runProgram(config({ generateClientSecret: true }));
        expect(run.outputs.clientSecret).to.equal("fake-client-secret");
        const text = JSON.stringify(run.outputs.amplifyOutputs);
        expect(text).not.to.include("fake-client-secret");
        expect(run.outputs.amplifyOutputs.custom.cognito_auth.client_secret).to.include("has a secret");
        expectNoLeak(text, Object.values(passwords), "amplifyOutputs");
    });

    it("an existing pool: region, pool id, and the client only when userPoolClientId is set", async () => {
        const poolId = "ap-northeast-1_AbC123xyz";
        const bare = await runProgram({ ...config(), userPoolId: poolId });
        expect(bare.outputs.amplifyOutputs.auth).to.deep.equal({
            aws_region: "ap-northeast-1",
            user_pool_id: poolId,
            groups: [{ admins: { precedence: 1 } }],
        });
        expect(bare.outputs.amplifyOutputs.custom.cognito_auth.missing[0]).to.match(
            /^user_pool_client_id: set cognito-auth:userPoolClientId/,
        );
        const withClient = await runProgram({ ...config(), userPoolId: poolId, userPoolClientId: "existingclient123" });
        expect(withClient.outputs.amplifyOutputs.auth.user_pool_client_id).to.equal("existingclient123");
        expect(withClient.outputs.amplifyOutputs).not.to.have.property("custom");
    });
});
