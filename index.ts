import * as pulumi from "@pulumi/pulumi";
import { CognitoAuth, CognitoAuthArgs, keyedMap, usersOutput, validateArgs } from "./components/cognitoAuth";
import { hasKey, settings } from "./components/settings";
import { userPoolIdProblem, userPoolRegion } from "./providers/rules";
import { configKeyIsSecret } from "./lib/pulumiInternals";
import { configPath, setSecretAdvice, setSecretCommand } from "./lib/shell";
import { StoredSecrets, readStoredSecrets } from "./lib/stackSecrets";

// Reads the stack config (README: "Configuration"), validates all of it before any resource is
// declared, builds the CognitoAuth component and exports its ids. Never exports a password.
// Which keys exist, how each is stored and what a valid value is: the table in components/settings.ts.

const project = pulumi.getProject();
const config = new pulumi.Config(project);

function readArgs(): { args: CognitoAuthArgs; problems: string[]; plainPasswords: Record<string, string> } {
    const problems: string[] = [];
    for (const key of Object.keys(pulumi.runtime.allConfig())) {
        const [namespace, name] = key.split(":");
        if (namespace === project && !hasKey(settings, name)) {
            problems.push(`${key}: unknown setting; known: ${Object.keys(settings).join(", ")}`);
        }
    }
    const values: Record<string, unknown> = {};
    let plainPasswords: Record<string, string> | undefined;
    for (const [key, setting] of Object.entries(settings)) {
        if (setting.read === "secret") {
            plainPasswords = readPasswords(problems);
            continue;
        }
        const raw = config.get(key);
        if (raw === undefined) continue;
        if (setting.read === "string") values[key] = raw;
        // The CLI stores `pulumi config set key true` as the text "true"; anything else is left for the check to refuse.
        else if (setting.read === "boolean") values[key] = raw === "true" ? true : raw === "false" ? false : raw;
        else values[key] = parseJson(raw);
    }
    const args = values as CognitoAuthArgs;
    if (args.userPoolId === undefined) args.userPoolName ??= `${project}-${pulumi.getStack()}`;
    // Each password travels as a Pulumi secret from here on.
    if (plainPasswords) {
        args.passwords = keyedMap(Object.entries(plainPasswords).map(([name, password]) => [name, pulumi.secret(password)]));
    }
    problems.push(...regionProblems(args.userPoolId));
    return { args, problems, plainPasswords: plainPasswords ?? keyedMap() };
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
function regionProblems(userPoolId: unknown): string[] {
    if (typeof userPoolId !== "string" || userPoolIdProblem(userPoolId)) return [];
    const poolRegion = userPoolRegion(userPoolId);
    const region = new pulumi.Config("aws").get("region");
    if (region === undefined) {
        return [
            `aws:region: not set; the users of ${project}:userPoolId are managed in aws:region: pulumi config set aws:region ${poolRegion}`,
        ];
    }
    if (region !== poolRegion) {
        return [
            `${project}:userPoolId: the pool is in ${poolRegion} (its id starts with its region), but aws:region is ${region}; set aws:region to ${poolRegion}, or name a pool in ${region}`,
        ];
    }
    return [];
}

/** The plaintext passwords (undefined when unset), only for validation here; they must have been stored with --secret. */
function readPasswords(problems: string[]): Record<string, string> | undefined {
    const key = `${project}:passwords`;
    const result: Record<string, string> = keyedMap();
    const raw = pulumi.runtime.getConfig(key);
    if (raw === undefined) return undefined;
    // Parsed here rather than with config.getObject, whose error for bad JSON quotes the value.
    let passwords: unknown;
    try {
        passwords = JSON.parse(raw);
    } catch {
        passwords = undefined;
    }
    if (typeof passwords !== "object" || passwords === null || Array.isArray(passwords)) {
        if (configKeyIsSecret(key) === false) {
            problems.push(
                `${key}: is stored in plain text; remove it with pulumi config rm passwords and set each password with ${setSecretCommand("passwords", "<username>")}`,
            );
        }
        problems.push(`${key}: must be a map of username to password`);
        return result;
    }
    for (const name of plainTextPasswords(key, passwords as Record<string, unknown>)) {
        problems.push(
            `${configPath(key, name)}: is stored in plain text; ${setSecretAdvice("passwords", name, "set it again as a secret")}`,
        );
    }
    for (const [name, password] of Object.entries(passwords)) {
        if (typeof password === "string") result[name] = password;
        else
            problems.push(
                // A secret is always stored as text (`--secret` takes no `--type`): only a plain value can be anything else.
                `${configPath(key, name)}: must be a string, not ${password === null ? "null" : `a ${typeof password}`}; ${setSecretAdvice("passwords", name, "set it again as a secret")}`,
            );
    }
    return result;
}

/**
 * The users whose password is stored in plain text, from two sources, as neither sees every case.
 * The engine's list of secret keys marks a key secret when any leaf in it is, so it catches only a
 * map without a single secret. The stack's config file says leaf by leaf; a plain leaf counts when
 * it holds the value the program received (with `--config-file` another file is in use).
 * An empty map holds no password, so nothing to refuse.
 */
function plainTextPasswords(key: string, passwords: Record<string, unknown>): string[] {
    const names = Object.keys(passwords);
    if (configKeyIsSecret(key) === false) return names;
    let stored: StoredSecrets & { file?: string };
    try {
        stored = readStoredSecrets(pulumi.runtime.getRootDirectory() || process.cwd(), pulumi.getStack(), key);
    } catch (err) {
        // Never the reader's message: it may quote a line of the file, a password among them.
        const code = (err as NodeJS.ErrnoException)?.code;
        pulumi.log.warn(
            `${key}: could not read the stack's config file to check that each password is stored as a secret (${code ?? "not YAML this check can read"})`,
        );
        return [];
    }
    if (stored.kind !== "map") return [];
    return names.filter((name) => (stored.plain.get(name) ?? []).some((value) => typeof value !== "string" || value === passwords[name]));
}

const { args, problems, plainPasswords } = readArgs();
problems.push(...validateArgs(args, { keyPrefix: `${project}:`, plainPasswords }));
if (problems.length > 0) {
    throw new Error(`Invalid stack configuration for ${project}/${pulumi.getStack()}:\n  - ${problems.join("\n  - ")}`);
}
// The component's (and so every child's) logical name is fixed: renaming the pool in config must
// not give every resource a new URN, which would replace the identity pool, roles and users too.
const auth = new CognitoAuth(project, args);

/**
 * The stack outputs. Always `userPoolId`, `region` and `users` (username -> { sub, status }); for a
 * pool this stack creates also its ARN, the client, the identity pool and the roles. An output that
 * does not apply is absent, not undefined.
 */
const outputs: Record<string, pulumi.Input<unknown>> = {
    userPoolId: auth.userPoolId,
    region: auth.region,
    users: usersOutput(auth.users),
};
if (auth.userPool) {
    Object.assign(outputs, {
        userPoolArn: auth.userPool.arn,
        userPoolClientId: auth.userPoolClient!.id,
        identityPoolId: auth.identityPool!.id,
        authenticatedRoleArn: auth.authenticatedRole!.arn,
        ...(auth.unauthenticatedRole ? { unauthenticatedRoleArn: auth.unauthenticatedRole.arn } : {}),
        ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
    });
}
export = outputs;
