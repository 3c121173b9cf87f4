import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { dynamicProviderHostScript, providerProtocol } from "../lib/pulumiInternals";
import { userType } from "./users";
const { messages: provproto, service: provrpc } = providerProtocol();

// Drives the SDK's own dynamic-provider host (the process `pulumi up` starts for dynamic
// resources) over gRPC, as the engine does: Configure first; Check(olds = old inputs, news);
// Diff/Update with olds = the previous *outputs*; secrets arrive as plaintext (the host says
// acceptSecrets=false). The `__provider` property carries the serialized provider text.

export const projectRoot = path.resolve(__dirname, "..");
const hostScript = dynamicProviderHostScript();

export type Props = Record<string, any>;

export interface CheckFailure {
    property: string;
    reason: string;
}

/** A gRPC error from the host, with everything the engine would see of it. */
export interface HostError extends Error {
    code?: number;
    details?: string;
    metadata?: grpc.Metadata;
}

export class ProviderHost {
    /** Everything the host wrote to stderr (the engine shows it to the user). */
    public stderr = "";
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
    ) {}

    /** Starts a host; cwd is the project root so that the provider's `require`s resolve. */
    static async start(env: Record<string, string> = {}): Promise<ProviderHost> {
        const child = spawn(process.execPath, [hostScript, "127.0.0.1:1"], {
            cwd: projectRoot,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr!.on("data", (chunk) => {
            stderr += chunk.toString();
        });
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const timer = setTimeout(() => reject(new Error(`provider host did not start:\n${stderr}`)), 20_000);
            child.stdout!.on("data", (chunk) => {
                stdout += chunk.toString();
                const match = /^(\d+)\s*$/m.exec(stdout);
                if (match) {
                    clearTimeout(timer);
                    resolve(Number(match[1]));
                }
            });
            child.once("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`provider host exited with ${code}:\n${stderr}`));
            });
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new ProviderHost(child, client);
        child.stderr!.removeAllListeners("data");
        host.stderr = stderr;
        child.stderr!.on("data", (chunk) => {
            host.stderr += chunk.toString();
        });
        return host;
    }

    get pid(): number {
        return this.child.pid!;
    }

    async configure(config: Record<string, string>): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(Struct.fromJavaScript(config));
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        await this.call("configure", req);
    }

    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds));
        req.setNews(Struct.fromJavaScript(news));
        const resp = await this.call("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(
        id: string,
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = new provproto.DiffRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds));
        req.setNews(Struct.fromJavaScript(news));
        const resp = await this.call("diff", req);
        const kinds = provproto.DiffResponse.DiffChanges;
        const changes = resp.getChanges() === kinds.DIFF_SOME ? "some" : resp.getChanges() === kinds.DIFF_NONE ? "none" : "unknown";
        return { changes, replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
    }

    async create(urn: string, props: Props): Promise<{ id: string; props: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props));
        const resp = await this.call("create", req);
        return { id: resp.getId(), props: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async read(id: string, urn: string, props: Props, inputs: Props = props): Promise<{ id: string; props: Props }> {
        const req = new provproto.ReadRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props));
        req.setInputs(Struct.fromJavaScript(inputs));
        const resp = await this.call("read", req);
        return { id: resp.getId(), props: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async update(id: string, urn: string, olds: Props, news: Props): Promise<Props> {
        const req = new provproto.UpdateRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds));
        req.setNews(Struct.fromJavaScript(news));
        const resp = await this.call("update", req);
        return resp.getProperties()?.toJavaScript() ?? {};
    }

    async delete(id: string, urn: string, props: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props));
        await this.call("delete", req);
    }

    /** Kills the host and closes the channel; safe to call twice. */
    async kill(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        await new Promise<void>((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.kill("SIGKILL");
        });
    }

    private call(method: string, req: any): Promise<any> {
        return new Promise((resolve, reject) => {
            this.client[method](req, (err: HostError | null, resp: any) => (err ? reject(err) : resolve(resp)));
        });
    }
}

/** A URN for a user resource, as the engine would name it. */
export function userUrn(name: string, stack = "dev"): string {
    return `urn:pulumi:${stack}::cognito-auth::cognito-auth:index:CognitoAuth$${userType}::${name}`;
}

/** Runs `fn` with a started host and always kills it. */
export async function withHost<T>(env: Record<string, string>, fn: (host: ProviderHost) => Promise<T>): Promise<T> {
    const host = await ProviderHost.start(env);
    try {
        return await fn(host);
    } finally {
        await host.kill();
    }
}
