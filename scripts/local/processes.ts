// Small process helpers (Linux /proc where available; elsewhere the fallbacks say less).
import * as fs from "fs";

export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** The process's command line ("" when unknown). */
export function commandLine(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
        return "";
    }
}

interface Stat {
    state: string;
    ppid: number;
    /** Field 22, starttime: clock ticks after boot. With the pid it names one process for the machine's uptime. */
    startTime: string;
}

function stat(pid: number): Stat | undefined {
    let text: string;
    try {
        text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ")".
    // The fields after it start at field 3 (state), so field n is at index n - 3.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], ppid: Number(fields[1]), startTime: fields[22 - 3] };
}

/** The process's start time (/proc/<pid>/stat field 22), or undefined where there is no /proc or it is gone. */
export function startTime(pid: number): string | undefined {
    return stat(pid)?.startTime;
}

/** Whether /proc can be read here (Linux); without it, ownership of a process cannot be proved. */
export function hasProc(): boolean {
    return stat(process.pid) !== undefined;
}

/** Running and not a zombie (a killed process its parent has not reaped yet is gone for our purposes). */
export function isRunning(pid: number): boolean {
    const s = stat(pid);
    return s ? s.state !== "Z" && s.state !== "X" : isAlive(pid);
}

/** Every pid in /proc ([] where there is none). */
export function allPids(): number[] {
    try {
        return fs
            .readdirSync("/proc")
            .filter((e) => /^\d+$/.test(e))
            .map(Number);
    } catch {
        return [];
    }
}

/** One variable of the environment the process was started with (undefined if unset or unreadable: not ours to read). */
export function environmentValue(pid: number, name: string): string | undefined {
    let text: string;
    try {
        text = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
    } catch {
        return undefined;
    }
    const entry = text.split("\0").find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
}

/** The process's working directory, or undefined. */
export function workingDirectory(pid: number): string | undefined {
    try {
        return fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
        return undefined;
    }
}

/** pid and its ancestors up to pid 1. */
export function ancestry(pid: number): number[] {
    const chain: number[] = [];
    for (let p: number | undefined = pid; p !== undefined && p > 0 && !chain.includes(p); p = stat(p)?.ppid) chain.push(p);
    return chain;
}

/** Every descendant of pid (children, their children, ...), from /proc; [] where there is no /proc. */
export function descendants(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of allPids()) {
        const parent = stat(entry)?.ppid;
        if (parent === undefined) continue;
        const list = children.get(parent) ?? [];
        list.push(entry);
        children.set(parent, list);
    }
    const found: number[] = [];
    const queue = [pid];
    while (queue.length > 0) {
        for (const child of children.get(queue.shift()!) ?? []) {
            found.push(child);
            queue.push(child);
        }
    }
    return found;
}

/**
 * SIGKILL to a process, its process group and all its descendants. The Pulumi CLI starts its
 * plugins (language host, dynamic-provider host) in process groups of their own, so killing its
 * group alone would leave them running.
 */
export function killTree(pid: number | undefined): void {
    if (pid === undefined) return;
    const all = descendants(pid);
    for (const target of [-pid, pid, ...all]) {
        try {
            process.kill(target, "SIGKILL");
        } catch {
            /* already gone */
        }
    }
}
