// The local Pulumi stack: its passphrase, the stack itself in the file backend under .local/state,
// its config file Pulumi.local.yaml (made on the first run from Pulumi.dev.yaml's users), a
// generated password for every user that has none, and the Pulumi CLI runs.

import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import { configPath } from "../../lib/shell";
import { localRegion } from "./cognito";
import { Redactor } from "./output";
import { LocalPaths, stackName } from "./paths";

// js-yaml is a dependency of @pulumi/pulumi (no types installed); only these two functions are used.
const yaml = require("js-yaml") as { load(text: string): unknown; dump(value: unknown, options?: { lineWidth?: number }): string };

export const project = "cognito-auth";

/** `--path` syntax for a key inside a map (lib/shell.ts: `passwords.alice`, `passwords["a.b"]`). */
export { configPath };

export interface RunResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    /** stdout and stderr together, as they arrived; not redacted (it may be parsed). */
    output: string;
    stdout: string;
}

export interface PulumiRunner {
    cli: string;
    env: Record<string, string>;
    /**
     * Runs `pulumi <args>` in the project folder. `input` goes to stdin (for secrets: never on the
     * command line). With `stream`, its output is also shown, line by line, redacted and indented.
     */
    run(args: string[], options?: { input?: string; stream?: boolean }): Promise<RunResult>;
    /** Like run, but throws (with the redacted output's tail) when the exit code is not 0. */
    ok(args: string[], options?: { input?: string; stream?: boolean }): Promise<RunResult>;
}

/**
 * A runner whose children are tracked in `children` (each in its own process group, so that
 * a Ctrl-C reaches only this tool, which forwards exactly one interrupt).
 */
export function pulumiRunner(
    cli: string,
    env: Record<string, string>,
    cwd: string,
    redactor: Redactor,
    children: Set<ChildProcess>,
): PulumiRunner {
    const run: PulumiRunner["run"] = (args, options = {}) =>
        new Promise((resolve, reject) => {
            const child = spawn(cli, [...args, "--non-interactive", "--color", "never"], {
                cwd,
                env,
                stdio: ["pipe", "pipe", "pipe"],
                detached: true,
            });
            children.add(child);
            let output = "",
                stdout = "";
            const out = redactor.lineWriter((t) => process.stdout.write(t));
            const err = redactor.lineWriter((t) => process.stdout.write(t));
            child.stdout!.on("data", (c: Buffer) => {
                output += c;
                stdout += c;
                if (options.stream) out.push(c);
            });
            child.stderr!.on("data", (c: Buffer) => {
                output += c;
                if (options.stream) err.push(c);
            });
            child.once("error", (e) => {
                children.delete(child);
                reject(new Error(`could not run ${cli}: ${e.message}`));
            });
            child.once("close", (code, signal) => {
                children.delete(child);
                out.end();
                err.end();
                resolve({ code, signal, output, stdout });
            });
            child.stdin!.on("error", () => {
                /* it may exit before reading stdin */
            });
            child.stdin!.end(options.input ?? "");
        });
    return {
        cli,
        env,
        run,
        async ok(args, options) {
            const result = await run(args, options);
            if (result.code !== 0) {
                const tail = options?.stream
                    ? ""
                    : `:\n${redactor.redact(
                          result.output
                              .trimEnd()
                              .split("\n")
                              .slice(-15)
                              .map((l) => `    ${l}`)
                              .join("\n"),
                      )}`;
                throw new Error(
                    `pulumi ${args
                        .filter((a) => !a.startsWith("--"))
                        .slice(0, 2)
                        .join(" ")} failed (${result.code ?? result.signal})${tail}`,
                );
            }
            return result;
        },
    };
}

/** The passphrase file: made once (random, mode 600), then reused. Fails if the stack config outlived it. */
export function ensurePassphrase(paths: LocalPaths): { created: boolean } {
    if (fs.existsSync(paths.passphrase)) return { created: false };
    if (fs.existsSync(paths.stackConfig)) {
        throw new Error(
            `${fileName(paths.stackConfig)} exists but its passphrase (.local/passphrase) is gone, so its secrets cannot be read. ` +
                "Start the local stack over with: npm run local -- --reset (this removes its users and passwords; copy any users you added first)",
        );
    }
    fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(paths.passphrase, crypto.randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    return { created: true };
}

/** Creates the local stack in the file backend when it is not there yet. */
export async function ensureStack(pulumi: PulumiRunner, paths: LocalPaths): Promise<{ created: boolean }> {
    fs.mkdirSync(paths.stateDir, { recursive: true });
    fs.mkdirSync(paths.homeDir, { recursive: true });
    const list = await pulumi.ok(["stack", "ls", "--json"]);
    const stacks = JSON.parse(list.stdout) as { name: string }[];
    if (stacks.some((s) => s.name === stackName || s.name.endsWith(`/${stackName}`))) return { created: false };
    await pulumi.ok(["stack", "init", stackName, "--secrets-provider", "passphrase"]);
    return { created: true };
}

export interface DevUsers {
    users: Record<string, unknown>;
    /** Users whose groups were left out (groups need the AWS provider plugin). */
    withoutGroups: string[];
}

/** The users of Pulumi.dev.yaml (only them: its other settings are for a pool the stack creates). */
export function devUsers(paths: LocalPaths): DevUsers {
    let doc: unknown;
    try {
        doc = yaml.load(fs.readFileSync(paths.devConfig, "utf8"));
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return { users: {}, withoutGroups: [] };
        throw new Error(`cannot read ${fileName(paths.devConfig)}: ${(err as Error).message}`);
    }
    const config = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
    let users = config[`${project}:users`] ?? {};
    if (typeof users === "string") users = JSON.parse(users); // set as one JSON text
    if (!isMap(users)) throw new Error(`${fileName(paths.devConfig)}: ${project}:users must be a map of username to settings`);
    const copied: Record<string, unknown> = {};
    const withoutGroups: string[] = [];
    for (const [name, spec] of Object.entries(users)) {
        if (isMap(spec) && "groups" in spec) {
            const { groups: _groups, ...rest } = spec;
            copied[name] = rest;
            withoutGroups.push(name);
        } else {
            copied[name] = spec;
        }
    }
    return { users: copied, withoutGroups };
}

/**
 * The first run's stack config: region `local`, the pool id, the dev users, and the pool's
 * password policy (so previews check passwords against it). Written into the file
 * `pulumi stack init` made (which holds the encryption salt).
 */
export function writeFirstConfig(paths: LocalPaths, userPoolId: string, users: Record<string, unknown>): void {
    // Absent when the stack outlived its config file: the CLI then takes the salt from the state.
    const text = fs.existsSync(paths.stackConfig) ? fs.readFileSync(paths.stackConfig, "utf8") : "";
    const doc = (yaml.load(text) ?? {}) as { config?: Record<string, unknown> };
    doc.config = {
        ...doc.config,
        "aws:region": localRegion,
        [`${project}:userPoolId`]: userPoolId,
        [`${project}:passwordPolicy`]: { minimumLength: 12 },
        [`${project}:users`]: users,
        // The local pool is this tool's: a user in it under a configured name is the local stack's own
        // (e.g. made by a run that was killed before recording it), so it is taken over, not refused.
        [`${project}:adoptExistingUsers`]: true,
    };
    const header =
        "# The local stack of `npm run local` (git-ignored). Edit it with `pulumi config ... -s local`\n" +
        "# and the environment that `npm run local` prints; run `npm run local` again to apply.\n";
    fs.writeFileSync(paths.stackConfig, header + yaml.dump(doc, { lineWidth: 200 }));
}

export interface LocalConfig {
    region?: string;
    userPoolId?: string;
    /** The app client a user with mfa TOTP signs in through to be enrolled; set only when one has it. */
    userPoolClientId?: string;
    /** "true"/"false" as set, or undefined. */
    adoptExistingUsers?: string;
    users: Record<string, Record<string, unknown>>;
    /** Plain text, in memory only: for the sign-in and for redaction. */
    passwords: Record<string, string>;
}

/** The stack's config, secrets decrypted (`pulumi config --show-secrets --json`). */
export async function readConfig(pulumi: PulumiRunner): Promise<LocalConfig> {
    const result = await pulumi.ok(["config", "--show-secrets", "--json", "-s", stackName]);
    const raw = JSON.parse(result.stdout) as Record<string, { value?: string; objectValue?: unknown }>;
    const object = (key: string): Record<string, unknown> => {
        const entry = raw[key];
        if (!entry) return {};
        let value = entry.objectValue;
        if (value === undefined && entry.value !== undefined) {
            try {
                value = JSON.parse(entry.value);
            } catch {
                value = undefined;
            }
        }
        if (!isMap(value))
            throw new Error(
                `${key} in ${stackName} stack config must be a map (see \`pulumi config get ${key.split(":")[1]} -s ${stackName}\`)`,
            );
        return value;
    };
    const users = object(`${project}:users`) as Record<string, Record<string, unknown>>;
    const passwords: Record<string, string> = {};
    for (const [name, value] of Object.entries(object(`${project}:passwords`))) {
        if (typeof value === "string") passwords[name] = value;
    }
    return {
        region: raw["aws:region"]?.value,
        userPoolId: raw[`${project}:userPoolId`]?.value,
        userPoolClientId: raw[`${project}:userPoolClientId`]?.value,
        adoptExistingUsers: raw[`${project}:adoptExistingUsers`]?.value,
        users,
        passwords,
    };
}

/** Stores a password encrypted in the stack config; the value goes through stdin, never argv. */
export async function setPassword(pulumi: PulumiRunner, user: string, password: string): Promise<void> {
    await pulumi.ok(["config", "set", "--secret", "--path", configPath("passwords", user), "-s", stackName], { input: password });
}

const lower = "abcdefghijkmnopqrstuvwxyz";
const upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const digits = "23456789";
// Symbols Cognito counts, minus those awkward to paste into a shell or a YAML/JSON file.
const symbols = "#%+-.=@^_~";

/**
 * A random password of `length` characters with at least one lowercase and one uppercase letter,
 * one digit and one symbol: meets the product's default policy (and Cognito's) whatever the length >= 12.
 */
export function generatePassword(length = 20): string {
    if (length < 12) throw new Error("generated passwords have at least 12 characters");
    const all = lower + upper + digits + symbols;
    const chars = [lower, upper, digits, symbols].map((set) => set[crypto.randomInt(set.length)]);
    while (chars.length < length) chars.push(all[crypto.randomInt(all.length)]);
    for (let i = chars.length - 1; i > 0; i--) {
        const j = crypto.randomInt(i + 1);
        [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    return chars.join("");
}

/** Whether a user is disabled in config (`enabled: false`, or the text "false"). */
export function disabledInConfig(spec: unknown): boolean {
    return isMap(spec) && (spec.enabled === false || spec.enabled === "false");
}

/** Users that name groups: groups are aws.cognito.UserGroup resources, which need the AWS provider plugin. */
export function usersWithGroups(users: Record<string, unknown>): string[] {
    return Object.entries(users)
        .filter(([, spec]) => isMap(spec) && Array.isArray(spec.groups) && spec.groups.length > 0)
        .map(([name]) => name);
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fileName(file: string): string {
    return file.split(/[\\/]/).pop()!;
}
