// The stack output `amplifyOutputs` of index.ts under the SDK's mocked runtime: the created
// pool's ids, what an existing pool's config says, never the client secret, never a password;
// each file checked against Amplify's schema 1.5, and the warning where the file cannot sign in.

import { expect } from "chai";
import { Amplify } from "aws-amplify";
import { expectNoLeak } from "../harness/leaks";
import { runProgram } from "../harness/program";
import { schemaErrors } from "./amplifyOutputsSchema";

const missingClient = [`/auth must have required property 'user_pool_client_id' {"missingProperty":"user_pool_client_id"}`];

/** The program's run and what it passed to log.warn (lib/sdk.ts's log is the SDK's module object). */
async function runWithWarnings(stackConfig: Record<string, unknown>) {
    const log = require("@pulumi/pulumi/log") as { warn: (message: string) => Promise<void> };
    const original = log.warn;
    const warnings: string[] = [];
    log.warn = async (message: string) => {
        warnings.push(message);
    };
    try {
        return { run: await runProgram(stackConfig), warnings: warnings.filter((w) => w.startsWith("amplifyOutputs")) };
    } finally {
        log.warn = original;
    }
}

const passwords = { alice: "Alice#Secret-4217xq", bob: "Bob!Hidden-9930zk" };
const config = (extra: Record<string, unknown> = {}) => ({
    users: { alice: { groups: ["admins"] }, bob: {} },
    groups: { admins: { precedence: 1 } },
    passwords,
    ...extra,
});

describe("program: the stack output amplifyOutputs", () => {
    it("a created pool: the pool, client and identity pool ids, and Amplify.configure takes it", async () => {
        const { run, warnings } = await runWithWarnings(config({ allowUnauthenticatedIdentities: true }));
        const outputs = run.outputs.amplifyOutputs;
        expect(schemaErrors(outputs)).to.deep.equal([]);
        expect(warnings).to.deep.equal([]);
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

    it("with generateClientSecret: no client id, says why, warns, and holds neither the secret nor a password", async () => {
        const { run, warnings } = await runWithWarnings(config({ generateClientSecret: true }));
        expect(run.outputs.clientSecret).to.equal("fake-client-secret");
        const text = JSON.stringify(run.outputs.amplifyOutputs);
        expect(text).not.to.include("fake-client-secret");
        expect(run.outputs.amplifyOutputs.auth).not.to.have.property("user_pool_client_id");
        expect(text).not.to.include(run.outputs.userPoolClientId);
        expect(run.outputs.amplifyOutputs.custom.cognito_auth.client_secret).to.include("has a secret");
        expect(schemaErrors(run.outputs.amplifyOutputs)).to.deep.equal(missingClient);
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.match(/^amplifyOutputs has no user_pool_client_id: the app client has a secret \(generateClientSecret\)/);
        expectNoLeak(text, Object.values(passwords), "amplifyOutputs");
    });

    it("an existing pool: region, pool id, and the client only when userPoolClientId is set; without it a warning", async () => {
        const poolId = "ap-northeast-1_AbC123xyz";
        const { run: bare, warnings } = await runWithWarnings({ ...config(), userPoolId: poolId });
        expect(warnings).to.deep.equal([
            "amplifyOutputs has no user_pool_client_id, so Amplify cannot sign in with it: " +
                "set cognito-auth:userPoolClientId to an app client of the existing pool that has no secret",
        ]);
        expect(schemaErrors(bare.outputs.amplifyOutputs)).to.deep.equal(missingClient);
        expect(bare.outputs.amplifyOutputs.auth).to.deep.equal({
            aws_region: "ap-northeast-1",
            user_pool_id: poolId,
            groups: [{ admins: { precedence: 1 } }],
        });
        expect(bare.outputs.amplifyOutputs.custom.cognito_auth.missing[0]).to.match(
            /^user_pool_client_id: set cognito-auth:userPoolClientId/,
        );
        const { run: withClient, warnings: none } = await runWithWarnings({
            ...config(),
            userPoolId: poolId,
            userPoolClientId: "existingclient123",
        });
        expect(none).to.deep.equal([]);
        expect(schemaErrors(withClient.outputs.amplifyOutputs)).to.deep.equal([]);
        expect(withClient.outputs.amplifyOutputs.auth.user_pool_client_id).to.equal("existingclient123");
        expect(withClient.outputs.amplifyOutputs).not.to.have.property("custom");
    });
});
