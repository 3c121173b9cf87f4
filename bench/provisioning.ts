import { spawn, spawnSync } from "child_process";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolWithClient, listUsers, startCognitoLocal, withEnv, CognitoLocal } from "../harness/cognitoLocal";
import { createCognitoUserProvider } from "../providers/cognitoUser/provider";
import { plain, runProgram } from "../harness/program";
import { ProviderHost, userUrn } from "../harness/providerHost";
import { startFaultProxy } from "../harness/faultProxy";
import { pool } from "../harness/pool";
import { elapsedMs, killTree, load, newPassword, onAbort, redact, userType } from "./common";

// (b) 200 users provisioned against cognito-local: through the SDK's dynamic-provider host (the
// test plays the engine: Check then Create per user over gRPC), with the provider called in this
// process (no host), and with a plain AWS SDK v3 loop making the same two calls per user; all at
// 10 in flight, alternating, twice, then once more with 30 ms added to every Cognito call; and
// the AWS CLI (one process per call) when installed. Also the plain loop used by (c).

export const concurrency = 10;
export const provisionUsers = 200;
/** Added to every Cognito call in round 3: roughly one round trip to an AWS region. */
export const realisticDelayMs = 30;

export type ProvisionPath = "host" | "inProcess" | "plain" | "cli";
export interface ProvisionResult {
    path: ProvisionPath;
    round: number;
    ms: number;
    errors: number;
    confirmed: number;
    hostStartMs?: number;
    firstCallMs?: number;
}

/** Runs `fn` on every item with at most `limit` in flight (the tests' pool); returns how many failed. */
async function failures<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<number> {
    return (await pool(items, limit, fn)).filter((result) => !result.ok).length;
}

export async function confirmedCount(local: CognitoLocal, userPoolId: string): Promise<number> {
    return (await listUsers(local, userPoolId)).filter((u) => u.UserStatus === "CONFIRMED").length;
}

function sdkClient(endpoint: string, region: string): CognitoIdentityProviderClient {
    return new CognitoIdentityProviderClient({ endpoint, region, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/** The plain loop: AdminCreateUser (no invitation) then a permanent password, `concurrency` users at a time. */
export async function plainCreate(client: CognitoIdentityProviderClient, userPoolId: string, users: { name: string; password: string }[]) {
    const started = process.hrtime.bigint();
    const errors = await failures(users, concurrency, async ({ name, password }) => {
        await client.send(
            new AdminCreateUserCommand({
                UserPoolId: userPoolId,
                Username: name,
                MessageAction: "SUPPRESS",
                UserAttributes: [{ Name: "email", Value: `${name}@example.com` }],
            }),
        );
        await client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: name, Password: password, Permanent: true }));
    });
    return { ms: elapsedMs(started), errors };
}

/** AdminDeleteUser for each user, `concurrency` at a time. */
export async function plainDelete(client: CognitoIdentityProviderClient, userPoolId: string, names: string[]) {
    const started = process.hrtime.bigint();
    const errors = await failures(names, concurrency, async (name) => {
        await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: name }));
    });
    return { ms: elapsedMs(started), errors };
}

export { sdkClient };

async function provisionHost(
    local: CognitoLocal,
    template: Record<string, any>,
    password: string,
    round: number,
    endpoint = local.endpoint,
): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, `bench-host-${round}`);
    const startHost = Date.now();
    const host = await ProviderHost.start({ ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint });
    const unregister = onAbort(() => killTree(host.pid, false));
    const hostStartMs = Date.now() - startHost;
    try {
        const names = Array.from({ length: provisionUsers }, (_, i) => `host${round}-user${i}`);
        const createUser = async (name: string) => {
            const urn = userUrn(`cognito-auth-user-${name}`);
            const checked = await host.check(
                urn,
                {},
                { ...template, userPoolId, username: name, password, attributes: { email: `${name}@example.com` } },
            );
            await host.create(urn, checked.inputs);
        };
        // The first call loads the provider and the AWS SDK into the host: timed on its own, so
        // that both paths are compared warm (the plain loop's SDK is loaded before it is timed).
        const warmStarted = process.hrtime.bigint();
        await host.configure({ "aws:region": local.env.AWS_REGION });
        await createUser(`host${round}-warmup`);
        const firstCallMs = elapsedMs(warmStarted);
        const started = process.hrtime.bigint();
        const errors = await failures(names, concurrency, createUser);
        const ms = elapsedMs(started);
        return { path: "host", round, ms, errors, confirmed: (await confirmedCount(local, userPoolId)) - 1, hostStartMs, firstCallMs };
    } finally {
        await host.kill();
        unregister();
    }
}

async function provisionPlain(local: CognitoLocal, password: string, round: number, endpoint = local.endpoint): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, `bench-plain-${round}`);
    const client = sdkClient(endpoint, local.env.AWS_REGION);
    try {
        const users = Array.from({ length: provisionUsers }, (_, i) => ({ name: `plain${round}-user${i}`, password }));
        await plainCreate(client, userPoolId, [{ name: `plain${round}-warmup`, password }]);
        const { ms, errors } = await plainCreate(client, userPoolId, users);
        return { path: "plain", round, ms, errors, confirmed: (await confirmedCount(local, userPoolId)) - 1 };
    } finally {
        client.destroy();
    }
}

/**
 * The provider's own cost without the host: the same check + create calls made in this process
 * (the provider reads the endpoint from the environment, as in the host).
 */
async function provisionInProcess(
    local: CognitoLocal,
    template: Record<string, any>,
    password: string,
    round: number,
): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, `bench-inprocess-${round}`);
    const restore = withEnv(local.env);
    try {
        const provider = createCognitoUserProvider();
        const createUser = async (name: string) => {
            const { inputs } = await provider.check!(
                {} as any,
                { ...template, userPoolId, username: name, password, attributes: { email: `${name}@example.com` } } as any,
            );
            await provider.create(inputs!);
        };
        await createUser(`inprocess${round}-warmup`);
        const names = Array.from({ length: provisionUsers }, (_, i) => `inprocess${round}-user${i}`);
        const started = process.hrtime.bigint();
        const errors = await failures(names, concurrency, createUser);
        const ms = elapsedMs(started);
        return { path: "inProcess", round, ms, errors, confirmed: (await confirmedCount(local, userPoolId)) - 1 };
    } finally {
        restore();
    }
}

/** Runs one `aws` command; rejects on a non-zero exit (stderr kept short and redacted, never the arguments). */
function aws(args: string[], env: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn("aws", args, { env: { ...process.env, ...env, AWS_PAGER: "" }, stdio: ["ignore", "ignore", "pipe"] });
        const unregister = onAbort(() => killTree(child.pid, false));
        let stderr = "";
        child.stderr.on("data", (c) => {
            stderr += c;
        });
        child.on("error", (err) => {
            unregister();
            reject(err);
        });
        child.on("exit", (code) => {
            unregister();
            if (code === 0) resolve();
            else reject(new Error(`aws ${args[1]} exited ${code}: ${redact(stderr.slice(0, 200))}`));
        });
    });
}

/** The same two calls per user with the AWS CLI, one process per call, 10 in flight. */
async function provisionCli(local: CognitoLocal, password: string): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, "bench-cli");
    const names = Array.from({ length: provisionUsers }, (_, i) => `cli-user${i}`);
    const common = ["--endpoint-url", local.endpoint, "--region", local.env.AWS_REGION, "--output", "json"];
    const started = process.hrtime.bigint();
    const errors = await failures(names, concurrency, async (name) => {
        await aws(
            [
                "cognito-idp",
                "admin-create-user",
                ...common,
                "--user-pool-id",
                userPoolId,
                "--username",
                name,
                "--message-action",
                "SUPPRESS",
                "--user-attributes",
                `Name=email,Value=${name}@example.com`,
            ],
            local.env,
        );
        await aws(
            [
                "cognito-idp",
                "admin-set-user-password",
                ...common,
                "--user-pool-id",
                userPoolId,
                "--username",
                name,
                "--password",
                password,
                "--permanent",
            ],
            local.env,
        );
    });
    const ms = elapsedMs(started);
    return { path: "cli", round: 1, ms, errors, confirmed: await confirmedCount(local, userPoolId) };
}

function awsCliVersion(): string | undefined {
    const probe = spawnSync("aws", ["--version"], { encoding: "utf8" });
    return probe.status === 0 ? (probe.stdout || probe.stderr).trim() : undefined;
}

export interface ProvisioningResults {
    runs: ProvisionResult[];
    /** host time / plain time per round. */
    hostRatios: { round: number; ratio: number }[];
    /** provider-in-this-process time / plain time, rounds 1 and 2. */
    inProcessRatios: { round: number; ratio: number }[];
    awsCli: string | null;
    cliNote: string;
    /** 1-minute load average when the provisioning started and ended. */
    load1: [number, number];
}

export async function runProvisioning(log: (line: string) => void): Promise<ProvisioningResults> {
    // One user's inputs as the program declares them (under mocks), reused with each name.
    const loadBefore = load().load1;
    const password = newPassword();
    const run = await runProgram({ users: { template: { email: "template@example.com" } }, passwords: { template: password } });
    const template = Object.fromEntries(Object.entries(run.byType(userType)[0].inputs).map(([k, v]) => [k, plain(v)]));
    const runs: ProvisionResult[] = [];
    const local = await startCognitoLocal();
    try {
        for (const round of [1, 2]) {
            log(`(b) provisioning round ${round}: host, plain SDK loop, provider in this process`);
            runs.push(await provisionHost(local, template, password, round));
            runs.push(await provisionPlain(local, password, round));
            runs.push(await provisionInProcess(local, template, password, round));
        }
        // The same comparison when every Cognito call takes as long as a call to a real AWS region
        // (a loopback proxy adds the delay), where the host's fixed cost per user matters less.
        log(`(b) provisioning round 3: ${realisticDelayMs} ms added to every call`);
        const proxy = await startFaultProxy({ upstreamPort: local.port, delayMs: realisticDelayMs });
        try {
            runs.push(await provisionHost(local, template, password, 3, proxy.endpoint));
            runs.push(await provisionPlain(local, password, 3, proxy.endpoint));
        } finally {
            await proxy.close();
        }
    } finally {
        await local.stop();
    }
    const find = (path: ProvisionPath, round: number) => runs.find((p) => p.path === path && p.round === round)!;
    const hostRatios = [1, 2, 3].map((round) => ({ round, ratio: find("host", round).ms / find("plain", round).ms }));
    const inProcessRatios = [1, 2].map((round) => ({ round, ratio: find("inProcess", round).ms / find("plain", round).ms }));
    const cliNote = process.env.BENCH_SKIP_CLI ? "skipped: BENCH_SKIP_CLI is set" : "not run";
    return { runs, hostRatios, inProcessRatios, awsCli: null, cliNote, load1: [loadBefore, load().load1] };
}

/**
 * The AWS CLI row of (b), on its own emulator. The bench runs it last: its ten Python processes at
 * a time load the machine for minutes, and would otherwise weigh on the figures measured after it.
 */
export async function addAwsCli(results: ProvisioningResults, log: (line: string) => void): Promise<void> {
    if (process.env.BENCH_SKIP_CLI) return;
    const cli = awsCliVersion();
    if (!cli) {
        results.cliNote = "skipped: the aws CLI is not installed";
        return;
    }
    log("(b) provisioning with the AWS CLI (one process per call)");
    const local = await startCognitoLocal();
    let cliRun: ProvisionResult;
    try {
        cliRun = await provisionCli(local, newPassword());
    } finally {
        await local.stop();
    }
    results.runs.push(cliRun);
    results.awsCli = cli;
    const plainMean = results.runs.filter((p) => p.path === "plain" && p.round !== 3).reduce((sum, p) => sum + p.ms, 0) / 2;
    results.cliNote = `${cli}: ${(cliRun.ms / 1000).toFixed(2)} s, ${(cliRun.ms / plainMean).toFixed(1)}x the plain SDK loop (mean of rounds 1-2; run at the end of the bench)`;
}
