// The messages of a failed `npm run local`, and the ready-to-paste commands they suggest.

import * as path from "path";
import { shellQuote } from "../../lib/shell";
import { LocalPaths, stackName } from "./paths";
import { project, RunResult } from "./stack";

/** A failure with a message for the user (no stack trace). */
export class Stop extends Error {}

/** A ready-to-paste command for the CLI that was used (relative to where `npm run` was started). */
export function cliCommand(cli: string, args: string[]): string {
    const command = cli === "pulumi" ? "pulumi" : shellQuote(path.relative(process.env.INIT_CWD ?? process.cwd(), cli) || cli);
    return [command, ...args.map(shellQuote)].join(" ");
}

/** cliCommand with the local stack's environment in front: pasteable into a fresh shell. */
export function stackCommand(cli: string, paths: LocalPaths, args: string[]): string {
    return `PULUMI_BACKEND_URL=${shellQuote(`file://${paths.stateDir}`)} PULUMI_CONFIG_PASSPHRASE_FILE=${shellQuote(paths.passphrase)} ${cliCommand(cli, args)}`;
}

/** Why `pulumi up` failed, as far as its output says, and what to do. */
export function upFailure(up: RunResult, cli: string, paths: LocalPaths): string {
    const exit = `pulumi up failed (exit ${up.code ?? up.signal})`;
    const taken = [...up.output.matchAll(/Cognito user "([^"]+)" already exists/g)].map((m) => m[1]);
    if (taken.length > 0) {
        // Only when adoptExistingUsers was set to false on purpose: the run sets it to true otherwise.
        return (
            `${exit}: user(s) ${[...new Set(taken)].join(", ")} exist in cognito-local's pool but not in the local stack's state ` +
            "(an earlier run was killed after creating them), and adoptExistingUsers is false on the local stack. " +
            `They are the local stack's own: take them over with ${stackCommand(cli, paths, ["config", "set", `${project}:adoptExistingUsers`, "true", "-s", stackName])}, ` +
            "then run npm run local again"
        );
    }
    if (/the stack is currently locked/.test(up.output)) {
        return `${exit}: the local stack is locked by another pulumi command (see its output above); let it finish, then run npm run local again`;
    }
    return (
        `${exit}; its output above says why. If it names a setting of the local stack, change it with the commands in ` +
        'README, "Try it locally"; then run npm run local again'
    );
}
