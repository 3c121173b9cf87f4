import "../test/helpers/setup";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolWithClient, startCognitoLocal, withEnv, CognitoLocal } from "../test/helpers/cognitoLocal";
import { createCognitoUserProvider } from "../providers/cognitoUser/provider";
import { plain, runProgram } from "../test/helpers/program";
import { ProviderHost, userUrn } from "../test/helpers/providerHost";
import { startFaultProxy } from "../test/helpers/faultProxy";

// `npm run bench`: (a) program evaluation under mocks for 10 / 100 / 1000 users, each in a fresh
// process (wall time, RSS high-water, __provider bytes per user); (b) 200 users provisioned against
// cognito-local through the SDK's dynamic-provider host vs a plain AWS SDK v3 loop with the same two
// calls per user, both at 10 in flight, alternating twice; (c) the AWS CLI, if installed.
// Prints a table with PASS/MISS per target and writes bench/results.json. Never prints a password.

const benchDir = __dirname;
const root = path.resolve(benchDir, "..");
const userType = "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";
const concurrency = 10;
const provisionUsers = 200;
/** Added to every Cognito call in round 3: roughly one round trip to an AWS region. */
const realisticDelayMs = 30;
// Bench-only password for the provisioning runs (never printed).
const password = "Bench-Provision-Pw#2024";

const targets = {
    hostVsPlainRatio: 1.3,
    eval1000Ms: 10_000,
    eval1000RssBytes: 1024 ** 3,
    providerBytes: 16 * 1024,
};

interface EvalResult { users: number; userResources: number; resources: number; ms: number; maxRssBytes: number; providerBytesPerUser: number; providerBytesTotal: number; distinctProviderTexts: number; processMs: number }

function evaluate(users: number): EvalResult {
    const started = Date.now();
    const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(benchDir, "evalChild.ts"), String(users)], {
        cwd: root, encoding: "utf8", env: { ...process.env, NODE_NO_WARNINGS: "1" }, maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`evaluation of ${users} users failed (exit ${child.status}):\n${child.stderr.slice(-2000)}`);
    const line = child.stdout.trim().split("\n").pop()!;
    return { ...JSON.parse(line), processMs: Date.now() - started };
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<number> {
    let next = 0;
    let errors = 0;
    await Promise.all(Array.from({ length: limit }, async () => {
        while (next < items.length) {
            const item = items[next++];
            try { await fn(item); } catch { errors++; }
        }
    }));
    return errors;
}

async function confirmedCount(local: CognitoLocal, userPoolId: string): Promise<number> {
    const users = (await local.client.send(new ListUsersCommand({ UserPoolId: userPoolId }))).Users ?? [];
    return users.filter((u) => u.UserStatus === "CONFIRMED").length;
}

interface ProvisionResult { path: "host" | "inProcess" | "plain" | "cli"; round: number; ms: number; errors: number; confirmed: number; hostStartMs?: number; firstCallMs?: number }

async function provisionHost(local: CognitoLocal, template: Record<string, any>, round: number, endpoint = local.endpoint): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, `bench-host-${round}`);
    const startHost = Date.now();
    const host = await ProviderHost.start({ ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint });
    const hostStartMs = Date.now() - startHost;
    try {
        const names = Array.from({ length: provisionUsers }, (_, i) => `host${round}-user${i}`);
        const createUser = async (name: string) => {
            const urn = userUrn(`cognito-auth-user-${name}`);
            const checked = await host.check(urn, {}, { ...template, userPoolId, username: name, attributes: { email: `${name}@example.com` } });
            await host.create(urn, checked.inputs);
        };
        // The first call loads the provider and the AWS SDK into the host: timed on its own, so
        // that both paths are compared warm (the plain loop's SDK is loaded before it is timed).
        const warmStarted = process.hrtime.bigint();
        await host.configure({ "aws:region": local.env.AWS_REGION });
        await createUser(`host${round}-warmup`);
        const firstCallMs = Number(process.hrtime.bigint() - warmStarted) / 1e6;
        const started = process.hrtime.bigint();
        const errors = await pool(names, concurrency, createUser);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        return { path: "host", round, ms, errors, confirmed: await confirmedCount(local, userPoolId) - 1, hostStartMs, firstCallMs };
    } finally {
        await host.kill();
    }
}

async function provisionPlain(local: CognitoLocal, round: number, endpoint = local.endpoint): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, `bench-plain-${round}`);
    const client = new CognitoIdentityProviderClient({
        endpoint, region: local.env.AWS_REGION, credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
        const names = Array.from({ length: provisionUsers }, (_, i) => `plain${round}-user${i}`);
        const createUser = async (name: string) => {
            await client.send(new AdminCreateUserCommand({
                UserPoolId: userPoolId, Username: name, MessageAction: "SUPPRESS",
                UserAttributes: [{ Name: "email", Value: `${name}@example.com` }],
            }));
            await client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: name, Password: password, Permanent: true }));
        };
        await createUser(`plain${round}-warmup`);
        const started = process.hrtime.bigint();
        const errors = await pool(names, concurrency, createUser);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        return { path: "plain", round, ms, errors, confirmed: await confirmedCount(local, userPoolId) - 1 };
    } finally {
        client.destroy();
    }
}

/**
 * The provider's own cost without the host: the same check + create calls made in this process
 * (the provider reads the endpoint from the environment, as in the host).
 */
async function provisionInProcess(local: CognitoLocal, template: Record<string, any>, round: number): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, `bench-inprocess-${round}`);
    const restore = withEnv(local.env);
    try {
        const provider = createCognitoUserProvider();
        const createUser = async (name: string) => {
            const { inputs } = await provider.check!({} as any, { ...template, userPoolId, username: name, attributes: { email: `${name}@example.com` } } as any);
            await provider.create(inputs!);
        };
        await createUser(`inprocess${round}-warmup`);
        const names = Array.from({ length: provisionUsers }, (_, i) => `inprocess${round}-user${i}`);
        const started = process.hrtime.bigint();
        const errors = await pool(names, concurrency, createUser);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        return { path: "inProcess", round, ms, errors, confirmed: await confirmedCount(local, userPoolId) - 1 };
    } finally {
        restore();
    }
}

/** Runs one `aws` command; rejects on a non-zero exit (stderr kept short, never echoed with args). */
function aws(args: string[], env: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn("aws", args, { env: { ...process.env, ...env, AWS_PAGER: "" }, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (c) => { stderr += c; });
        child.on("error", reject);
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`aws ${args[1]} exited ${code}: ${stderr.slice(0, 200)}`))));
    });
}

/** The same two calls per user with the AWS CLI, one process per call, 10 in flight. */
async function provisionCli(local: CognitoLocal): Promise<ProvisionResult> {
    const { userPoolId } = await createPoolWithClient(local, "bench-cli");
    const names = Array.from({ length: provisionUsers }, (_, i) => `cli-user${i}`);
    const common = ["--endpoint-url", local.endpoint, "--region", local.env.AWS_REGION, "--output", "json"];
    const started = process.hrtime.bigint();
    const errors = await pool(names, concurrency, async (name) => {
        await aws(["cognito-idp", "admin-create-user", ...common, "--user-pool-id", userPoolId, "--username", name,
            "--message-action", "SUPPRESS", "--user-attributes", `Name=email,Value=${name}@example.com`], local.env);
        await aws(["cognito-idp", "admin-set-user-password", ...common, "--user-pool-id", userPoolId, "--username", name,
            "--password", password, "--permanent"], local.env);
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { path: "cli", round: 1, ms, errors, confirmed: await confirmedCount(local, userPoolId) };
}

function awsCliVersion(): string | undefined {
    const probe = spawnSync("aws", ["--version"], { encoding: "utf8" });
    return probe.status === 0 ? (probe.stdout || probe.stderr).trim() : undefined;
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

async function main() {
    // (a) evaluation, one fresh process per size.
    const evaluations: EvalResult[] = [];
    for (const users of [10, 100, 1000]) {
        process.stderr.write(`evaluating ${users} users...\n`);
        evaluations.push(evaluate(users));
    }

    // (b) provisioning, host and plain alternating, twice, in one cognito-local.
    const run = await runProgram({ users: { template: { email: "template@example.com" } }, passwords: { template: password } });
    const template = Object.fromEntries(Object.entries(run.byType(userType)[0].inputs).map(([k, v]) => [k, plain(v)]));
    const provisioning: ProvisionResult[] = [];
    const cli = process.env.BENCH_SKIP_CLI ? undefined : awsCliVersion();
    const local = await startCognitoLocal();
    try {
        for (const round of [1, 2]) {
            process.stderr.write(`provisioning round ${round}...\n`);
            provisioning.push(await provisionHost(local, template, round));
            provisioning.push(await provisionPlain(local, round));
            provisioning.push(await provisionInProcess(local, template, round));
        }
        // Context for (b): the same comparison when every Cognito call takes as long as a call to
        // a real AWS region (a loopback proxy adds the delay), where the host's fixed cost per
        // user matters less than on loopback.
        process.stderr.write(`provisioning with ${realisticDelayMs} ms per call...\n`);
        const proxy = await startFaultProxy({ upstreamPort: local.port, delayMs: realisticDelayMs });
        try {
            provisioning.push(await provisionHost(local, template, 3, proxy.endpoint));
            provisioning.push(await provisionPlain(local, 3, proxy.endpoint));
        } finally {
            await proxy.close();
        }
        // (c) the AWS CLI, when installed (one process per call, as a shell loop would run it).
        if (cli) {
            process.stderr.write("provisioning with the aws CLI...\n");
            provisioning.push(await provisionCli(local));
        }
    } finally {
        await local.stop();
    }
    const ratios = [1, 2, 3].map((round) => {
        const host = provisioning.find((p) => p.path === "host" && p.round === round)!;
        const plainRun = provisioning.find((p) => p.path === "plain" && p.round === round)!;
        return { round, ratio: host.ms / plainRun.ms };
    });

    const cliRun = provisioning.find((p) => p.path === "cli");
    const plainMean = provisioning.filter((p) => p.path === "plain" && p.round !== 3).reduce((a, p) => a + p.ms, 0) / 2;
    const cliNote = cliRun
        ? `${cli}: ${(cliRun.ms / 1000).toFixed(2)} s, ${(cliRun.ms / plainMean).toFixed(1)}x the plain SDK loop (mean of 2 rounds); one process per call`
        : process.env.BENCH_SKIP_CLI ? "skipped: BENCH_SKIP_CLI is set" : "skipped: the aws CLI is not installed";

    const e1000 = evaluations.find((e) => e.users === 1000)!;
    const maxProvider = Math.max(...evaluations.map((e) => e.providerBytesPerUser));
    const worstRatio = Math.max(...ratios.filter((r) => r.round !== 3).map((r) => r.ratio));
    const provisioningOk = provisioning.every((p) => p.errors === 0 && p.confirmed === provisionUsers);
    const checks = [
        { target: `host within ${targets.hostVsPlainRatio}x of plain SDK (worst of 2 rounds)`, value: `${worstRatio.toFixed(2)}x`, pass: worstRatio <= targets.hostVsPlainRatio },
        { target: "1000-user evaluation under 10 s", value: `${(e1000.ms / 1000).toFixed(2)} s`, pass: e1000.ms < targets.eval1000Ms },
        { target: "1000-user evaluation under 1 GB RSS", value: mib(e1000.maxRssBytes), pass: e1000.maxRssBytes < targets.eval1000RssBytes },
        { target: "__provider under 16 KB per user", value: `${maxProvider} B`, pass: maxProvider < targets.providerBytes },
        { target: `all ${provisionUsers} users CONFIRMED, no errors, every run`, value: provisioningOk ? "yes" : "no", pass: provisioningOk },
    ];

    const lines: string[] = [];
    lines.push("(a) program evaluation under mocks (fresh process per size)");
    lines.push("| users | resources | evaluation | process total | peak RSS | __provider per user | __provider all users |");
    lines.push("|---:|---:|---:|---:|---:|---:|---:|");
    for (const e of evaluations) {
        lines.push(`| ${e.users} | ${e.resources} | ${(e.ms / 1000).toFixed(2)} s | ${(e.processMs / 1000).toFixed(2)} s | ${mib(e.maxRssBytes)} | ${e.providerBytesPerUser} B | ${(e.providerBytesTotal / 1024).toFixed(0)} KiB |`);
    }
    lines.push("");
    lines.push(`(b) provisioning ${provisionUsers} users against cognito-local, ${concurrency} in flight`);
    lines.push("| round | path | time | users/s | errors | CONFIRMED | host start, first call (excluded) |");
    lines.push("|---:|---|---:|---:|---:|---:|---:|");
    for (const p of provisioning) {
        lines.push(`| ${p.round} | ${{ host: "provider host (Check+Create)", inProcess: "provider in this process (check+create)", plain: "plain SDK v3 loop", cli: "AWS CLI (c)" }[p.path]} | ${(p.ms / 1000).toFixed(2)} s | ${(provisionUsers / (p.ms / 1000)).toFixed(0)} | ${p.errors} | ${p.confirmed} | ${p.hostStartMs !== undefined ? `${p.hostStartMs} ms, ${p.firstCallMs?.toFixed(0)} ms` : ""} |`);
    }
    lines.push("");
    lines.push(`ratio host/plain: ${ratios.map((r) => `round ${r.round}${r.round === 3 ? ` (${realisticDelayMs} ms per call)` : ""} ${r.ratio.toFixed(2)}x`).join(", ")}`);
    const inProcessRatios = [1, 2].map((round) => provisioning.find((p) => p.path === "inProcess" && p.round === round)!.ms
        / provisioning.find((p) => p.path === "plain" && p.round === round)!.ms);
    lines.push(`ratio provider in this process/plain (no host): ${inProcessRatios.map((r, i) => `round ${i + 1} ${r.toFixed(2)}x`).join(", ")}`);
    lines.push(`(c) AWS CLI: ${cliNote}`);
    lines.push("");
    lines.push("| target | measured | result |");
    lines.push("|---|---:|---|");
    for (const c of checks) lines.push(`| ${c.target} | ${c.value} | ${verdict(c.pass)} |`);
    const table = lines.join("\n");
    console.log(table);

    const environment = { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: require("os").cpus().length, date: new Date().toISOString() };
    fs.writeFileSync(path.join(benchDir, "results.json"), JSON.stringify({
        environment, targets, evaluations, provisioning, ratios, awsCli: cli ?? null, awsCliNote: cliNote,
        checks: checks.map((c) => ({ ...c, result: verdict(c.pass) })),
    }, null, 2) + "\n");
    fs.writeFileSync(path.join(benchDir, "README-bench.md"), [
        "## Benchmark",
        "",
        `Latest figures (\`npm run bench\`, ${environment.date.slice(0, 10)}, Node ${environment.node}, ${environment.platform}, ${environment.cpus} CPUs):`,
        "",
        table,
        "",
        "How to reproduce: `npm ci`, then `npm run bench` (about a minute without the AWS CLI part, which takes",
        "minutes when `aws` is installed: one process per call; set `BENCH_SKIP_CLI=1` to skip it). No AWS account or Pulumi CLI needed.",
        "It starts cognito-local on a free loopback port and the SDK's dynamic-provider host itself, evaluates",
        "`index.ts` under Pulumi mocks in a fresh process per size (peak RSS is that process's `maxRSS`), and",
        "writes the raw figures to `bench/results.json`. Provisioning times exclude the host's start and first call (shown)",
        "and use a fresh pool per run; cognito-local's speed, not AWS quotas, bounds these numbers (real",
        "Cognito allows ~50 AdminCreateUser/s and 25 AdminSetUserPassword/s per account by default).",
        "",
    ].join("\n"));
}

main().catch((err) => { console.error(err); process.exit(1); });
