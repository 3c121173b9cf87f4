// The one cognito-local launcher (the Cognito user-pool emulator, an npm devDependency), for the
// tests and the bench (through cognitoLocal.ts, in a temp dir) and for `npm run local` (in .local/).
// It imports nothing test-only, so the product script can use it.

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { host } from "./ports";

export const readyTimeoutMs = 30_000;

const root = path.resolve(__dirname, "..");

export interface Emulator {
    endpoint: string;
    port: number;
    pid: number;
    /** Resolves when the emulator exits, for whatever reason. */
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    /** Stops it (SIGTERM, then SIGKILL after 3 s) and waits until it is gone. Its data stays. */
    stop(): Promise<void>;
    /** Synchronous last resort, for process exit: SIGKILL. */
    killNow(): void;
}

export interface LaunchOptions {
    /** cognito-local's working directory: its data is in .cognito/ below (made if missing, kept). */
    dir: string;
    port: number;
    /** Its output, truncated at the start; readiness is read from it and failures quote its end. */
    log: string;
    /** Gets the emulator's pid once it is spawned. */
    pidFile?: string;
    /**
     * Its own process group: a Ctrl-C at the terminal reaches only the caller, which stops the
     * emulator itself when it is ready to. @default false
     */
    ownGroup?: boolean;
    /** Gets the emulator as soon as it is spawned (so a Ctrl-C while it starts can stop it). */
    track?: (emulator: Emulator) => void;
    /** Told what was done to its data before the start (a repaired file). */
    onNote?: (note: string) => void;
    /** What the error for data damaged beyond repair suggests besides moving the files away. */
    startOver?: string;
}

/** Starts cognito-local on 127.0.0.1:port and resolves when it answers there. */
export async function launchEmulator(options: LaunchOptions): Promise<Emulator> {
    const { port } = options;
    const startScript = path.join(root, "node_modules", "cognito-local", "lib", "bin", "start.js");
    if (!fs.existsSync(startScript)) {
        throw new Error(`cognito-local is not installed (${shown(startScript)} is missing): run \`npm ci\` first`);
    }
    prepareData(options);

    const logFd = fs.openSync(options.log, "w");
    let child: ChildProcess;
    try {
        child = spawn(process.execPath, [startScript], {
            cwd: options.dir,
            env: { ...process.env, PORT: String(port), HOST: host, NODE_NO_WARNINGS: "1", DEBUG: "" },
            stdio: ["ignore", logFd, logFd],
            detached: options.ownGroup ?? false,
        });
    } finally {
        fs.closeSync(logFd);
    }
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        child.once("exit", (code, signal) => resolve({ code, signal }));
        child.once("error", () => resolve({ code: null, signal: null }));
    });
    const gone = () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
    const signal = (name: NodeJS.Signals) => {
        if (child.pid === undefined || gone()) return;
        try {
            if (options.ownGroup) process.kill(-child.pid, name);
            else child.kill(name);
        } catch {
            try {
                child.kill(name);
            } catch {
                /* already gone */
            }
        }
    };
    const emulator: Emulator = {
        endpoint: `http://${host}:${port}`,
        port,
        pid: child.pid ?? -1,
        exited,
        killNow: () => signal("SIGKILL"),
        async stop() {
            if (gone()) return;
            const hard = setTimeout(() => signal("SIGKILL"), 3_000);
            signal("SIGTERM");
            await exited;
            clearTimeout(hard);
        },
    };
    if (options.pidFile && child.pid !== undefined) fs.writeFileSync(options.pidFile, `${child.pid}\n`);
    options.track?.(emulator);

    // Ready when the log says so and the port answers; failed when it exits or the time is up.
    const deadline = Date.now() + readyTimeoutMs;
    const failure = (why: string) => new Error(`cognito-local ${why}. Its log (${shown(options.log)}) ends with:\n${logTail(options.log)}`);
    let early: Error | undefined;
    spawnError.then((err) => {
        early = err;
    });
    for (;;) {
        if (early) throw new Error(`could not start cognito-local: ${early.message}`);
        if (gone()) throw failure(`exited (${child.exitCode ?? child.signalCode}) before it was ready on port ${port}`);
        let log = "";
        try {
            log = fs.readFileSync(options.log, "utf8");
        } catch {
            /* not yet */
        }
        if (log.includes("Cognito Local running") && (await answers(port))) return emulator;
        if (Date.now() > deadline) {
            await emulator.stop();
            throw failure(`did not start on port ${port} within ${readyTimeoutMs / 1000} s`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
}

/** The data folder, its config, and the repair of files damaged by concurrent writes; throws for those beyond repair. */
function prepareData(options: LaunchOptions): void {
    const dataDir = path.join(options.dir, ".cognito");
    fs.mkdirSync(dataDir, { recursive: true });
    const configFile = path.join(dataDir, "config.json");
    // Without this, cognito-local makes every new pool use email addresses as usernames.
    if (!fs.existsSync(configFile)) fs.writeFileSync(configFile, JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }) + "\n");
    const repair = repairDataFiles(dataDir);
    if (repair.unreadable.length > 0) {
        throw new Error(
            `cognito-local's data in ${shown(path.join(dataDir, "db"))} is damaged beyond repair (${repair.unreadable.join(", ")}): ` +
                `move those files away${options.startOver ? `, or start over with ${options.startOver}` : ""}`,
        );
    }
    for (const name of repair.repaired)
        options.onNote?.(
            `repaired cognito-local's data file ${name}, damaged by concurrent writes (a cognito-local bug); the original is kept as ${name}.damaged`,
        );
}

/** A path as messages show it: relative to the project when inside it. */
function shown(file: string): string {
    const relative = path.relative(root, file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/** The last lines of the emulator's log, indented, for error messages. */
export function logTail(log: string, lines = 20): string {
    let text = "";
    try {
        text = fs.readFileSync(log, "utf8");
    } catch {
        return "    (no log)";
    }
    const all = text.trimEnd().split("\n");
    // Colour codes from the emulator's logger are noise in a file.
    return (
        all
            .slice(-lines)
            // eslint-disable-next-line no-control-regex -- the escape character starts a colour code
            .map((l) => `    ${l.replace(/\x1b\[[0-9;]*m/g, "")}`)
            .join("\n")
    );
}

/**
 * cognito-local keeps each pool in one JSON file and saves it with an async fs.writeFile per change;
 * two changes at once (say, a parallel delete of several users) can leave the file as the later,
 * shorter text followed by the tail of the earlier, longer one, and cognito-local then refuses to
 * start ("Failed to load StormDB database file"). `npm run local` avoids it (`pulumi --parallel 1`),
 * but an app's concurrent requests can cause it too. Such a file is repaired by keeping its first
 * complete JSON document (the original is kept as <file>.damaged). Returns what was done.
 */
export function repairDataFiles(dataDir: string): { repaired: string[]; unreadable: string[] } {
    const repaired: string[] = [],
        unreadable: string[] = [];
    let files: string[] = [];
    try {
        files = fs.readdirSync(path.join(dataDir, "db")).filter((f) => f.endsWith(".json"));
    } catch {
        return { repaired, unreadable };
    }
    for (const name of files) {
        const file = path.join(dataDir, "db", name);
        const text = fs.readFileSync(file, "utf8");
        if (text.trim() === "") continue; // cognito-local reads an empty file as {}
        try {
            JSON.parse(text);
            continue;
        } catch {
            /* damaged */
        }
        const end = firstJsonValueEnd(text);
        let ok = false;
        if (end !== undefined) {
            try {
                JSON.parse(text.slice(0, end));
                ok = true;
            } catch {
                /* not a document either */
            }
        }
        if (!ok) {
            unreadable.push(name);
            continue;
        }
        fs.writeFileSync(`${file}.damaged`, text);
        fs.writeFileSync(file, text.slice(0, end) + "\n");
        repaired.push(name);
    }
    return { repaired, unreadable };
}

/** The index just after the first top-level JSON object or array in text (strings and escapes respected). */
export function firstJsonValueEnd(text: string): number | undefined {
    let depth = 0,
        inString = false,
        escaped = false,
        started = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (escaped) escaped = false;
            else if (c === "\\") escaped = true;
            else if (c === '"') inString = false;
            continue;
        }
        if (c === '"') inString = true;
        else if (c === "{" || c === "[") {
            depth++;
            started = true;
        } else if (c === "}" || c === "]") {
            depth--;
            if (started && depth === 0) return i + 1;
            if (depth < 0) return undefined;
        }
    }
    return undefined;
}

function answers(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, host);
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}
