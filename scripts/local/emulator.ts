// cognito-local, the Cognito user-pool emulator, for `npm run local`: on 127.0.0.1:<port> with its
// data in .local/cognito/.cognito (kept between runs) and its log in .local/cognito.log. Started by
// the one launcher (harness/emulator.ts); what is particular to this tool is here.

import * as fs from "fs";
import { Emulator, launchEmulator } from "../../harness/emulator";
import { host } from "../../harness/ports";
import { LocalPaths } from "./paths";
import { commandLine, isAlive } from "./processes";

export type { Emulator };

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

/** Starts the emulator; `track` gets it as soon as it is spawned (so a Ctrl-C while it starts can stop it). */
export function startEmulator(
    paths: LocalPaths,
    port: number,
    track?: (emulator: Emulator) => void,
    onNote?: (note: string) => void,
): Promise<Emulator> {
    return launchEmulator({
        dir: paths.cognitoDir,
        port,
        log: paths.cognitoLog,
        pidFile: paths.cognitoPid,
        // A Ctrl-C reaches only this tool, which then stops the emulator itself, after `pulumi` has finished cancelling.
        ownGroup: true,
        track,
        onNote,
        startOver: "npm run local -- --reset",
    });
}
