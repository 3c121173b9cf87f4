// The start of a run after a killed one: what it left running is stopped, the lock its pulumi
// left on the local stack removed (see leftovers.ts for how each is found and proved).

import { Stop, stackCommand } from "./failures";
import { describe, findLeftovers, lockHolderRunning, stackLocks, stopLeftovers } from "./leftovers";
import { Lock } from "./lock";
import { say } from "./output";
import { LocalPaths, stackName } from "./paths";
import { PulumiRunner } from "./stack";

/** Stops what killed runs left running (only processes they provably started); says what it did. */
export async function clearLeftovers(paths: LocalPaths, lock: Lock): Promise<void> {
    const stale = lock.stale;
    const killed = stale
        ? `an earlier npm run local was killed (pid ${stale.pid}${stale.startedAt ? `, started ${stale.startedAt}` : ""})`
        : "";
    const leftovers = findLeftovers(paths, stale, lock.record.token);
    if (leftovers.length === 0) {
        if (stale) say(`${killed}; nothing it started is still running`);
        return;
    }
    const what = leftovers.map((l) => `${describe(l)} (pid ${l.pid})`).join(", ");
    say(`${killed || "an earlier npm run local was killed"}: stopping what it left running: ${what}`);
    const stuck = await stopLeftovers(leftovers);
    if (stuck.length > 0) {
        throw new Stop(
            `could not stop ${stuck.map((l) => `pid ${l.pid}`).join(", ")}, left by a killed run (not allowed to signal it?): ` +
                `stop it with: kill -9 ${stuck.map((l) => l.pid).join(" ")}; then run npm run local again`,
        );
    }
}

/**
 * The file backend's lock on the local stack, left by a pulumi that was killed (its process is
 * gone): removed with `pulumi cancel`. A lock whose pulumi still runs (started by hand?) is respected.
 */
export async function clearStaleStackLock(pulumi: PulumiRunner, paths: LocalPaths, cli: string): Promise<string | undefined> {
    const locks = stackLocks(paths);
    if (locks.length === 0) return undefined;
    const live = locks.filter(lockHolderRunning);
    if (live.length > 0) {
        const pids = live.map((l) => l.pid).join(" ");
        throw new Stop(
            `the local stack is locked by a pulumi command that is still running (pid ${live.map((l) => `${l.pid} on ${l.hostname ?? "?"}`).join(", ")}): ` +
                `let it finish or stop it (kill ${pids}), then run npm run local again. If no such command runs, remove the lock with: ` +
                stackCommand(cli, paths, ["cancel", "--yes", "-s", stackName]),
        );
    }
    await pulumi.ok(["cancel", "--yes", "-s", stackName]);
    const pids = locks.map((l) => l.pid).filter((p) => p !== undefined);
    return `removed the lock on the local stack left by a pulumi that was killed${pids.length ? ` (pid ${pids.join(", ")})` : ""}`;
}

/**
 * Creates a killed pulumi left pending in the state (it recorded that it began them, never that
 * they ended): dropped with `pulumi refresh --clear-pending-creates`, as the README's "After an
 * interrupted pulumi up" says; `pulumi up` keeps them otherwise, warning on every later run. A
 * user such a create made is then taken over by `pulumi up` (adoptExistingUsers).
 */
export async function clearPendingCreates(pulumi: PulumiRunner): Promise<string | undefined> {
    const exported = await pulumi.ok(["stack", "export", "-s", stackName]);
    const deployment = (JSON.parse(exported.stdout) as { deployment?: { pending_operations?: PendingOperation[] } }).deployment;
    const creates = (deployment?.pending_operations ?? []).filter((op) => op.type === "creating");
    if (creates.length === 0) return undefined;
    await pulumi.ok(["refresh", "--clear-pending-creates", "--yes", "--skip-preview", "--suppress-progress", "-s", stackName]);
    const names = creates.map((op) => op.resource?.urn?.split("::").pop() ?? "?");
    return `dropped ${creates.length} unfinished create(s) a killed pulumi left in the state (${names.join(", ")}) with pulumi refresh --clear-pending-creates`;
}

interface PendingOperation {
    type?: string;
    resource?: { urn?: string };
}
