import * as os from "os";

// What every part of the bench shares: the user resource's type, formatting, the machine's load,
// redaction of the bench's own passwords, and the clean-up that runs when the bench is stopped.

export const userType = "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";

/** A figure that could not be measured, and why. */
export interface Skipped {
    skipped: string;
}
export const isSkipped = (value: unknown): value is Skipped => typeof value === "object" && value !== null && "skipped" in value;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
export const bytes = (n: number) => `${Math.round(n).toLocaleString("en-US")} B`;
export const ratio = (x: number) => `${x.toFixed(2)}x`;
export const perSecond = (count: number, ms: number) => (count / (ms / 1000)).toFixed(1);
export const elapsedMs = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/** The 1-minute load average with the core count, e.g. "load 3.2 on 2 cores". */
export function load(): { load1: number; cpus: number; text: string } {
    const load1 = os.loadavg()[0];
    const cpus = os.cpus().length;
    return { load1, cpus, text: `load ${load1.toFixed(1)} on ${cpus} cores` };
}

/**
 * Every password the bench makes has this shape (it meets Cognito's default policy), so that any
 * text the bench prints can be scrubbed of them, whichever user they belong to.
 */
const passwordPattern = /Bp[0-9a-f]{12}#Q7|Bench-\d+-Pw#2024x/g; // the second: evalChild's mock config
export function newPassword(): string {
    return `Bp${require("crypto").randomBytes(6).toString("hex")}#Q7`;
}
export function redact(text: string): string {
    return text.replace(passwordPattern, "[password]");
}

/**
 * Clean-ups that must run even when the bench is interrupted (Ctrl-C, a CI timeout's SIGTERM):
 * killing the processes it started and removing its temporary folders. Each part registers its
 * own and unregisters it once it has cleaned up normally. cognito-local's helper hooks the same
 * signals and process exit for the emulator itself.
 */
const cleanups = new Set<() => void>();
export function onAbort(cleanup: () => void): () => void {
    cleanups.add(cleanup);
    return () => {
        cleanups.delete(cleanup);
    };
}
export function runAbortCleanups(): void {
    for (const cleanup of [...cleanups]) {
        try {
            cleanup();
        } catch {
            /* keep cleaning */
        }
        cleanups.delete(cleanup);
    }
}
export function installSignalHandlers(): void {
    for (const [signal, code] of [
        ["SIGINT", 130],
        ["SIGTERM", 143],
        ["SIGHUP", 129],
    ] as const) {
        process.once(signal, () => {
            process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
            runAbortCleanups();
            process.exit(code); // runs the emulator helper's exit hook too
        });
    }
    process.on("exit", runAbortCleanups);
}

/** Kills a process and, when it leads its own group, the whole group. */
export function killTree(pid: number | undefined, group: boolean): void {
    if (!pid) return;
    try {
        process.kill(group ? -pid : pid, "SIGKILL");
    } catch {
        /* already gone */
    }
}
