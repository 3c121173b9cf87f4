// Every use of @pulumi/pulumi's private modules, in one place. They are not its public API and may
// change in any release: after an SDK upgrade, `test/pulumiInternals.test.ts` says whether each
// still works, and this file is the one to mend.

/** The SDK's settings module: the mock monitor and the wait for outstanding resource registrations. */
interface RuntimeSettings {
    getMonitor(): any;
    waitForRPCs(): Promise<void>;
}

/**
 * Whether the config key `key` was set as a secret, as the engine told the program: the language
 * host passes the list of secret keys, which the SDK keeps in its runtime store. Undefined when
 * there is no such list (an older CLI, or a runtime that does not pass it).
 */
export function configKeyIsSecret(key: string): boolean | undefined {
    const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { config: Record<string, string | undefined> } };
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
    return getStore().config["PULUMI_CONFIG_SECRET_KEYS"] ? isConfigSecret(key) : undefined;
}

/** The SDK's runtime settings (tests: the mock monitor, and waiting for registrations to finish). */
export function runtimeSettings(): RuntimeSettings {
    return require("@pulumi/pulumi/runtime/settings") as RuntimeSettings;
}

/** What `pulumi.dynamic.Resource` stores as `__provider`: the provider serialized the way it does it (tests: CognitoUser's constant must equal it). */
export async function serializeProvider(provider: object): Promise<{ text: string; containsSecrets: boolean }> {
    const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure");
    return serializeFunction(() => provider, { allowSecrets: true });
}

/** The engine's resource-provider protocol, as the SDK's generated gRPC stubs. */
export function providerProtocol(): { messages: any; service: any } {
    return { messages: require("@pulumi/pulumi/proto/provider_pb"), service: require("@pulumi/pulumi/proto/provider_grpc_pb") };
}

/** The script the engine runs (through `pulumi-resource-pulumi-nodejs`) to host dynamic providers. */
export function dynamicProviderHostScript(): string {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
}
