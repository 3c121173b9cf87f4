import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Skipped, killTree, load, onAbort } from "./common";
import { peerUserType } from "./evalUsers";

// (a) The program (index.ts) evaluated under Pulumi mocks, one fresh process per size so that the
// peak RSS belongs to that size alone: this checkout's code, and the baseline commit's code in a
// temporary git worktree running its own bench/evalChild.ts, and the peer program (./peerChild.ts).
// All children get the same preload (./inputsProbe.js) for the figures the baseline's child does not print.

export const baselineCommit = "de02726";
const benchDir = __dirname;
export const projectRoot = path.resolve(benchDir, "..");
/** A 10,000-user evaluation takes under a minute on an idle 2-core machine; this only stops a runaway. */
const childTimeoutMs = 20 * 60_000;

export interface EvalRow {
    /** peer = ./peerProgram.ts (the same users as `aws.cognito.User`) evaluated from this checkout. */
    code: "current" | "baseline" | "peer";
    users: number;
    resources: number;
    userResources: number;
    /** runProgram in the child: index.ts evaluated and every registration answered, plus the helper's own bookkeeping. */
    ms: number;
    /** From the mocks' setup to the last resource reaching the mocked monitor. */
    toLastRegistrationMs: number;
    /** The child process from spawn to exit (Node start, ts-node compiling the program, evaluation). */
    processMs: number;
    /** User + system CPU of the child, whole process. */
    cpuMs: number;
    maxRssBytes: number;
    /** V8 heap in use when the first user reached the mocked monitor (every resource declared, none registered yet). */
    heapAtFirstUserBytes: number;
    /** V8 heap in use after the evaluation and a full garbage collection (what the program keeps). */
    heapRetainedBytes: number;
    providerBytesPerUser: number;
    inputsBytesPerUser: number;
    distinctProviderTexts: number;
    load1: number;
}

function runChild(cwd: string, users: number, peer: boolean): Promise<{ stdout: string; stderr: string; code: number | null; ms: number }> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(
            process.execPath,
            [
                "--expose-gc",
                "-r",
                "ts-node/register/transpile-only",
                "-r",
                path.join(benchDir, "inputsProbe.js"),
                path.join("bench", peer ? "peerChild.ts" : "evalChild.ts"),
                String(users),
            ],
            {
                cwd,
                env: { ...process.env, NODE_NO_WARNINGS: "1", ...(peer ? { BENCH_USER_TYPE: peerUserType } : {}) },
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        const unregister = onAbort(() => killTree(child.pid, false));
        let stdout = "",
            stderr = "";
        child.stdout.on("data", (c) => {
            stdout += c;
        });
        child.stderr.on("data", (c) => {
            stderr += c;
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), childTimeoutMs);
        child.on("error", (err) => {
            clearTimeout(timer);
            unregister();
            reject(err);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            unregister();
            resolve({ stdout, stderr, code, ms: Date.now() - started });
        });
    });
}

/** Evaluates `users` users with the checkout at `cwd` (this project, or the baseline worktree), or the peer program (this project). */
export async function evaluate(cwd: string, users: number, code: EvalRow["code"]): Promise<EvalRow> {
    const { load1 } = load();
    const child = await runChild(cwd, users, code === "peer");
    if (child.code !== 0) {
        throw new Error(`${code} evaluation of ${users} users failed (exit ${child.code}):\n${child.stderr.slice(-2000)}`);
    }
    const lines = child.stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line));
    const result = lines.find((l) => "users" in l);
    const probe = lines.find((l) => "probe" in l)?.probe;
    if (!result || !probe) throw new Error(`${code} evaluation of ${users} users printed no result:\n${child.stdout.slice(-1000)}`);
    if (probe.userResources !== result.userResources) {
        throw new Error(
            `the probe saw ${probe.userResources} user resources, the child ${result.userResources}: it did not wrap the child's mocks`,
        );
    }
    return {
        code,
        users,
        resources: result.resources,
        userResources: result.userResources,
        ms: result.ms,
        toLastRegistrationMs: probe.toLastRegistrationMs,
        processMs: child.ms,
        cpuMs: probe.cpuMs,
        maxRssBytes: result.maxRssBytes,
        heapAtFirstUserBytes: probe.heapAtFirstUserBytes,
        heapRetainedBytes: probe.heapRetainedBytes,
        providerBytesPerUser: result.providerBytesPerUser,
        inputsBytesPerUser: probe.inputsBytesPerUser,
        distinctProviderTexts: result.distinctProviderTexts,
        load1,
    };
}

function git(args: string[]): { ok: boolean; out: string } {
    const run = spawnSync("git", ["-C", projectRoot, ...args], { encoding: "utf8" });
    if (run.error) return { ok: false, out: run.error.message };
    return { ok: run.status === 0, out: `${run.stdout}${run.stderr}`.trim() };
}

/**
 * Runs `fn` with the baseline commit checked out in a temporary git worktree whose node_modules
 * is this project's; the worktree is removed afterwards, also on error or interruption.
 * Returns a reason instead when the commit cannot be checked out.
 */
export async function withBaseline<T>(fn: (dir: string) => Promise<T>): Promise<T | Skipped> {
    if (!git(["rev-parse", "--git-dir"]).ok) return { skipped: "this folder is not a git checkout" };
    const commit = git(["rev-parse", "--verify", "--quiet", `${baselineCommit}^{commit}`]);
    if (!commit.ok)
        return { skipped: `commit ${baselineCommit} is not in this clone's history (a shallow clone? \`git fetch --unshallow\`)` };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-baseline-"));
    const dir = path.join(tmp, "checkout");
    const remove = () => {
        git(["worktree", "remove", "--force", dir]);
        fs.rmSync(tmp, { recursive: true, force: true });
        git(["worktree", "prune"]);
    };
    const unregister = onAbort(remove);
    try {
        const added = git(["worktree", "add", "--detach", dir, commit.out]);
        if (!added.ok) return { skipped: `git worktree add failed: ${added.out.split("\n").pop()}` };
        if (!fs.existsSync(path.join(dir, "bench", "evalChild.ts")))
            return { skipped: `commit ${baselineCommit} has no bench/evalChild.ts` };
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
        return await fn(dir);
    } finally {
        unregister();
        remove();
    }
}
