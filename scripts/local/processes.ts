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
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    } catch {
        return "";
    }
}

/** Every descendant of pid (children, their children, ...), from /proc; [] where there is no /proc. */
export function descendants(pid: number): number[] {
    const children = new Map<number, number[]>();
    let entries: string[];
    try {
        entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
    } catch {
        return [];
    }
    for (const entry of entries) {
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ")".
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            const list = children.get(ppid) ?? [];
            list.push(Number(entry));
            children.set(ppid, list);
        } catch {
            /* gone meanwhile */
        }
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
