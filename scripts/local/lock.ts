// One `npm run local` per folder. The lock file .local/run.pid names the run that holds it: its
// pid, its start time (/proc/<pid>/stat field 22) and a random token. It is made complete in a
// temporary file and hard-linked into place, which fails if it exists: of two runs started at
// the same moment exactly one gets it, and nobody ever reads a half-written lock. A run is
// running only if a process with that pid and that start time exists; otherwise the lock is
// stale (a killed run) and is taken over in one rename, under a second lock so that two runs cannot
// both break it.
// The token is put into the environment of everything the run starts (tokenVariable), so that
// the next run can find what a killed one left (see leftovers.ts).

import * as crypto from "crypto";
import * as fs from "fs";
import { LocalPaths } from "./paths";
import { commandLine, hasProc, isRunning, startTime, workingDirectory } from "./processes";

/** Set in the environment of every process a run starts; /proc/<pid>/environ shows it to the next run. */
export const tokenVariable = "COGNITO_AUTH_LOCAL_RUN";

export interface RunRecord {
    pid: number;
    /** /proc/<pid>/stat field 22; "" where there is no /proc. */
    start: string;
    token: string;
    startedAt: string;
}

/** A lock another run holds. */
export class Locked extends Error {
    constructor(readonly holder: RunRecord) {
        super(
            `npm run local is already running on this folder (pid ${holder.pid}${holder.startedAt ? `, since ${holder.startedAt}` : ""}); ` +
                `use that one, or stop it first (Ctrl-C in its terminal, or: kill ${holder.pid})`,
        );
    }
}

export interface Lock {
    record: RunRecord;
    /** The record of a killed run whose lock was broken, if any: what it started carries its token. */
    stale?: RunRecord;
    /** Lets the lock go (only if it is still ours). */
    release(): void;
}

/** Takes the lock or throws Locked; breaks a stale one. Also sets tokenVariable in process.env, for every child. */
export function takeLock(paths: LocalPaths): Lock {
    fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    const record: RunRecord = {
        pid: process.pid,
        start: startTime(process.pid) ?? "",
        token: crypto.randomBytes(16).toString("hex"),
        startedAt: new Date().toISOString(),
    };
    const content = JSON.stringify(record) + "\n";
    const taken = (stale?: RunRecord): Lock => {
        process.env[tokenVariable] = record.token;
        return {
            record,
            stale,
            release: () => {
                if (readText(paths.lock) === content) fs.rmSync(paths.lock, { force: true });
            },
        };
    };
    for (let attempt = 0; attempt < 20; attempt++) {
        if (createExclusive(paths.lock, content)) return taken();
        const text = readText(paths.lock);
        if (text === undefined) continue; // removed meanwhile: try again
        if (text.trim() === "" && beingWritten(paths.lock)) {
            sleepSync(50);
            continue;
        }
        const holder = parseRecord(text);
        if (holder && running(holder, paths)) throw new Locked(holder);
        // The run that breaks a stale lock takes it in the same step, so it alone knows the killed run's token.
        if (replaceStale(paths, text, content)) return taken(holder);
        sleepSync(50); // another run is breaking it: see who wins
    }
    throw new Error(`could not take the lock ${paths.lock}: it keeps changing; is another npm run local starting over and over?`);
}

/** The run holding the lock, if it is running (for --reset's refusal and messages). */
export function lockHolder(paths: LocalPaths): RunRecord | undefined {
    const text = readText(paths.lock);
    const holder = text === undefined ? undefined : parseRecord(text);
    return holder && running(holder, paths) ? holder : undefined;
}

/** Whether the record names a process that is running now, and is the one that wrote it. */
function running(holder: RunRecord, paths: LocalPaths): boolean {
    if (holder.pid === process.pid || !isRunning(holder.pid)) return false;
    if (holder.start !== "" && hasProc()) return startTime(holder.pid) === holder.start;
    if (holder.token !== "") return true; // no /proc (not Linux): a live pid is all there is to go by
    // A lock of an earlier version (only a pid): that run's node process ran scripts/local.ts in this folder.
    return commandLine(holder.pid).includes("scripts/local.ts") && workingDirectory(holder.pid) === paths.root;
}

/**
 * Replaces the lock file with `content` if it still holds `text` (the stale lock judged), in one
 * rename, so that no other run can take the lock between the stale one's removal and ours. Under a
 * break lock made the same exclusive way: without it, a second run could replace the lock the first
 * one just took. A break lock older than 10 s is left by a run killed in these few lines: removed.
 */
function replaceStale(paths: LocalPaths, text: string, content: string): boolean {
    const breaker = `${paths.lock}.break`;
    if (!createExclusive(breaker, `${process.pid}\n`)) {
        try {
            if (Date.now() - fs.statSync(breaker).mtimeMs > 10_000) fs.rmSync(breaker, { force: true });
        } catch {
            /* gone meanwhile */
        }
        return false;
    }
    try {
        if (readText(paths.lock) !== text) return false;
        const temporary = `${paths.lock}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
        try {
            fs.writeFileSync(temporary, content, { mode: 0o600 });
            fs.renameSync(temporary, paths.lock);
        } finally {
            fs.rmSync(temporary, { force: true });
        }
        return true;
    } finally {
        fs.rmSync(breaker, { force: true });
    }
}

/** Creates file with content, complete, only if it does not exist (a hard link of a temporary file; O_EXCL where links fail). */
function createExclusive(file: string, content: string): boolean {
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
    fs.writeFileSync(temporary, content, { mode: 0o600 });
    try {
        fs.linkSync(temporary, file);
        return true;
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EEXIST") return false;
        if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw err;
    } finally {
        fs.rmSync(temporary, { force: true });
    }
    // A file system without hard links: O_EXCL, then the content (a reader may see it empty for a moment: beingWritten).
    let fd: number;
    try {
        fd = fs.openSync(file, "wx", 0o600);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw err;
    }
    try {
        fs.writeSync(fd, content);
    } finally {
        fs.closeSync(fd);
    }
    return true;
}

/** An empty lock file younger than 2 s: made by O_EXCL a moment ago, its content still to come. */
function beingWritten(file: string): boolean {
    try {
        return Date.now() - fs.statSync(file).mtimeMs < 2_000;
    } catch {
        return false;
    }
}

function parseRecord(text: string): RunRecord | undefined {
    const trimmed = text.trim();
    if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), start: "", token: "", startedAt: "" };
    try {
        const value = JSON.parse(trimmed) as Partial<RunRecord>;
        if (typeof value.pid === "number" && value.pid > 0 && typeof value.token === "string")
            return { pid: value.pid, start: String(value.start ?? ""), token: value.token, startedAt: String(value.startedAt ?? "") };
    } catch {
        /* not a record */
    }
    return undefined;
}

function readText(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

function sleepSync(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
