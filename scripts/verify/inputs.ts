import { execFile } from "child_process";
import * as fs from "fs";
import { GroupSetting } from "./roles";

// Input loading: the stack's outputs and config, through the Pulumi CLI or from JSON files, checked
// and reduced to what the checks need. Nothing here logs a value: outputs and config hold secrets.

const project = "cognito-auth";

/** One configured user. `password` is undefined when the config has none for this user. */
export interface UserToVerify {
    username: string;
    password?: string;
    /** `enabled` from config; a disabled user is expected to be refused at sign-in. */
    enabled: boolean;
    /** `groups` from config, read only when the stack has group roles (`groupRoleArns`). */
    groups?: string[];
    /** The user's TOTP secret (base32) from the `totpSecrets` output: the stack enrolled it, so verify answers its SOFTWARE_TOKEN_MFA challenge. */
    totpSecret?: string;
}

/** Everything the checks need, from the stack's outputs and config. */
export interface VerifyInputs {
    region: string;
    userPoolId: string;
    clientId: string;
    clientSecret?: string;
    identityPoolId: string;
    authenticatedRoleArn: string;
    unauthenticatedRoleArn?: string;
    /**
     * The `groupRoleArns` output: group -> IAM role ARN, for the groups that have a role. Undefined
     * when the stack has none; then every user is expected to get the authenticated role.
     */
    groupRoleArns?: Record<string, string>;
    /** `cognito-auth:groups` from config (the precedences), read only with `groupRoleArns`. */
    groups?: Record<string, GroupSetting>;
    users: UserToVerify[];
}

export interface LoadOptions {
    stack?: string;
    outputsFile?: string;
    configFile?: string;
    cwd?: string;
}

/** Runs the Pulumi CLI with the given arguments and returns its stdout (never logged). */
export type PulumiRunner = (args: string[], cwd?: string) => Promise<string>;

/** An error in the inputs or arguments (exit code 2), as opposed to a failed check (exit code 1). */
export class InputError extends Error {}

export const runPulumi: PulumiRunner = (args, cwd) =>
    new Promise((resolve, reject) => {
        execFile("pulumi", args, { cwd, maxBuffer: 64 * 1024 * 1024, env: process.env }, (err, stdout, stderr) => {
            if (!err) return resolve(stdout);
            // Only stderr and the command (no secret is on the command line): stdout may hold secrets.
            const why =
                (err as NodeJS.ErrnoException).code === "ENOENT"
                    ? "the pulumi CLI is not on PATH; install it, or pass --outputs and --config files"
                    : String(stderr).trim() || err.message.split("\n")[0];
            reject(new InputError(`pulumi ${args.filter((a) => a !== "--show-secrets").join(" ")} failed: ${why}`));
        });
    });

function readJsonFile(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new InputError(`cannot read the ${what} file ${file}: ${(err as Error).message}`);
    }
    return parseJson(text, `the ${what} file ${file}`);
}

function parseJson(text: string, what: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        // Not the parser's message: it can quote the text, which may hold secrets.
        throw new InputError(`${what} is not valid JSON`);
    }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A value of `pulumi config --json`: `{ value, objectValue?, secret }`, where `value` is the
 * string as stored (JSON text for objects) and `objectValue` the parsed object when there is one.
 */
export function configValue(config: Record<string, unknown>, key: string): unknown {
    const entry = config[key];
    if (entry === undefined) return undefined;
    if (!isObject(entry)) return entry; // a plain `{ key: value }` file
    if ("objectValue" in entry && entry.objectValue !== undefined) return entry.objectValue;
    if (!("value" in entry)) {
        if (entry.secret === true) {
            throw new InputError(`config ${key} is secret and its value is missing: read it with 'pulumi config --json --show-secrets'`);
        }
        return entry;
    }
    const value = entry.value;
    if (value === "[secret]") {
        throw new InputError(`config ${key} shows "[secret]": read it with 'pulumi config --json --show-secrets'`);
    }
    if (typeof value === "string" && /^\s*[[{]/.test(value)) return parseJson(value, `config ${key}`);
    return value;
}

function requiredString(outputs: Record<string, unknown>, key: string, optional = false): string | undefined {
    const value = outputs[key];
    if (value === undefined || value === null || value === "") {
        if (optional) return undefined;
        throw new InputError(`stack output ${key} is missing; is this the right stack, and has 'pulumi up' run?`);
    }
    if (value === "[secret]") {
        throw new InputError(`stack output ${key} shows "[secret]": read outputs with 'pulumi stack output --json --show-secrets'`);
    }
    if (typeof value !== "string") throw new InputError(`stack output ${key} must be a string`);
    return value;
}

/**
 * `users.<name>.enabled`: a boolean, or the text "true" / "false" (what `pulumi config get --path`
 * prints, and what a hand-written file may hold), read as Pulumi's own `Config.getBoolean` reads
 * text. Unset means enabled. Anything else ("no", 0, "False", null...) is refused with exit code 2
 * rather than guessed. (The program itself takes only booleans; providers/rules.ts.)
 */
function enabledSetting(username: string, spec: unknown): boolean {
    if (!isObject(spec) || spec.enabled === undefined) return true;
    const enabled = spec.enabled;
    if (enabled === true || enabled === "true") return true;
    if (enabled === false || enabled === "false") return false;
    throw new InputError(`config ${project}:users.${username}.enabled must be true or false, not ${JSON.stringify(enabled)}`);
}

/** An IAM role ARN: `arn:<partition>:iam::<account>:role/<path/>name`. */
const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[^/\s]+\/)*[^/\s]+$/;

/** The `groupRoleArns` output, or undefined when the stack has no group with a role. */
function groupRoleArnsOutput(outputs: Record<string, unknown>): Record<string, string> | undefined {
    const value = outputs.groupRoleArns;
    if (value === undefined || value === null) return undefined;
    if (value === "[secret]") {
        throw new InputError(`stack output groupRoleArns shows "[secret]": read outputs with 'pulumi stack output --json --show-secrets'`);
    }
    if (!isObject(value)) throw new InputError("stack output groupRoleArns must be a map of group name to IAM role ARN");
    for (const [group, arn] of Object.entries(value)) {
        if (typeof arn !== "string" || !roleArnPattern.test(arn)) {
            throw new InputError(
                `stack output groupRoleArns.${group} must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not ${JSON.stringify(arn)}`,
            );
        }
    }
    return Object.keys(value).length > 0 ? (value as Record<string, string>) : undefined;
}

/**
 * The `totpSecrets` output: username -> base32 TOTP secret, for the users whose TOTP the stack
 * enrolled; empty when there is none. A malformed entry is named by its key, never quoted.
 */
function totpSecretsOutput(outputs: Record<string, unknown>): Record<string, string> {
    const value = outputs.totpSecrets;
    if (value === undefined || value === null) return {};
    if (value === "[secret]") {
        throw new InputError(`stack output totpSecrets shows "[secret]": read outputs with 'pulumi stack output --json --show-secrets'`);
    }
    if (!isObject(value)) throw new InputError("stack output totpSecrets must be a map of username to TOTP secret");
    const secrets: Record<string, string> = {};
    for (const [username, secret] of Object.entries(value)) {
        const compact = typeof secret === "string" ? secret.replace(/\s+/g, "") : "";
        if (!/^[A-Za-z2-7]+=*$/.test(compact)) {
            throw new InputError(`stack output totpSecrets.${username} must be a TOTP secret (base32 text); its value is not shown`);
        }
        Object.defineProperty(secrets, username, { value: compact, enumerable: true });
    }
    return secrets;
}

const maxPrecedence = 2 ** 31 - 1;

/**
 * `cognito-auth:groups`: the precedence of each group (a whole number 0..2^31-1, or its decimal
 * text as `pulumi config get --path` prints it; unset is Cognito's null). Other settings of a group
 * do not change which role a user gets, so they are not read.
 */
function groupSettings(config: Record<string, unknown>): Record<string, GroupSetting> {
    const key = `${project}:groups`;
    const groups = configValue(config, key) ?? {};
    if (!isObject(groups)) throw new InputError(`config ${key} must be a map of group name to settings`);
    // fromEntries, not assignment: a group may be named "__proto__".
    return Object.fromEntries(
        Object.entries(groups).map(([group, spec]): [string, GroupSetting] => {
            if (spec === null || spec === undefined) return [group, {}];
            if (!isObject(spec)) {
                throw new InputError(`config ${key}.${group} must be a map of settings (description, precedence, policyArns, roleArn)`);
            }
            const raw = spec.precedence;
            if (raw === undefined || raw === null) return [group, {}];
            const precedence = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
            if (typeof precedence !== "number" || !Number.isInteger(precedence) || precedence < 0 || precedence > maxPrecedence) {
                throw new InputError(
                    `config ${key}.${group}.precedence must be a whole number from 0 to ${maxPrecedence}, not ${JSON.stringify(raw)}`,
                );
            }
            return [group, { precedence }];
        }),
    );
}

/** `users.<name>.groups`: a list of group names; unset is none. */
function userGroups(username: string, spec: unknown): string[] {
    if (!isObject(spec) || spec.groups === undefined || spec.groups === null) return [];
    const groups = spec.groups;
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === "string")) {
        throw new InputError(`config ${project}:users.${username}.groups must be a list of group names, not ${JSON.stringify(groups)}`);
    }
    return groups;
}

/** Reads and checks the stack's outputs and config, from files or through the Pulumi CLI. */
export async function loadInputs(options: LoadOptions, run: PulumiRunner = runPulumi): Promise<VerifyInputs> {
    const stackArgs = options.stack ? ["-s", options.stack] : [];
    const outputs = options.outputsFile
        ? readJsonFile(options.outputsFile, "outputs")
        : parseJson(
              await run(["stack", "output", "--json", "--show-secrets", ...stackArgs], options.cwd),
              "the output of pulumi stack output",
          );
    const config = options.configFile
        ? readJsonFile(options.configFile, "config")
        : parseJson(await run(["config", "--json", "--show-secrets", ...stackArgs], options.cwd), "the output of pulumi config");
    if (!isObject(outputs)) throw new InputError("the stack outputs must be a JSON object");
    if (!isObject(config)) throw new InputError("the stack config must be a JSON object");

    const userPoolId = requiredString(outputs, "userPoolId")!;
    const region =
        requiredString(outputs, "region", true) ?? (configValue(config, "aws:region") as string | undefined) ?? userPoolId.split("_")[0];
    const users = configValue(config, `${project}:users`) ?? {};
    const passwords = configValue(config, `${project}:passwords`) ?? {};
    if (!isObject(users)) throw new InputError(`config ${project}:users must be a map of username to settings`);
    if (!isObject(passwords)) throw new InputError(`config ${project}:passwords must be a map of username to password`);
    // Groups matter only when some group has a role: without one, every user gets the authenticated role.
    const groupRoleArns = groupRoleArnsOutput(outputs);
    const totpSecrets = totpSecretsOutput(outputs);
    return {
        region,
        userPoolId,
        clientId: requiredString(outputs, "userPoolClientId")!,
        clientSecret: requiredString(outputs, "clientSecret", true),
        identityPoolId: requiredString(outputs, "identityPoolId")!,
        authenticatedRoleArn: requiredString(outputs, "authenticatedRoleArn")!,
        unauthenticatedRoleArn: requiredString(outputs, "unauthenticatedRoleArn", true),
        ...(groupRoleArns ? { groupRoleArns, groups: groupSettings(config) } : {}),
        users: Object.entries(users).map(([username, spec]) => ({
            username,
            password: typeof passwords[username] === "string" ? (passwords[username] as string) : undefined,
            enabled: enabledSetting(username, spec),
            ...(groupRoleArns ? { groups: userGroups(username, spec) } : {}),
            ...(Object.hasOwn(totpSecrets, username) ? { totpSecret: totpSecrets[username] } : {}),
        })),
    };
}

/** The values output must never show: the client secret, every password and every TOTP secret. */
export function secretsOf(inputs: VerifyInputs): string[] {
    return [inputs.clientSecret, ...inputs.users.flatMap((u) => [u.password, u.totpSecret])].filter((s): s is string => !!s);
}
