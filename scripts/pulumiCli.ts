// Where the Pulumi CLI is, and the environment that runs it offline on a local file backend.
// Shared by scripts (npm run local) and, later, the tests: nothing here imports from test/.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const projectRoot = path.resolve(__dirname, "..");

/** The CLI that `npm run install:pulumi` builds (git-ignored). */
export function builtPulumi(root = projectRoot): string {
    return path.join(root, ".pulumi-cli", "bin", "pulumi");
}

/**
 * The Pulumi CLI to use: `pulumi` on PATH first, else the one built into .pulumi-cli/bin; or why
 * there is none. `cli` is "pulumi" (found on PATH) or an absolute path.
 */
export function findPulumi(root = projectRoot): { cli?: string; reason?: string } {
    // `pulumi version` writes a log file under PULUMI_HOME; keep this probe's out of ~/.pulumi.
    const probeEnv = { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_HOME: path.join(root, ".pulumi-cli", "home") };
    const onPath = spawnSync("pulumi", ["version"], { encoding: "utf8", env: probeEnv, timeout: 30_000 });
    if (onPath.status === 0) return { cli: "pulumi" };
    const built = builtPulumi(root);
    if (fs.existsSync(built)) {
        const probe = spawnSync(built, ["version"], { encoding: "utf8", env: probeEnv, timeout: 30_000 });
        if (probe.status === 0) return { cli: built };
        return {
            reason: `${path.relative(root, built)} does not run (${(probe.error?.message ?? probe.stderr ?? "").trim().split("\n")[0] || `exit ${probe.status}`}); delete .pulumi-cli/ and run \`npm run install:pulumi\` again`,
        };
    }
    return { reason: "no `pulumi` on PATH and none built in .pulumi-cli/bin (run `npm run install:pulumi`, which needs Go)" };
}

/** The version a CLI reports (e.g. "v3.274.1"), or undefined. */
export function pulumiVersion(cli: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    const result = spawnSync(cli, ["version"], { encoding: "utf8", env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 30_000 });
    return result.status === 0 ? result.stdout.trim() : undefined;
}

export interface OfflineOptions {
    /** Folder of the file backend (state). */
    stateDir: string;
    /** PULUMI_HOME: workspace settings, logs, plugins. */
    homeDir: string;
    /** A file holding the stack's passphrase (PULUMI_CONFIG_PASSPHRASE_FILE) ... */
    passphraseFile?: string;
    /** ... or the passphrase itself (PULUMI_CONFIG_PASSPHRASE). */
    passphrase?: string;
    /** Added last (e.g. the emulator's endpoint and credentials). */
    extra?: Record<string, string>;
    /** The environment to start from; default process.env. */
    base?: NodeJS.ProcessEnv;
}

/**
 * The environment for running `cli` offline: a file backend, its own PULUMI_HOME, passphrase
 * secrets, no update check and no plugin downloads. None of the caller's PULUMI_* variables
 * (a Pulumi Cloud token, another backend, another passphrase) leaks in. The CLI's folder goes
 * first on PATH, so the engine finds the language host and the dynamic-provider shim next to it.
 */
export function offlineEnv(cli: string, options: OfflineOptions): Record<string, string> {
    const base = Object.fromEntries(
        Object.entries(options.base ?? process.env).filter(([key, value]) => value !== undefined && !key.startsWith("PULUMI_")),
    ) as Record<string, string>;
    const env: Record<string, string> = {
        ...base,
        PULUMI_BACKEND_URL: `file://${options.stateDir}`,
        PULUMI_HOME: options.homeDir,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        NO_COLOR: "1",
    };
    if (path.isAbsolute(cli)) env.PATH = `${path.dirname(cli)}${path.delimiter}${base.PATH ?? ""}`;
    if (options.passphraseFile !== undefined) env.PULUMI_CONFIG_PASSPHRASE_FILE = options.passphraseFile;
    if (options.passphrase !== undefined) env.PULUMI_CONFIG_PASSPHRASE = options.passphrase;
    return { ...env, ...options.extra };
}
