import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { runtimeSettings } from "../lib/pulumiInternals";

// Runs the Pulumi program (index.ts) under the SDK's mocked runtime, as pulumi/examples'
// testing-unit-ts does: mocks first, then the program is imported. Records every resource.

export interface RecordedResource {
    type: string;
    name: string;
    /** Inputs as the engine would receive them; secrets stay wrapped (see `isSecretValue`). */
    inputs: Record<string, any>;
    /** Outputs the mock returned (inputs plus faked computed values). */
    state: Record<string, any>;
    id: string;
    /** The URN the mocked engine gave the resource (its type part is the parent type chain). */
    urn?: string;
    /** The URN of the resource's parent, as the SDK sent it; undefined for the stack's children. */
    parent?: string;
    /**
     * URNs the resource depends on, as the SDK sent them to the engine (`dependsOn` and the
     * resources its inputs come from); the mocks' `newResource` is not given them.
     */
    dependencies?: string[];
    /** What a component passed to `registerOutputs`, as the engine receives it (secrets as the SDK's secret objects). */
    registeredOutputs?: Record<string, any>;
    /**
     * Resource options as the SDK sent them: `protect` (undefined when not set), `ignoreChanges`, how
     * many aliases, and each alias as the engine receives it (`{ urn }` or `{ spec: { name, type, parentUrn, ... } }`).
     */
    options?: { protect?: boolean; ignoreChanges: string[]; aliases: number; aliasList: any[]; deleteBeforeReplace: boolean };
}

export interface ProgramRun {
    resources: RecordedResource[];
    /** The program's stack exports, fully resolved (secret values unwrapped, see `secretOutputs`). */
    outputs: Record<string, any>;
    /** Names of exports whose value is a Pulumi secret. */
    secretOutputs: string[];
    /** Parent URN by resource name (undefined for resources parented to the stack), to check parents. */
    parents: Map<string, string | undefined>;
    byType(type: string): RecordedResource[];
    one(type: string): RecordedResource;
}

export const projectName = "cognito-auth";
const programPath = path.resolve(__dirname, "..", "index.ts");
const fakeRegion = "ap-northeast-1";

const secretSig = "1b47061264138c4ac30d75fd1eb44270";
/** True when a mock input value is a Pulumi secret. */
export function isSecretValue(value: any): boolean {
    return typeof value === "object" && value !== null && value["4dabf18193072939515e22adb298388d"] === secretSig;
}
/** The plain value of a mock input, secret or not. */
export function plain(value: any): any {
    return isSecretValue(value) ? value.value : value;
}

/** Computed outputs a real provider would return, faked per resource type. */
function fakeState(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
    const id = `${name}-id`;
    switch (type) {
        case "aws:cognito/userPool:UserPool": {
            const poolId = `${fakeRegion}_${name.replace(/[^A-Za-z0-9]/g, "").slice(0, 9)}`;
            return {
                id: poolId,
                state: {
                    ...inputs,
                    arn: `arn:aws:cognito-idp:${fakeRegion}:123456789012:userpool/${poolId}`,
                    endpoint: `cognito-idp.${fakeRegion}.amazonaws.com/${poolId}`,
                },
            };
        }
        case "aws:cognito/userPoolClient:UserPoolClient":
            return { id: `client-${name}`, state: { ...inputs, clientSecret: inputs.generateSecret ? "fake-client-secret" : "" } };
        case "aws:cognito/identityPool:IdentityPool":
            return {
                id: `${fakeRegion}:identity-${name}`,
                state: {
                    ...inputs,
                    arn: `arn:aws:cognito-identity:${fakeRegion}:123456789012:identitypool/${fakeRegion}:identity-${name}`,
                },
            };
        case "aws:iam/role:Role":
            return { id, state: { ...inputs, name: `${name}-1234567`, arn: `arn:aws:iam::123456789012:role/${name}-1234567` } };
        case "pulumi-nodejs:dynamic/cognito-auth:CognitoUser":
            return {
                id: `${plain(inputs.userPoolId)}/${plain(inputs.username)}`,
                state: {
                    ...inputs,
                    sub: `sub-${plain(inputs.username)}`,
                    status: "CONFIRMED",
                    adopted: false,
                    ...(inputs.mfa ? { totpSecret: `FAKETOTPSECRET${String(plain(inputs.username)).toUpperCase()}` } : {}),
                },
            };
        default:
            return { id, state: inputs };
    }
}

/**
 * Evaluates index.ts with the given `cognito-auth:` config (keys without the project prefix;
 * objects are JSON-encoded as the CLI does) and waits until every resource is registered.
 */
export async function runProgram(
    config: Record<string, unknown>,
    options: {
        secretKeys?: string[];
        preview?: boolean;
        stack?: string;
        /** Config outside the project namespace, e.g. `aws:region` (a key set to undefined is removed). */
        rawConfig?: Record<string, string | undefined>;
        /**
         * With `preview`, behave like the engine planning a create: custom resources get no id and
         * only their inputs back, so every computed output (id, arn, endpoint...) is unknown.
         */
        unknownComputed?: boolean;
        /** Another program to evaluate instead of index.ts (the bench's peer program). */
        programPath?: string;
        /** A program as a function, instead of a file (a component used on its own); returns the outputs. */
        program?: () => Record<string, unknown>;
    } = {},
): Promise<ProgramRun> {
    const resources: RecordedResource[] = [];
    const unknownComputed = Boolean(options.preview && options.unknownComputed);
    pulumi.runtime.setMocks(
        {
            newResource(args) {
                const faked = fakeState(args.type, args.name, args.inputs);
                const { id, state } = unknownComputed && args.custom ? { id: "", state: args.inputs } : faked;
                resources.push({ type: args.type, name: args.name, inputs: args.inputs, state, id });
                return { id: id || undefined, state };
            },
            call(args) {
                throw new Error(`unexpected invoke ${args.token}: the program must not need data sources`);
            },
        },
        projectName,
        options.stack ?? "dev",
        options.preview ?? false,
    );
    // The mock monitor does not pass the parent or the dependencies to `newResource`; record them from the request.
    const settings = runtimeSettings();
    const monitor = settings.getMonitor();
    type Registered = {
        type: string;
        name: string;
        parent?: string;
        urn?: string;
        dependencies: string[];
        options: NonNullable<RecordedResource["options"]>;
    };
    const registered: Registered[] = [];
    const originalRegister = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        const entry: Registered = {
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || undefined,
            dependencies: req.getDependenciesList(),
            options: {
                protect: req.hasProtect() ? req.getProtect() : undefined,
                ignoreChanges: req.getIgnorechangesList(),
                aliases: req.getAliasesList().length,
                aliasList: req.getAliasesList().map((alias: any) => alias.toObject()),
                deleteBeforeReplace: req.getDeletebeforereplace(),
            },
        };
        registered.push(entry);
        return originalRegister(req, (err: any, resp: any) => {
            if (resp) entry.urn = resp.getUrn();
            callback(err, resp);
        });
    };
    const registeredOutputs = new Map<string, Record<string, any>>();
    const originalRegisterOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: any, resp: any) => void) => {
        registeredOutputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        return originalRegisterOutputs(req, callback);
    };
    const allConfig: Record<string, string> = { "aws:region": fakeRegion };
    for (const [key, value] of Object.entries(options.rawConfig ?? {})) {
        if (value === undefined) delete allConfig[key];
        else allConfig[key] = value;
    }
    for (const [key, value] of Object.entries(config)) {
        allConfig[`${projectName}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const secretKeys = options.secretKeys ?? ("passwords" in config ? [`${projectName}:passwords`] : []);
    pulumi.runtime.setAllConfig(allConfig, secretKeys);

    const evaluated = options.programPath ?? programPath;
    if (!options.program) delete require.cache[require.resolve(evaluated)];
    let program: Record<string, unknown>;
    try {
        program = options.program ? options.program() : require(evaluated);
    } catch (error) {
        // What the program declared before it failed (registration is asynchronous: let it land), so
        // a test can assert that a refused configuration created nothing.
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (error instanceof Error) Object.assign(error, { declared: resources.length + registered.length });
        throw error;
    }
    const outputs: Record<string, any> = {};
    const secretOutputs: string[] = [];
    for (const [key, value] of Object.entries(program)) {
        const output = pulumi.output(value);
        outputs[key] = await promiseOf(output);
        if (await (output as any).isSecret) secretOutputs.push(key);
    }
    await settings.waitForRPCs();
    const parents = new Map<string, string | undefined>();
    // Keyed by type and name (unique in a stack): a linear search per resource is quadratic at 10,000 users.
    const registeredByKey = new Map(registered.map((r) => [`${r.type}::${r.name}`, r]));
    for (const resource of resources) {
        const entry = registeredByKey.get(`${resource.type}::${resource.name}`);
        if (!entry) continue;
        resource.urn = entry.urn;
        resource.parent = entry.parent;
        resource.dependencies = entry.dependencies;
        resource.options = entry.options;
        if (entry.urn && registeredOutputs.has(entry.urn)) resource.registeredOutputs = registeredOutputs.get(entry.urn);
        parents.set(resource.name, entry.parent);
    }
    return {
        resources,
        outputs,
        secretOutputs,
        parents,
        byType: (type) => resources.filter((r) => r.type === type),
        one(type) {
            const found = resources.filter((r) => r.type === type);
            if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
            return found[0];
        },
    };
}

/**
 * Resolves an Output to its value (undefined while unknown, as in preview). `apply` never runs
 * its callback on an unknown value, so this reads the Output's value and known-ness directly.
 */
export async function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    const impl = output as any;
    const [value, known] = await Promise.all([impl.promise(true), impl.isKnown]);
    return (known ? value : undefined) as T;
}
