// Smoke test of lib/pulumiInternals.ts: each private @pulumi/pulumi API the project relies on
// still exists and behaves as used. After an SDK upgrade, a failure here names what to mend.

import { expect } from "chai";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import loader = require("@cognito-auth/user-provider-loader");
import { configKeyIsSecret, dynamicProviderHostScript, providerProtocol, runtimeSettings, serializeProvider } from "../lib/pulumiInternals";

describe("private @pulumi/pulumi APIs (lib/pulumiInternals.ts)", () => {
    afterEach(() => pulumi.runtime.setAllConfig({}, []));

    it("configKeyIsSecret: true / false per key when the engine passed the secret-key list", () => {
        pulumi.runtime.setAllConfig({ "p:secret": "a", "p:plain": "b" }, ["p:secret"]);
        expect(configKeyIsSecret("p:secret")).to.equal(true);
        expect(configKeyIsSecret("p:plain")).to.equal(false);
    });

    it("configKeyIsSecret: undefined without a secret-key list (an older CLI)", () => {
        pulumi.runtime.setAllConfig({ "p:plain": "b" });
        // What a runtime that passes no list leaves in the SDK's store.
        const { getStore } = require("@pulumi/pulumi/runtime/state");
        delete getStore().config.PULUMI_CONFIG_SECRET_KEYS;
        expect(configKeyIsSecret("p:plain")).to.equal(undefined);
    });

    it("serializeProvider stores the loader package as a require, not as code", async () => {
        const { text, containsSecrets } = await serializeProvider(loader);
        expect(containsSecrets).to.equal(false);
        expect(text).to.include('require("@cognito-auth/user-provider-loader/index.js")');
    });

    it("runtimeSettings, the provider protocol stubs and the dynamic-provider host script exist", async () => {
        const settings = runtimeSettings();
        expect(settings.getMonitor).to.be.a("function");
        await settings.waitForRPCs();
        const { messages, service } = providerProtocol();
        expect(new messages.CheckRequest()).to.respondTo("setNews");
        expect(service.ResourceProviderClient).to.be.a("function");
        expect(fs.existsSync(dynamicProviderHostScript())).to.equal(true);
    });

    it("lib/sdk.ts: each name it takes from an SDK module file is the very one the index exports", () => {
        const sdk = require("../lib/sdk");
        const index: Record<string, unknown> = { ...pulumi, allConfig: pulumi.runtime.allConfig };
        expect(Object.keys(sdk).sort()).to.deep.equal([
            "ComponentResource",
            "CustomResource",
            "all",
            "allConfig",
            "getProject",
            "getRootDirectory",
            "getStack",
            "interpolate",
            "log",
            "mergeOptions",
            "output",
            "secret",
        ]);
        for (const name of Object.keys(sdk)) expect(sdk[name], name).to.equal(index[name]);
    });
});
