import { userPoolIdProblem, userPoolRegion } from "../providers/rules";
import { hasKey, isMap, keyedMap } from "../lib/maps";
import { configPath, setSecretAdvice, setSecretCommand } from "../lib/shell";
import type { StoredSecrets } from "../lib/stackSecrets";
import { settings } from "./settings";
import type { StackSettings } from "./types";
import { validateArgs } from "./validation";

// The stack-config reader: from the config values the program received and what the engine and
// the stack file say is secret, the settings (README: "Configuration") and every problem with them,
// all at once. Pure: index.ts gathers its inputs from the Pulumi runtime and the stack file, and
// tests call it with plain tables. How each key is stored and what a valid value is: ./settings.ts.

/** What the reader needs to know of the stack. */
export interface StackConfigInput {
    project: string;
    stack: string;
    /** Every config value the program received, by full key (`cognito-auth:users`, `aws:region`), as text. */
    config: Record<string, string>;
    /** Whether the engine marked `key` secret; undefined when it does not say (an older CLI). */
    isSecret(key: string): boolean | undefined;
    /**
     * The stack file's `passwords` leaf by leaf (lib/stackSecrets.ts), where a password stored in
     * plain text shows, or why it could not be read (an error code, never the reader's message).
     */
    storedPasswords?: StoredSecrets | { unreadable: string };
}

/** What the reader found. */
export interface StackConfig {
    /** The settings, without `passwords` (see `plainPasswords`); the default pool name filled in for a created pool. */
    settings: Omit<StackSettings, "passwords">;
    /** The passwords in plaintext, to be made Pulumi secrets and to go nowhere else. */
    plainPasswords: Record<string, string>;
    /** Each problem, naming the key and the rule; the stack must not run while there is one. */
    problems: string[];
    /** What is worth saying but does not stop the stack. */
    warnings: string[];
}

/** Reads and checks the stack's `cognito-auth:` settings; see `StackConfig`. */
export function readStackConfig(input: StackConfigInput): StackConfig {
    const { project } = input;
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const key of Object.keys(input.config)) {
        const [namespace, name] = key.split(":");
        if (namespace === project && !hasKey(settings, name)) {
            problems.push(`${key}: unknown setting; known: ${Object.keys(settings).join(", ")}`);
        }
    }
    const values: Record<string, unknown> = {};
    let plainPasswords: Record<string, string> = keyedMap();
    for (const [key, setting] of Object.entries(settings)) {
        const raw = input.config[`${project}:${key}`];
        if (raw === undefined) continue;
        if (setting.read === "secret") plainPasswords = readPasswords(input, raw, problems, warnings);
        else if (setting.read === "string") values[key] = raw;
        // The CLI stores `pulumi config set key true` as the text "true"; anything else is left for the check to refuse.
        else if (setting.read === "boolean") values[key] = raw === "true" ? true : raw === "false" ? false : raw;
        else values[key] = parseJson(raw);
    }
    const found = values as Omit<StackSettings, "passwords">;
    if (found.userPoolId === undefined) found.userPoolName ??= `${project}-${input.stack}`;
    problems.push(...regionProblems(input, found.userPoolId));
    problems.push(...senderRegionProblems(input, found.emailSender));
    problems.push(...validateArgs({ ...found, passwords: plainPasswords }, { keyPrefix: `${project}:`, plainPasswords }));
    return { settings: found, plainPasswords, problems, warnings };
}

/** JSON for objects and lists; a value that is no JSON stays text, for the setting's check to refuse by its shape. */
function parseJson(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/**
 * With an existing pool, the user provider calls Cognito in the region of `aws:region`, and the
 * pool lives in the region its id starts with: they must be the same.
 */
function regionProblems(input: StackConfigInput, userPoolId: unknown): string[] {
    if (typeof userPoolId !== "string" || userPoolIdProblem(userPoolId)) return [];
    const poolRegion = userPoolRegion(userPoolId);
    const region = input.config["aws:region"];
    if (region === undefined) {
        return [
            `aws:region: not set; the users of ${input.project}:userPoolId are managed in aws:region: pulumi config set aws:region ${poolRegion}`,
        ];
    }
    if (region !== poolRegion) {
        return [
            `${input.project}:userPoolId: the pool is in ${poolRegion} (its id starts with its region), but aws:region is ${region}; set aws:region to ${poolRegion}, or name a pool in ${region}`,
        ];
    }
    return [];
}

/**
 * Cognito sends through an SES identity in the pool's region, or in one of the regions AWS lists as
 * alternates (us-east-1, us-west-2, eu-west-1: "Amazon SES email configuration regions"); any other
 * is refused at `pulumi up`, after other changes were made.
 */
function senderRegionProblems(input: StackConfigInput, sender: unknown): string[] {
    const arn = isMap(sender) && typeof sender.sourceArn === "string" ? sender.sourceArn : undefined;
    const sesRegion = arn?.split(":")[3];
    const region = input.config["aws:region"];
    if (!sesRegion || !region || sesRegion === region || ["us-east-1", "us-west-2", "eu-west-1"].includes(sesRegion)) return [];
    return [
        `${input.project}:emailSender.sourceArn: the SES identity is in ${sesRegion}, but the pool is in ${region} (aws:region); Cognito takes an identity in the pool's region, or in us-east-1, us-west-2 or eu-west-1 where AWS allows it for ${region}: verify one there`,
    ];
}

/** The plaintext passwords, only for validation and to become secrets; they must have been stored with --secret. */
function readPasswords(input: StackConfigInput, raw: string, problems: string[], warnings: string[]): Record<string, string> {
    const key = `${input.project}:passwords`;
    const result: Record<string, string> = keyedMap();
    // Parsed here rather than with config.getObject, whose error for bad JSON quotes the value.
    let passwords: unknown;
    try {
        passwords = JSON.parse(raw);
    } catch {
        // Not JSON: refused below as no map.
    }
    if (!isMap(passwords)) {
        if (input.isSecret(key) === false) {
            problems.push(
                `${key}: is stored in plain text; remove it with pulumi config rm passwords and set each password with ${setSecretCommand("passwords", "<username>")}`,
            );
        }
        problems.push(`${key}: must be a map of username to password`);
        return result;
    }
    for (const name of plainTextPasswords(input, key, passwords, warnings)) {
        problems.push(
            `${configPath(key, name)}: is stored in plain text; ${setSecretAdvice("passwords", name, "set it again as a secret")}`,
        );
    }
    for (const [name, password] of Object.entries(passwords)) {
        if (typeof password === "string") result[name] = password;
        else
            problems.push(
                // A secret is always stored as text (`--secret` takes no `--type`): only a plain value can be anything else.
                `${configPath(key, name)}: must be a string, not ${kindOf(password)}; ${setSecretAdvice("passwords", name, "set it again as a secret")}`,
            );
    }
    return result;
}

/** What a config value is, in the words of messages: "null", "a list", "a map", "a number", "a boolean". */
function kindOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    return isMap(value) ? "a map" : `a ${typeof value}`;
}

/**
 * The users whose password is stored in plain text, from two sources, as neither sees every case.
 * The engine's list of secret keys marks a key secret when any leaf in it is, so it catches only a
 * map without a single secret. The stack's config file says leaf by leaf; a plain leaf counts when
 * it holds the value the program received (with `--config-file` another file is in use).
 * An empty map holds no password, so nothing to refuse.
 */
function plainTextPasswords(input: StackConfigInput, key: string, passwords: Record<string, unknown>, warnings: string[]): string[] {
    const names = Object.keys(passwords);
    if (input.isSecret(key) === false) return names;
    const stored = input.storedPasswords;
    if (stored === undefined) return [];
    if ("unreadable" in stored) {
        warnings.push(
            `${key}: could not read the stack's config file to check that each password is stored as a secret (${stored.unreadable})`,
        );
        return [];
    }
    if (stored.kind !== "map") return [];
    return names.filter((name) => (stored.plain.get(name) ?? []).some((value) => typeof value !== "string" || value === passwords[name]));
}
