import * as path from "path";
import { poolIdsVariable } from "./provider";

// How an engine test runs with the stand-in `aws` plugin (./provider.ts): the engine, with plugin
// downloads off, takes a `pulumi-resource-<name>` found on PATH before looking in PULUMI_HOME
// (ambient plugins), so this folder goes first on the PATH of the CLI's environment.

export { poolIdsVariable };

/** This folder, which holds the launcher `pulumi-resource-aws`. */
export const standInDir = __dirname;

/**
 * Environment entries for `createEngineProject(cli, env)`: a PATH with the stand-in first, then the
 * CLI's folder (as offlineEnv puts it) and the caller's PATH; and the user pool ids the stand-in
 * returns by pool name (so that users can be made in pools of cognito-local).
 */
export function standInEnv(cli: string, poolIds: Record<string, string> = {}): Record<string, string> {
    const dirs = [standInDir, ...(path.isAbsolute(cli) ? [path.dirname(cli)] : []), process.env.PATH ?? ""];
    return { PATH: dirs.join(path.delimiter), [poolIdsVariable]: JSON.stringify(poolIds) };
}
