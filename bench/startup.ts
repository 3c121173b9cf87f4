import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { offlineEnv } from "../scripts/pulumiCli";
import { createPoolWithClient, startCognitoLocal } from "../harness/cognitoLocal";
import { createEngineProject, findPulumi } from "../harness/engine";
import { Skipped, killTree, load, newPassword, onAbort, redact } from "./common";
import { Person, cliVersion, configure, ok } from "./engine";
import { EvalRow, evaluate } from "./evaluation";
import { CpuByRole } from "./processes";

// (d) Start-up (issue 20): what `pulumi preview` and `pulumi up` of a small stack cost beside the
// engine's floor, an empty JavaScript Pulumi program, measured side by side in one run with the
// same CLI, file backend and offline settings (plugin acquisition off). cognito-auth runs in
// existing-pool mode against cognito-local with 10 users, in the environment users have (no
// PULUMI_NODEJS_TRANSPILE_ONLY), and once per round with PULUMI_NODEJS_TRANSPILE_ONLY=false (ts-node
// type-checks the program, as every command did before issue 20). Rounds alternate the programs so
// that a change in the machine's load hits both. Beside it: where the start-up goes (module loads
// in a fresh Node process, ./startupProbe.js) and the created-pool program under mocks.

export const startupUsers = 10;
const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 5);
const root = path.resolve(__dirname, "..");

export type StartupKind = "floorPreview" | "preview" | "previewTypeChecked" | "floorUp" | "upUnchanged";

export interface StartupRun {
    ms: number;
    cpu: CpuByRole;
}

export interface StartupResults {
    cli: string;
    version: string;
    users: number;
    rounds: number;
    date: string;
    node: string;
    /** Each kind's runs in round order. */
    runs: Partial<Record<StartupKind, StartupRun[]>>;
    /** The first `pulumi up`, creating the users (one run). */
    upCreate: StartupRun;
    /** Module loads in a fresh Node process, ms, median of 3 per mode. */
    probe: Record<"transpile" | "typecheck", { awsByProgram: boolean; steps: Record<string, number> }>;
    /** The created-pool program with 10 users under mocks (bench/evalChild.ts), for comparison. */
    mocked: EvalRow | Skipped;
    load1: [number, number];
}

/** An empty JavaScript program in its own project, run by the same CLI on the same kind of backend. */
function floorProject(cli: string): { dir: string; env: Record<string, string>; remove(): void } {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-floor-"));
    const dir = path.join(base, "project");
    fs.mkdirSync(dir);
    fs.mkdirSync(path.join(base, "state"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: floor\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "floor", private: true, main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), 'require("@pulumi/pulumi");\n');
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    const env = offlineEnv(cli, {
        stateDir: path.join(base, "state"),
        homeDir: path.join(base, "home"),
        passphrase: crypto.randomBytes(12).toString("hex"),
    });
    return { dir, env, remove: () => fs.rmSync(base, { recursive: true, force: true }) };
}

function withoutTranspileOnly(env: Record<string, string>): Record<string, string> {
    const { PULUMI_NODEJS_TRANSPILE_ONLY: _dropped, ...rest } = env;
    return rest;
}

function probeOnce(mode: "transpile" | "typecheck"): Promise<{ awsByProgram: boolean; steps: Record<string, number> }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(__dirname, "startupProbe.js"), mode], {
            cwd: root,
            env: withoutTranspileOnly({ ...(process.env as Record<string, string>), NODE_NO_WARNINGS: "1" }),
            stdio: ["ignore", "pipe", "pipe"],
        });
        const unregister = onAbort(() => killTree(child.pid, false));
        let stdout = "",
            stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("error", reject);
        child.on("close", (code) => {
            unregister();
            if (code !== 0) return reject(new Error(`startupProbe.js ${mode} exited ${code}: ${redact(stderr.slice(-1000))}`));
            resolve(JSON.parse(stdout.trim().split("\n").pop()!));
        });
    });
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function probe(mode: "transpile" | "typecheck"): Promise<{ awsByProgram: boolean; steps: Record<string, number> }> {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await probeOnce(mode));
    const steps: Record<string, number> = {};
    for (const name of Object.keys(runs[0].steps)) steps[name] = median(runs.map((r) => r.steps[name]));
    return { awsByProgram: runs[0].awsByProgram, steps };
}

export async function runStartup(log: (line: string) => void): Promise<StartupResults | Skipped> {
    const { cli, reason } = findPulumi();
    if (!cli) return { skipped: reason ?? "no Pulumi CLI found" };
    const load1Start = load().load1;
    const local = await startCognitoLocal();
    const floor = floorProject(cli);
    const unregisterFloor = onAbort(floor.remove);
    const pool = await createPoolWithClient(local, "bench-startup");
    const project = await createEngineProject(cli, local.env);
    const unregisterProject = onAbort(() => project.remove());
    try {
        const asUsers = { dir: project.dir, env: withoutTranspileOnly(project.env) };
        const people: Person[] = Array.from({ length: startupUsers }, (_, i) => ({ name: `user${i}`, password: newPassword() }));
        await configure(cli, project, pool.userPoolId, people);
        await ok(cli, floor, ["stack", "init", "floor"]);

        log(`(d) first pulumi up: ${startupUsers} users`);
        const created = await ok(cli, asUsers, ["up", "--yes", "--skip-preview"]);
        const upCreate = { ms: created.ms, cpu: created.cpu };
        await ok(cli, floor, ["up", "--yes", "--skip-preview"]); // the floor's stack exists from here on

        const runs: StartupResults["runs"] = {};
        const add = (kind: StartupKind, run: { ms: number; cpu: CpuByRole }) => (runs[kind] ??= []).push({ ms: run.ms, cpu: run.cpu });
        for (let round = 1; round <= rounds; round++) {
            log(`(d) round ${round} of ${rounds}: previews and unchanged ups, floor and cognito-auth`);
            add("floorPreview", await ok(cli, floor, ["preview", "--expect-no-changes"]));
            add("preview", await ok(cli, asUsers, ["preview", "--expect-no-changes"]));
            add(
                "previewTypeChecked",
                await ok(cli, asUsers, ["preview", "--expect-no-changes"], { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" } }),
            );
            add("floorUp", await ok(cli, floor, ["up", "--yes", "--skip-preview"]));
            add("upUnchanged", await ok(cli, asUsers, ["up", "--yes", "--skip-preview"]));
        }
        await ok(cli, asUsers, ["destroy", "--yes", "--skip-preview"]);

        log("(d) module loads in a fresh Node process");
        const probed = { transpile: await probe("transpile"), typecheck: await probe("typecheck") };
        log(`(d) created-pool program under mocks, ${startupUsers} users`);
        let mocked: EvalRow | Skipped;
        try {
            mocked = await evaluate(root, startupUsers, "current");
        } catch (err: any) {
            mocked = { skipped: `failed: ${redact(String(err?.message ?? err)).split("\n")[0]}` };
        }
        return {
            cli: cli === "pulumi" ? "pulumi (PATH)" : path.relative(root, cli),
            version: cliVersion(cli),
            users: startupUsers,
            rounds,
            date: new Date().toISOString(),
            node: process.version,
            runs,
            upCreate,
            probe: probed,
            mocked,
            load1: [load1Start, load().load1],
        };
    } finally {
        project.remove();
        unregisterProject();
        floor.remove();
        unregisterFloor();
        await local.stop();
    }
}

export { median };
