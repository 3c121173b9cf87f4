// cognito-local, the Cognito user-pool emulator (npm devDependency), on 127.0.0.1:<port> with its
// data in .local/cognito/.cognito (kept between runs) and its log in .local/cognito.log.

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { LocalPaths } from "./paths";
import { commandLine, isAlive } from "./processes";

export const host = "127.0.0.1";
export const readyTimeoutMs = 30_000;

export interface Emulator {
    endpoint: string;
    pid: number;
    /** Resolves when the emulator exits, for whatever reason. */
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    /** Stops it (SIGTERM, then SIGKILL after 3 s) and waits until it is gone. Its data stays. */
    stop(): Promise<void>;
    /** Synchronous last resort, for process exit: SIGKILL. */
    killNow(): void;
}

/** Whether something already listens on host:port (tried by listening there ourselves). */
export function portInUse(port: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", (err: NodeJS.ErrnoException) => {
            if (err.code === "EADDRINUSE" || err.code === "EACCES") resolve(true);
            else reject(err);
        });
        server.listen(port, host, () => server.close(() => resolve(false)));
    });
}

/** An explanation for a busy port, naming a cognito-local left behind by an earlier, killed run. */
export function portInUseMessage(port: number, paths: LocalPaths): string {
    let stray = "";
    try {
        const pid = Number(fs.readFileSync(paths.cognitoPid, "utf8").trim());
        if (pid > 0 && isAlive(pid) && commandLine(pid).includes("cognito-local")) {
            stray = `; it may be the cognito-local of an earlier run that was killed (pid ${pid}): stop it with \`kill ${pid}\``;
        }
    } catch {
        /* no pid file */
    }
    return `port ${port} on ${host} is already in use${stray}. Stop what listens there, or choose another port: npm run local -- --port <n>`;
}

/** The last lines of the emulator's log, indented, for error messages. */
export function logTail(paths: LocalPaths, lines = 20): string {
    let text = "";
    try {
        text = fs.readFileSync(paths.cognitoLog, "utf8");
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
 * start ("Failed to load StormDB database file"). This tool avoids it (`pulumi --parallel 1`), but
 * an app's concurrent requests can cause it too. Such a file is repaired by keeping its first
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

/** Starts the emulator; `track` gets it as soon as it is spawned (so a Ctrl-C while it starts can stop it). */
export async function startEmulator(
    paths: LocalPaths,
    port: number,
    track?: (emulator: Emulator) => void,
    onNote?: (note: string) => void,
): Promise<Emulator> {
    const startScript = path.join(paths.root, "node_modules", "cognito-local", "lib", "bin", "start.js");
    if (!fs.existsSync(startScript)) {
        throw new Error(`cognito-local is not installed (${path.relative(paths.root, startScript)} is missing): run \`npm ci\` first`);
    }
    const dataDir = path.join(paths.cognitoDir, ".cognito");
    fs.mkdirSync(dataDir, { recursive: true });
    const configFile = path.join(dataDir, "config.json");
    // Without this, cognito-local makes every new pool use email addresses as usernames.
    if (!fs.existsSync(configFile)) fs.writeFileSync(configFile, JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }) + "\n");
    const repair = repairDataFiles(dataDir);
    if (repair.unreadable.length > 0) {
        throw new Error(
            `cognito-local's data in ${path.relative(paths.root, path.join(dataDir, "db"))} is damaged beyond repair (${repair.unreadable.join(", ")}): ` +
                "move those files away, or start over with npm run local -- --reset",
        );
    }
    for (const name of repair.repaired)
        onNote?.(
            `repaired cognito-local's data file ${name}, damaged by concurrent writes (a cognito-local bug); the original is kept as ${name}.damaged`,
        );

    const logFd = fs.openSync(paths.cognitoLog, "w");
    let child: ChildProcess;
    try {
        // Its own process group: a Ctrl-C reaches only this tool, which then stops the emulator
        // itself, after `pulumi` has finished cancelling.
        child = spawn(process.execPath, [startScript], {
            cwd: paths.cognitoDir,
            env: { ...process.env, PORT: String(port), HOST: host, NODE_NO_WARNINGS: "1", DEBUG: "" },
            stdio: ["ignore", logFd, logFd],
            detached: true,
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
    const signalGroup = (signal: NodeJS.Signals) => {
        if (child.pid === undefined || gone()) return;
        try {
            process.kill(-child.pid, signal);
        } catch {
            try {
                child.kill(signal);
            } catch {
                /* already gone */
            }
        }
    };
    const emulator: Emulator = {
        endpoint: `http://${host}:${port}`,
        pid: child.pid ?? -1,
        exited,
        killNow: () => signalGroup("SIGKILL"),
        async stop() {
            if (gone()) return;
            const hard = setTimeout(() => signalGroup("SIGKILL"), 3_000);
            signalGroup("SIGTERM");
            await exited;
            clearTimeout(hard);
        },
    };
    if (child.pid !== undefined) fs.writeFileSync(paths.cognitoPid, `${child.pid}\n`);
    track?.(emulator);

    // Ready when the log says so and the port answers; failed when it exits or the time is up.
    const deadline = Date.now() + readyTimeoutMs;
    const failure = (why: string) =>
        new Error(`cognito-local ${why}. Its log (${path.relative(paths.root, paths.cognitoLog)}) ends with:\n${logTail(paths)}`);
    let early: Error | undefined;
    spawnError.then((err) => {
        early = err;
    });
    for (;;) {
        if (early) throw new Error(`could not start cognito-local: ${early.message}`);
        if (gone()) throw failure(`exited (${child.exitCode ?? child.signalCode}) before it was ready on port ${port}`);
        let log = "";
        try {
            log = fs.readFileSync(paths.cognitoLog, "utf8");
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
