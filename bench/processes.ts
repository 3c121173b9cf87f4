import { spawnSync } from "child_process";
import * as fs from "fs";

// The processes a `pulumi` command starts, followed through Linux's /proc: their CPU time by role
// (sampled every 0.5 s; up to the last half second of a process may be missed), and a kill that
// reaches all of them. The CLI starts each plugin (language host, dynamic-provider host) in a
// process group of its own, so killing the CLI's group is not enough; and once the CLI is gone its
// plugins are no longer its descendants, so every process seen is remembered (with its start time,
// so that a reused pid is never killed). cognito-local, a child of this process, is sampled too.
// Without /proc (not Linux) nothing is measured and only the CLI's own group is killed.

export type Role = "engine" | "languageHost" | "program" | "providerHost" | "cognitoLocal" | "other";
export type CpuByRole = Partial<Record<Role, number>>;

const hasProc = fs.existsSync("/proc/self/stat");
const ticksPerSecond = (() => {
    const run = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
    return Number(run.stdout?.trim()) || 100;
})();

function roleOf(cmdline: string): Role {
    const [argv0 = "", ...rest] = cmdline.split("\0");
    const args = rest.join(" ");
    if (argv0.endsWith("pulumi-language-nodejs")) return "languageHost";
    if (argv0.endsWith("/pulumi") || argv0 === "pulumi") return "engine";
    if (args.includes("cmd/dynamic-provider")) return "providerHost";
    if (args.includes("cmd/run")) return "program";
    if (args.includes("cognito-local")) return "cognitoLocal";
    return "other";
}

function roleOfPid(pid: number): Role | undefined {
    try {
        return roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
    } catch {
        return undefined;
    }
}

interface Stat {
    pid: number;
    ppid: number;
    cpuTicks: number;
    startTime: string;
}

function readStat(pid: number): Stat | undefined {
    try {
        const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ... starttime (22nd field)
        const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return { pid, ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), startTime: f[19] };
    } catch {
        return undefined;
    }
}

function allStats(): Stat[] {
    let names: string[];
    try {
        names = fs.readdirSync("/proc");
    } catch {
        return [];
    }
    return names
        .filter((n) => /^\d+$/.test(n))
        .map((n) => readStat(Number(n)))
        .filter((s): s is Stat => s !== undefined);
}

export interface Tracker {
    /** Stops sampling; CPU seconds used by role since `track` was called. */
    stop(): CpuByRole;
    /** SIGKILLs every process seen (still alive, same start time) and every current descendant. */
    killAll(): void;
}

/** Follows `rootPid` and its descendants (and this process's cognito-local children). */
export function track(rootPid: number | undefined): Tracker {
    const seen = new Map<number, { role: Role; startTime: string; first: number; last: number; inTree: boolean }>();
    const sample = () => {
        if (!hasProc) return;
        const stats = allStats();
        const children = new Map<number, number[]>();
        for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
        const tree = new Set<number>();
        const queue = rootPid ? [rootPid] : [];
        while (queue.length) {
            const pid = queue.pop()!;
            if (tree.has(pid)) continue;
            tree.add(pid);
            queue.push(...(children.get(pid) ?? []));
        }
        for (const s of stats) {
            const known = seen.get(s.pid);
            if (known && known.startTime === s.startTime) {
                known.last = s.cpuTicks;
                // A wrapper script that execs its program (the provider host's) keeps its pid: look again.
                if (known.role === "other") known.role = roleOfPid(s.pid) ?? "other";
                continue;
            }
            const inTree = tree.has(s.pid);
            if (!inTree && s.ppid !== process.pid) continue;
            const role = roleOfPid(s.pid);
            if (!role) continue;
            if (!inTree && role !== "cognitoLocal") continue;
            // A process of the command counts from its start; cognito-local from now on.
            seen.set(s.pid, { role, startTime: s.startTime, first: inTree ? 0 : s.cpuTicks, last: s.cpuTicks, inTree });
        }
    };
    sample();
    const timer = setInterval(sample, 500);
    return {
        stop() {
            sample();
            clearInterval(timer);
            const byRole: CpuByRole = {};
            for (const p of seen.values()) byRole[p.role] = (byRole[p.role] ?? 0) + (p.last - p.first) / ticksPerSecond;
            return byRole;
        },
        killAll() {
            sample();
            for (const [pid, p] of seen) {
                if (!p.inTree || readStat(pid)?.startTime !== p.startTime) continue;
                try {
                    process.kill(pid, "SIGKILL");
                } catch {
                    /* gone */
                }
            }
            if (rootPid)
                try {
                    process.kill(-rootPid, "SIGKILL");
                } catch {
                    /* gone, or not a group leader */
                }
        },
    };
}
