import * as pulumi from "@pulumi/pulumi";
import { CognitoAuth, CognitoAuthArgs, UserSpec, defaultPasswordPolicy, validateArgs } from "./components/cognitoAuth";
import { passwordProblems } from "./providers/rules";

// Reads the stack config (README: "Configuration"), validates all of it before any resource is
// declared, builds the CognitoAuth component and exports its ids. Never exports a password.

const project = pulumi.getProject();
const config = new pulumi.Config(project);

/** Every key this program reads, so a typo in a key name is an error rather than a silent default. */
const knownKeys = [
    "userPoolName", "clientName", "identityPoolName", "allowUnauthenticatedIdentities", "mfa", "passwordPolicy",
    "deletionProtection", "generateClientSecret", "tokenValidity", "customAttributes", "authenticatedPolicyArns",
    "unauthenticatedPolicyArns", "users", "passwords", "adoptExistingUsers",
];

function readArgs(): { args: CognitoAuthArgs; problems: string[] } {
    const problems: string[] = [];
    for (const key of Object.keys(pulumi.runtime.allConfig())) {
        const [namespace, name] = key.split(":");
        if (namespace === project && !knownKeys.includes(name)) {
            problems.push(`${key}: unknown setting; known settings are ${knownKeys.join(", ")}`);
        }
    }
    const object = <T>(key: string, check: (value: unknown) => boolean, shape: string): T | undefined => {
        const value = config.getObject<unknown>(key);
        if (value === undefined || check(value)) return value as T | undefined;
        problems.push(`${project}:${key}: must be ${shape}`);
        return undefined;
    };
    const isMap = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    const isStringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === "string");

    const users = object<Record<string, UserSpec>>("users", isMap, "a map of username to { email, attributes, enabled, groups }") ?? {};
    const passwords = readPasswords(problems);
    const userPoolName = config.get("userPoolName") ?? `${project}-${pulumi.getStack()}`;
    const args: CognitoAuthArgs = {
        userPoolName,
        clientName: config.get("clientName"),
        identityPoolName: config.get("identityPoolName"),
        allowUnauthenticatedIdentities: config.getBoolean("allowUnauthenticatedIdentities") ?? false,
        mfa: config.get("mfa") as CognitoAuthArgs["mfa"],
        passwordPolicy: object("passwordPolicy", isMap, "an object such as { \"minimumLength\": 12 }"),
        deletionProtection: config.getBoolean("deletionProtection"),
        generateClientSecret: config.getBoolean("generateClientSecret"),
        tokenValidity: object("tokenValidity", isMap, "an object such as { \"accessTokenMinutes\": 60 }"),
        customAttributes: object("customAttributes", isStringList, "a list of attribute names"),
        authenticatedPolicyArns: object("authenticatedPolicyArns", isStringList, "a list of IAM policy ARNs"),
        unauthenticatedPolicyArns: object("unauthenticatedPolicyArns", isStringList, "a list of IAM policy ARNs"),
        users,
        // Each password travels as a Pulumi secret from here on.
        passwords: Object.fromEntries(Object.entries(passwords).map(([name, password]) => [name, pulumi.secret(password)])),
        adoptExistingUsers: config.getBoolean("adoptExistingUsers") ?? false,
    };
    // Check each password against the pool's policy now, so `pulumi preview` fails before any change.
    const rules = { ...defaultPasswordPolicy, ...args.passwordPolicy };
    for (const [name, password] of Object.entries(passwords)) {
        if (name in users) passwordProblems(password, rules).forEach((p) => problems.push(`passwords.${name}: ${p}`));
    }
    problems.push(...validateArgs(args));
    return { args, problems };
}

/** The plaintext passwords, only for validation here; they must have been stored with --secret. */
function readPasswords(problems: string[]): Record<string, string> {
    const key = `${project}:passwords`;
    const raw = pulumi.runtime.getConfig(key);
    if (raw === undefined) return {};
    // Parsed here rather than with config.getObject, whose error for bad JSON quotes the value.
    let passwords: unknown;
    try {
        passwords = JSON.parse(raw);
    } catch {
        passwords = undefined;
    }
    // The engine tells the program which keys are secret (the SDK keeps that list internally);
    // refuse passwords stored in plain text. Without the list (an older CLI), this check is skipped.
    const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { config: Record<string, string | undefined> } };
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
    if (getStore().config["PULUMI_CONFIG_SECRET_KEYS"] && !isConfigSecret(key)) {
        problems.push(`${key}: is stored in plain text; remove it and set each password with pulumi config set --secret --path 'passwords.<username>' '<password>'`);
    }
    if (typeof passwords !== "object" || passwords === null || Array.isArray(passwords)) {
        problems.push(`${key}: must be a map of username to password`);
        return {};
    }
    const result: Record<string, string> = {};
    for (const [name, password] of Object.entries(passwords)) {
        if (typeof password === "string") result[name] = password;
        else problems.push(`passwords.${name}: must be a string, not a ${typeof password}; set it again with --type string`);
    }
    return result;
}

const { args, problems } = readArgs();
if (problems.length > 0) {
    throw new Error(`Invalid stack configuration for ${project}/${pulumi.getStack()}:\n  - ${problems.join("\n  - ")}`);
}
// The component's (and so every child's) logical name is fixed: renaming the pool in config must
// not give every resource a new URN, which would replace the identity pool, roles and users too.
const auth = new CognitoAuth(project, args);

export const region = auth.userPool.endpoint.apply((endpoint) => endpoint.split(".")[1]);
export const userPoolId = auth.userPool.id;
export const userPoolArn = auth.userPool.arn;
export const userPoolClientId = auth.userPoolClient.id;
export const identityPoolId = auth.identityPool.id;
export const authenticatedRoleArn = auth.authenticatedRole.arn;
export const unauthenticatedRoleArn = auth.unauthenticatedRole?.arn;
export const clientSecret = auth.clientSecret;
export const users = Object.fromEntries(Object.entries(auth.users).map(([name, user]) => [name, { sub: user.sub, status: user.status }]));
