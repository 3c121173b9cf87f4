// What a killed `npm run local` (SIGKILL, a closed terminal, a lost CI job) leaves behind, and
// how the next run clears it: the processes it started (emulator, Pulumi CLI, language host,
// dynamic-provider host), the Pulumi lock on the local stack, and an empty metadata file a kill
// during a state write can leave. Users the killed run created but never recorded are taken
// over by the next `pulumi up` (the local stack sets adoptExistingUsers: see main.ts).

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunRecord, tokenVariable } from "./lock";
import { LocalPaths, stackName } from "./paths";
import { allPids, ancestry, commandLine, environmentValue, isRunning, startTime, workingDirectory } from "./processes";
import { project } from "./stack";

export interface Leftover {
    pid: number;
    start: string | undefined;
    command: string;
}

/**
 * The processes of killed runs, only those it can be proved one started. Every child of a run
 * inherits its token (tokenVariable), and no other program sets that variable. So a process is a
 * leftover if it carries the killed run's token; or carries another run's token (not ours: we
 * hold the lock, so no other run of this folder is alive) and runs with this folder's
 * .local/home as PULUMI_HOME or its working directory in .local; or is cognito-local started from
 * this folder's node_modules with its working directory in .local (what a run of an earlier
 * version, which set no token, leaves). Never this process or its ancestors.
 */
export function findLeftovers(paths: LocalPaths, stale: RunRecord | undefined, ownToken: string): Leftover[] {
    const mine = new Set(ancestry(process.pid));
    const emulatorScript = path.join(paths.root, "node_modules", "cognito-local");
    const inLocal = (dir: string | undefined) => dir !== undefined && (dir === paths.dir || dir.startsWith(paths.dir + path.sep));
    const found: Leftover[] = [];
    for (const pid of allPids()) {
        if (mine.has(pid) || !isRunning(pid)) continue;
        const token = environmentValue(pid, tokenVariable);
        if (token === ownToken) continue;
        const cwd = workingDirectory(pid);
        const ours =
            (token !== undefined && token === stale?.token) ||
            (token !== undefined && (environmentValue(pid, "PULUMI_HOME") === paths.homeDir || inLocal(cwd))) ||
            (inLocal(cwd) && commandLine(pid).includes(emulatorScript));
        if (ours) found.push({ pid, start: startTime(pid), command: commandLine(pid) });
    }
    return found;
}

/** SIGTERM, then SIGKILL after 3 s; waits until they are gone. Returns those that would not go (not ours to signal). */
export async function stopLeftovers(leftovers: Leftover[]): Promise<Leftover[]> {
    // Signal a pid only while it is still the same process (same start time): never a stranger that got the pid since.
    const same = (l: Leftover) => isRunning(l.pid) && startTime(l.pid) === l.start;
    const signal = (l: Leftover, name: NodeJS.Signals) => {
        if (!same(l)) return;
        try {
            process.kill(l.pid, name);
        } catch {
            /* gone, or not ours: reported below if it stays */
        }
    };
    for (const l of leftovers) signal(l, "SIGTERM");
    const deadline = Date.now() + 3_000;
    while (leftovers.some(same) && Date.now() < deadline) await sleep(100);
    for (const l of leftovers) signal(l, "SIGKILL");
    const end = Date.now() + 2_000;
    while (leftovers.some(same) && Date.now() < end) await sleep(50);
    return leftovers.filter(same);
}

/** A short name for a leftover, for the progress line: "cognito-local", "pulumi", "node". */
export function describe(l: Leftover): string {
    const words = l.command.split(" ");
    if (l.command.includes("cognito-local")) return "cognito-local";
    if (words.some((w) => w.includes("pulumi-language-nodejs"))) return "Pulumi language host";
    if (l.command.includes("dynamic-provider") || words.some((w) => w.includes("pulumi-resource-pulumi-nodejs")))
        return "dynamic-provider host";
    if (path.basename(words[0] ?? "") === "pulumi") return "pulumi CLI";
    return path.basename(words[0] ?? "") || "process";
}

export interface StackLock {
    file: string;
    pid?: number;
    hostname?: string;
    timestamp?: string;
}

/** The file backend's locks on the local stack (.local/state/.pulumi/locks/organization/<project>/local/<id>.json). */
export function stackLocks(paths: LocalPaths): StackLock[] {
    const dir = path.join(paths.stateDir, ".pulumi", "locks", "organization", project, stackName);
    let names: string[];
    try {
        names = fs.readdirSync(dir).filter((n) => n.endsWith(".json"));
    } catch {
        return [];
    }
    return names.map((name) => {
        const file = path.join(dir, name);
        try {
            const content = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: number; hostname?: string; timestamp?: string };
            return { file, pid: content.pid, hostname: content.hostname, timestamp: content.timestamp };
        } catch {
            return { file };
        }
    });
}

/**
 * Whether the lock's pulumi process is still running on this machine: its pid is alive, runs
 * pulumi, and started before the lock was taken (a pid reused since would have started after).
 */
export function lockHolderRunning(lock: StackLock): boolean {
    if (lock.pid === undefined || !(lock.pid > 0)) return false;
    if (lock.hostname !== undefined && lock.hostname !== os.hostname()) return true; // another machine's: cannot tell, so respect it
    if (!isRunning(lock.pid) || !/(^|\/)pulumi( |$)/.test(commandLine(lock.pid))) return false;
    const started = processStartedAt(lock.pid);
    const locked = lock.timestamp ? Date.parse(lock.timestamp) : NaN;
    return started === undefined || Number.isNaN(locked) || started <= locked + 1_000;
}

/** When the process started (ms since the epoch), from /proc: boot time + start ticks / clock rate (100 on Linux). */
function processStartedAt(pid: number): number | undefined {
    const ticks = Number(startTime(pid));
    if (!Number.isFinite(ticks)) return undefined;
    try {
        const uptime = Number(fs.readFileSync("/proc/uptime", "utf8").split(" ")[0]);
        return Date.now() - uptime * 1000 + (ticks / 100) * 1000;
    } catch {
        return undefined;
    }
}

/**
 * The empty `<stack>.json.attrs` a kill during a state write can leave, with which every pulumi
 * command fails with "failed to load checkpoint: EOF" (the README's fix: delete it). Returns whether it was removed.
 */
export function removeEmptyAttrs(paths: LocalPaths): boolean {
    const file = path.join(paths.stateDir, ".pulumi", "stacks", project, `${stackName}.json.attrs`);
    try {
        if (fs.statSync(file).size !== 0) return false;
    } catch {
        return false;
    }
    fs.rmSync(file, { force: true });
    return true;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
