import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CognitoLocal, createPoolWithClient, listUsers, startCognitoLocal } from "../harness/cognitoLocal";
import { EngineProject, createEngineProject, findPulumi } from "../harness/engine";
import { startFaultProxy } from "../harness/faultProxy";
import { CpuByRole, track } from "./processes";
import { Skipped, elapsedMs, load, newPassword, onAbort, redact, userType } from "./common";
import { concurrency, confirmedCount, plainCreate, plainDelete, sdkClient } from "./provisioning";

// (c) The real engine (`pulumi` CLI, Node.js language host, dynamic-provider host) running index.ts
// in existing-pool mode against cognito-local on the file backend, as test/engine.test.ts does:
// per size, a fresh pool and stack; `pulumi up`, an unchanged `pulumi preview`, `pulumi destroy`,
// the state per user from `pulumi stack export`; beside it, on another fresh pool of the same
// emulator, the plain AWS SDK v3 loop for the same users at the same concurrency. On the 100-user
// stack, the version-1 upgrade: its users rewritten as cognito-auth 0.1 stored them, then the
// migrating `pulumi up` (through a counting proxy: it should send Cognito nothing).

export const engineSizes = [10, 100, 1000];
export const migrationSize = 100;
/** Longest a single `pulumi up` / `destroy` may run before the bench stops it and reports what it saw. */
const stepTimeoutMs = Number(process.env.BENCH_ENGINE_STEP_TIMEOUT_MIN ?? 12) * 60_000;
const root = path.resolve(__dirname, "..");

export interface StateFigures {
    /** Mean over user resources of JSON({inputs, outputs}) bytes, as `pulumi stack export` shows them. */
    inputsOutputsBytesPerUser: number;
    /** Mean bytes of a user's whole resource entry in the export (inputs, outputs and what Pulumi adds). */
    resourceEntryBytesPerUser: number;
    /** The stack's checkpoint file in the file backend, bytes. */
    checkpointBytes: number;
    userResources: number;
    /** Users whose outputs carry stateVersion (written by the current provider). */
    withStateVersion: number;
}

export interface EngineRow {
    users: number;
    plainCreateMs?: number;
    plainCreateErrors?: number;
    plainConfirmed?: number;
    plainDeleteMs?: number;
    plainDeleteErrors?: number;
    plainLeftAfterDelete?: number;
    upMs?: number;
    /** CPU seconds by process role during each command (Linux /proc sampling); bench = this process (the plain loop). */
    cpu: Partial<Record<"up" | "preview" | "destroy" | "plainCreate" | "plainDelete", CpuByRole & { bench?: number }>>;
    upConfirmed?: number;
    /** When `pulumi up` ran past the step timeout and was stopped: what it had made by then. */
    upStopped?: { afterMs: number; confirmed: number };
    previewMs?: number;
    previewNoChanges?: boolean;
    state?: StateFigures;
    destroyMs?: number;
    remainingAfterDestroy?: number;
    /** True when destroy ran on the stack after the version-1 migration (the 100-user stack). */
    destroyAfterMigration?: boolean;
    configMs?: number;
    /** The same users' up and destroy with PULUMI_SKIP_CHECKPOINTS=true (largest size only). */
    skipCheckpoints?: SkipCheckpointsRow;
    load1Before: number;
    load1After?: number;
    error?: string;
}

export interface SkipCheckpointsRow {
    upMs?: number;
    upCpu?: CpuByRole;
    upConfirmed?: number;
    destroyMs?: number;
    destroyCpu?: CpuByRole;
    remainingAfterDestroy?: number;
    error?: string;
}

export interface MigrationRow {
    users: number;
    before: StateFigures;
    after: StateFigures;
    upMs: number;
    upCpu: CpuByRole;
    updated: number | null;
    cognitoRequests: number;
}

export interface EngineResults {
    cli: string;
    version: string;
    rows: EngineRow[];
    migration: MigrationRow | Skipped;
}

interface CommandRun {
    code: number | null;
    output: string;
    ms: number;
    timedOut: boolean;
    cpu: CpuByRole;
}

/**
 * Runs `pulumi <args>` in the project, following the CLI and every process it starts (language
 * host, program, dynamic-provider host) so that a timeout or an interruption stops all of them.
 */
export function pulumi(
    cli: string,
    project: Pick<EngineProject, "dir" | "env">,
    args: string[],
    options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CommandRun> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(cli, [...args, "--non-interactive", "--color", "never"], {
            cwd: project.dir,
            env: { ...project.env, ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
        });
        const processes = track(child.pid);
        const unregister = onAbort(() => processes.killAll());
        let output = "";
        let timedOut = false;
        child.stdout.on("data", (c) => {
            output += c;
        });
        child.stderr.on("data", (c) => {
            output += c;
        });
        const timer = setTimeout(() => {
            timedOut = true;
            processes.killAll();
        }, options.timeoutMs ?? stepTimeoutMs);
        child.on("error", (err) => {
            clearTimeout(timer);
            processes.stop();
            unregister();
            reject(err);
        });
        child.on("close", (code) => {
            const ms = elapsedMs(started);
            clearTimeout(timer);
            const cpu = processes.stop();
            processes.killAll(); // a plugin the CLI left behind, if any
            unregister();
            resolve({ code, output, ms, timedOut, cpu });
        });
    });
}

export async function ok(
    cli: string,
    project: Pick<EngineProject, "dir" | "env">,
    args: string[],
    options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CommandRun> {
    const run = await pulumi(cli, project, args, options);
    if (run.code !== 0) {
        const why = run.timedOut ? `stopped after ${Math.round(run.ms / 1000)} s` : `exited ${run.code}`;
        throw new Error(`pulumi ${args.slice(0, 2).join(" ")} ${why}:\n${redact(run.output.slice(-3000))}`);
    }
    return run;
}

async function exportStack(cli: string, project: EngineProject): Promise<any> {
    return JSON.parse((await ok(cli, project, ["stack", "export"], { timeoutMs: 120_000 })).output);
}

function checkpointFile(project: EngineProject): string | undefined {
    return project
        .stateFiles()
        .find((file) => file.includes(`${path.sep}.pulumi${path.sep}stacks${path.sep}`) && path.basename(file) === `${project.stack}.json`);
}

function stateFigures(exported: any, project: EngineProject): StateFigures {
    const users = (exported.deployment.resources ?? []).filter((r: any) => r.type === userType);
    const sum = (f: (r: any) => number) => users.reduce((total: number, r: any) => total + f(r), 0);
    const file = checkpointFile(project);
    return {
        inputsOutputsBytesPerUser: users.length
            ? Math.round(sum((r) => Buffer.byteLength(JSON.stringify({ inputs: r.inputs, outputs: r.outputs }))) / users.length)
            : 0,
        resourceEntryBytesPerUser: users.length ? Math.round(sum((r) => Buffer.byteLength(JSON.stringify(r))) / users.length) : 0,
        checkpointBytes: file ? fs.statSync(file).size : 0,
        userResources: users.length,
        withStateVersion: users.filter((r: any) => r.outputs?.stateVersion !== undefined).length,
    };
}

/**
 * The upgrade from version 1 on a stack made by `up`: its users rewritten exactly as
 * test/engine.test.ts does (cognito-auth 0.1's provider text in inputs and outputs, no
 * stateVersion, passwordPolicy and adoptExisting copied into outputs), imported, then the
 * migrating `pulumi up` timed, with Cognito reached through a counting proxy.
 */
async function migrate(cli: string, project: EngineProject, local: CognitoLocal, users: number): Promise<MigrationRow> {
    const v1Provider = fs.readFileSync(path.join(root, "test", "fixtures", "provider-v1.js.txt"), "utf8");
    const exported = await exportStack(cli, project);
    for (const resource of exported.deployment.resources.filter((r: any) => r.type === userType)) {
        resource.inputs.__provider = v1Provider;
        const { stateVersion: _version, ...outputs } = resource.outputs;
        resource.outputs = {
            ...outputs,
            passwordPolicy: resource.inputs.passwordPolicy,
            adoptExisting: resource.inputs.adoptExisting,
            __provider: v1Provider,
        };
    }
    const file = path.join(project.dir, "v1-state.json");
    fs.writeFileSync(file, JSON.stringify(exported));
    await ok(cli, project, ["stack", "import", "--file", file], { timeoutMs: 120_000 });
    fs.rmSync(file);
    const before = stateFigures(await exportStack(cli, project), project);
    const proxy = await startFaultProxy({ upstreamPort: local.port });
    try {
        const requests = proxy.counts.requests;
        const up = await ok(cli, project, ["up", "--yes", "--skip-preview", "--parallel", String(concurrency)], {
            env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.endpoint },
        });
        const cognitoRequests = proxy.counts.requests - requests;
        const updated = /^\s*~ (\d+) updated\s*$/m.exec(up.output); // the summary's "Resources:" block
        const after = stateFigures(await exportStack(cli, project), project);
        return { users, before, after, upMs: up.ms, upCpu: up.cpu, updated: updated ? Number(updated[1]) : null, cognitoRequests };
    } finally {
        await proxy.close();
    }
}

export type Person = { name: string; password: string };

/** Existing-pool mode with the README's commands: region, pool, then every user's email and secret password. */
export async function configure(cli: string, project: EngineProject, userPoolId: string, people: Person[]): Promise<void> {
    await ok(cli, project, ["config", "set", "aws:region", "local"]);
    await ok(cli, project, ["config", "set", "userPoolId", userPoolId]);
    const settings: string[] = [];
    for (const { name, password } of people) {
        settings.push(
            "--path",
            "--plaintext",
            `users.${name}.email=${name}@example.com`,
            "--path",
            "--secret",
            `passwords.${name}=${password}`,
        );
    }
    await ok(cli, project, ["config", "set-all", ...settings], { timeoutMs: 600_000 });
}

/**
 * The same up and destroy with PULUMI_SKIP_CHECKPOINTS=true (an experimental CLI setting: the
 * engine saves the state once at the end instead of after every step), on a fresh pool and stack:
 * what the per-step checkpoint writes of the file backend cost.
 */
async function withoutCheckpoints(cli: string, local: CognitoLocal, people: Person[]): Promise<SkipCheckpointsRow> {
    const result: SkipCheckpointsRow = {};
    const enginePool = await createPoolWithClient(local, `bench-skipcp-${people.length}`);
    const project = await createEngineProject(cli, { ...local.env, PULUMI_SKIP_CHECKPOINTS: "true" });
    const unregister = onAbort(() => project.remove());
    try {
        await configure(cli, project, enginePool.userPoolId, people);
        const up = await ok(cli, project, ["up", "--yes", "--skip-preview", "--parallel", String(concurrency)]);
        result.upMs = up.ms;
        result.upCpu = up.cpu;
        result.upConfirmed = await confirmedCount(local, enginePool.userPoolId);
        const destroy = await ok(cli, project, ["destroy", "--yes", "--skip-preview", "--parallel", String(concurrency)]);
        result.destroyMs = destroy.ms;
        result.destroyCpu = destroy.cpu;
        result.remainingAfterDestroy = (await listUsers(local, enginePool.userPoolId)).length;
    } catch (err: any) {
        result.error = redact(String(err?.message ?? err))
            .split("\n")
            .slice(0, 12)
            .join("\n");
    } finally {
        project.remove();
        unregister();
    }
    return result;
}

async function engineSize(
    cli: string,
    local: CognitoLocal,
    users: number,
    log: (line: string) => void,
    alsoWithoutCheckpoints: boolean,
): Promise<{ row: EngineRow; migration?: MigrationRow }> {
    const row: EngineRow = { users, load1Before: load().load1, cpu: {} };
    const people = Array.from({ length: users }, (_, i) => ({ name: `user${String(i).padStart(4, "0")}`, password: newPassword() }));

    // The plain SDK loop first, on its own fresh pool: create, then delete.
    log(`(c) ${users} users: plain AWS SDK v3 loop`);
    const plainPool = await createPoolWithClient(local, `bench-plain-${users}`);
    const client = sdkClient(local.endpoint, local.env.AWS_REGION);
    try {
        const measured = async <T>(key: "plainCreate" | "plainDelete", fn: () => Promise<T>): Promise<T> => {
            const sampler = track(undefined);
            const own = process.cpuUsage();
            try {
                return await fn();
            } finally {
                const spent = process.cpuUsage(own);
                row.cpu[key] = { ...sampler.stop(), bench: (spent.user + spent.system) / 1e6 };
            }
        };
        const created = await measured("plainCreate", () => plainCreate(client, plainPool.userPoolId, people));
        row.plainCreateMs = created.ms;
        row.plainCreateErrors = created.errors;
        row.plainConfirmed = await confirmedCount(local, plainPool.userPoolId);
        const deleted = await measured("plainDelete", () =>
            plainDelete(
                client,
                plainPool.userPoolId,
                people.map((p) => p.name),
            ),
        );
        row.plainDeleteMs = deleted.ms;
        row.plainDeleteErrors = deleted.errors;
        row.plainLeftAfterDelete = (await listUsers(local, plainPool.userPoolId)).length;
    } finally {
        client.destroy();
    }

    // The engine, on another fresh pool, with the README's config commands.
    const enginePool = await createPoolWithClient(local, `bench-engine-${users}`);
    const project = await createEngineProject(cli, local.env);
    const unregister = onAbort(() => project.remove());
    let migration: MigrationRow | undefined;
    try {
        const configStarted = process.hrtime.bigint();
        await configure(cli, project, enginePool.userPoolId, people);
        row.configMs = elapsedMs(configStarted);

        log(`(c) ${users} users: pulumi up`);
        const up = await pulumi(cli, project, ["up", "--yes", "--skip-preview", "--parallel", String(concurrency)]);
        if (up.timedOut) {
            row.upStopped = { afterMs: up.ms, confirmed: await confirmedCount(local, enginePool.userPoolId) };
            row.cpu.up = up.cpu;
            return { row };
        }
        if (up.code !== 0) throw new Error(`pulumi up exited ${up.code}:\n${redact(up.output.slice(-3000))}`);
        row.upMs = up.ms;
        row.cpu.up = up.cpu;
        row.upConfirmed = await confirmedCount(local, enginePool.userPoolId);
        row.state = stateFigures(await exportStack(cli, project), project);

        log(`(c) ${users} users: unchanged pulumi preview`);
        const preview = await pulumi(cli, project, ["preview", "--expect-no-changes"]);
        row.previewMs = preview.ms;
        row.cpu.preview = preview.cpu;
        row.previewNoChanges = preview.code === 0;
        if (preview.code !== 0)
            throw new Error(
                `the unchanged preview reported changes or failed (exit ${preview.code}):\n${redact(preview.output.slice(-3000))}`,
            );

        if (users === migrationSize) {
            log(`(c) ${users} users: version-1 state, then the migrating pulumi up`);
            migration = await migrate(cli, project, local, users);
            row.destroyAfterMigration = true;
        }

        log(`(c) ${users} users: pulumi destroy`);
        const destroy = await ok(cli, project, ["destroy", "--yes", "--skip-preview", "--parallel", String(concurrency)]);
        row.destroyMs = destroy.ms;
        row.cpu.destroy = destroy.cpu;
        row.remainingAfterDestroy = (await listUsers(local, enginePool.userPoolId)).length;

        if (alsoWithoutCheckpoints) {
            log(`(c) ${users} users: pulumi up and destroy with PULUMI_SKIP_CHECKPOINTS=true`);
            row.skipCheckpoints = await withoutCheckpoints(cli, local, people);
        }
    } catch (err: any) {
        row.error = redact(String(err?.message ?? err))
            .split("\n")
            .slice(0, 12)
            .join("\n");
    } finally {
        project.remove();
        unregister();
        row.load1After = load().load1;
    }
    return { row, migration };
}

export function cliVersion(cli: string): string {
    const run = spawnSync(cli, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    return (run.stdout || "").trim() || "unknown";
}

export async function runEngine(log: (line: string) => void): Promise<EngineResults | Skipped> {
    const { cli, reason } = findPulumi();
    if (!cli) return { skipped: reason ?? "no Pulumi CLI found" };
    const sizes = process.env.BENCH_ENGINE_SIZES ? process.env.BENCH_ENGINE_SIZES.split(",").map(Number) : engineSizes;
    const local = await startCognitoLocal();
    const rows: EngineRow[] = [];
    let migration: MigrationRow | Skipped = { skipped: `the ${migrationSize}-user stack was not measured` };
    try {
        for (const users of sizes) {
            const result = await engineSize(cli, local, users, log, users === Math.max(...sizes));
            rows.push(result.row);
            if (result.row.error) log(`(c) ${users} users failed: ${result.row.error.split("\n")[0]}`);
            if (result.migration) migration = result.migration;
            else if (users === migrationSize)
                migration = {
                    skipped: result.row.error ? `the ${migrationSize}-user run failed` : `the ${migrationSize}-user up did not finish`,
                };
        }
    } finally {
        await local.stop();
    }
    return { cli: cli === "pulumi" ? "pulumi (PATH)" : path.relative(root, cli), version: cliVersion(cli), rows, migration };
}
