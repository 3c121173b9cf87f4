// What a run of `npm run local` has started, for the signal handlers and the final cleanup: after
// Ctrl-C, SIGTERM, --once or an error nothing it started is left running.

import { ChildProcess } from "child_process";
import { Emulator } from "./emulator";
import { say } from "./output";
import { killTree } from "./processes";

export class Session {
    readonly pulumiChildren = new Set<ChildProcess>();
    emulator?: Emulator;
    interrupted?: NodeJS.Signals;
    private firstSignalAt = 0;
    private wake: (() => void)[] = [];

    /** Resolves at the first SIGINT/SIGTERM. */
    interruption(): Promise<void> {
        return this.interrupted ? Promise.resolve() : new Promise((resolve) => this.wake.push(resolve));
    }

    onSignal(signal: NodeJS.Signals): void {
        const now = Date.now();
        if (!this.interrupted) {
            this.interrupted = signal;
            this.firstSignalAt = now;
            process.stdout.write("\n");
            say(`${signal} received: stopping (press Ctrl-C again to stop at once)`);
            // `pulumi` cancels cleanly on one interrupt; it is in its own process group, so it gets only this one.
            for (const child of this.pulumiChildren) signalProcess(child.pid, "SIGINT");
            for (const wake of this.wake.splice(0)) wake();
            return;
        }
        // npm forwards the terminal's Ctrl-C to us as well: the same key press arrives twice.
        if (now - this.firstSignalAt < 1_000) return;
        say(`${signal} received again: stopping at once`);
        this.killEverything();
        process.exit(130);
    }

    /** Synchronous: SIGKILL to every process group we started. For a second Ctrl-C and process exit. */
    killEverything(): void {
        for (const child of this.pulumiChildren) killTree(child.pid);
        this.emulator?.killNow();
    }

    /** Waits for running pulumi commands (they were told to cancel), then stops the emulator. */
    async cleanUp(): Promise<void> {
        const deadline = Date.now() + 60_000;
        while (this.pulumiChildren.size > 0 && Date.now() < deadline) await sleep(100);
        for (const child of this.pulumiChildren) killTree(child.pid);
        if (this.emulator) {
            await this.emulator.stop();
            say("cognito-local stopped; its data is kept in .local/cognito");
        }
    }
}

function signalProcess(pid: number | undefined, signal: NodeJS.Signals): void {
    if (pid === undefined) return;
    try {
        process.kill(pid, signal);
    } catch {
        /* already gone */
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
