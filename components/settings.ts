import type { CognitoAuthArgs, MfaMode, PasswordPolicy, TokenValidity, UserSpec } from "./cognitoAuth";
import { cognitoDefaultPasswordRules, userPoolIdProblem } from "../providers/rules";

// The one table of the component's arguments, which are also the stack's `cognito-auth:` config
// keys: for each, how config stores it, what a valid value is, whether it applies only to a pool
// this stack creates, and for object-valued ones, the table of their keys. The config reader
// (index.ts) takes its list of known keys and how to read each from here; `validateArgs` checks
// every value, and every nested key, against it. Each setting's default is stated here once: the
// component falls back to `defaults`, and the docs are checked against the table (the README's
// configuration table is written from it by `npm run docs`, scripts/configDocs.ts;
// test/configDocs.test.ts also compares the `@default` tags of CognitoAuthArgs). Pure: no Pulumi, no I/O.

/** What is wrong with a value, as messages without the key (the caller prefixes it); [] when valid. */
export type Check = (value: unknown) => string[];

/**
 * What a setting is when unset: a value the code falls back to (one of `defaults`), with, for the
 * password policy, the value that holds for an existing pool; or words for a default derived from
 * other settings. `defaultWords` below words it for the docs.
 */
export type Default = { value: unknown; existingPool?: unknown } | { words: string };

/** One key of an object-valued setting. */
export interface Field {
    /** What a valid value is. Unset: the shared user rules (providers/rules.ts) check it. */
    check?: Check;
    /** Applies only to a user pool this stack creates (not with `userPoolId`). */
    ownedPoolOnly?: boolean;
}

/** The keys of an object: exactly those of `T`, so the table cannot drift from the type. */
export type Fields<T> = { readonly [K in keyof T]-?: Field };

/** One top-level setting (component argument and `cognito-auth:` config key). */
export interface Setting extends Field {
    /**
     * How stack config stores it: `string` as is; `boolean` as "true"/"false"; `json` for objects
     * and lists (`--path` or JSON); `secret` is read apart (passwords: never quoted, must be secret).
     */
    read: "string" | "boolean" | "json" | "secret";
    /** For object-valued settings: the keys the object may hold. */
    fields?: Fields<any>;
    /** Its value when unset (README column "default", TSDoc `@default`). */
    default: Default;
    /** README column "type": what config holds, in words. */
    type: string;
    /** README column "meaning" (after "*created pool only*." when `ownedPoolOnly`). */
    meaning: string;
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export const aString: Check = (value) => (typeof value === "string" && value.length > 0 ? [] : ["must be a non-empty string"]);
export const trueOrFalse: Check = (value) => (typeof value === "boolean" ? [] : ["must be true or false"]);
export const wholeNumber =
    (min: number, max: number): Check =>
    (value) =>
        typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
            ? []
            : [`must be a whole number from ${min} to ${max}`];
export const oneOf =
    (what: string, values: readonly string[]): Check =>
    (value) =>
        typeof value === "string" && values.includes(value)
            ? []
            : [`${JSON.stringify(value)} is not ${what}; use one of ${values.join(", ")}`];
/** A list of strings, each checked by `item` (which names the item in its message). */
export const listOf =
    (what: string, item: (value: string) => string | undefined): Check =>
    (value) => {
        if (!Array.isArray(value) || !value.every((entry) => typeof entry === "string")) return [`must be a list of ${what}`];
        return value.map(item).filter((problem): problem is string => problem !== undefined);
    };
export const mapOf =
    (what: string): Check =>
    (value) =>
        isMap(value) ? [] : [`must be a map of ${what}`];

export const mfaModes = ["OFF", "OPTIONAL", "ON"] as const;

/** Freezes an object and everything in it, so a default shared by every caller cannot be changed by one. */
function frozen<T>(value: T): T {
    if (typeof value === "object" && value !== null) {
        Object.values(value).forEach(frozen);
        Object.freeze(value);
    }
    return value;
}

/**
 * The value of each setting with a fixed default, the one statement of it: the component falls
 * back to these, and the table below and so the docs show them.
 */
export const defaults = frozen({
    allowUnauthenticatedIdentities: false,
    users: {} as Record<string, UserSpec>,
    passwords: {} as Record<string, never>,
    mfa: "OPTIONAL" as MfaMode,
    passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 7,
    } as PasswordPolicy,
    deletionProtection: true,
    generateClientSecret: false,
    tokenValidity: { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 } as TokenValidity,
    customAttributes: [] as string[],
    authenticatedPolicyArns: [] as string[],
    unauthenticatedPolicyArns: [] as string[],
    adoptExistingUsers: false,
}) satisfies { [K in keyof CognitoAuthArgs]?: CognitoAuthArgs[K] };

/** The value of each key of a user (`users.<username>`) that has a default. */
export const userDefaults = frozen({
    attributes: {} as Record<string, string>,
    enabled: true,
    groups: [] as string[],
}) satisfies { [K in keyof UserSpec]?: UserSpec[K] };

/** The pool's password policy (`passwordPolicy`). Ranges are Cognito's. */
export const passwordPolicyFields: Fields<PasswordPolicy> = {
    minimumLength: { check: wholeNumber(6, 99) },
    requireLowercase: { check: trueOrFalse },
    requireUppercase: { check: trueOrFalse },
    requireNumbers: { check: trueOrFalse },
    requireSymbols: { check: trueOrFalse },
    temporaryPasswordValidityDays: { check: wholeNumber(0, 365), ownedPoolOnly: true },
};

/** The app client's token lifetimes (`tokenValidity`). */
export const tokenValidityFields: Fields<TokenValidity> = {
    accessTokenMinutes: { check: wholeNumber(5, 1440) },
    idTokenMinutes: { check: wholeNumber(5, 1440) },
    refreshTokenDays: { check: wholeNumber(1, 3650) },
};

/** A user (`users.<username>`). Values are checked by the shared user rules, as in the provider. */
export const userSpecFields: Fields<UserSpec> = {
    email: { check: aString },
    attributes: {},
    enabled: {},
    groups: {},
};

const policyArn = (arn: string) =>
    /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(arn) ? undefined : `${JSON.stringify(arn)} is not an IAM policy ARN`;

/** A value as the docs show it, in code style: `true`, `"OPTIONAL"`, `[]`, `{ minimumLength: 12, ... }`. */
export function shown(value: unknown): string {
    const literal = (item: unknown): string => {
        if (Array.isArray(item)) return item.length === 0 ? "[]" : `[${item.map(literal).join(", ")}]`;
        if (typeof item === "object" && item !== null) {
            const entries = Object.entries(item).map(([key, entry]) => `${key}: ${literal(entry)}`);
            return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
        }
        return JSON.stringify(item);
    };
    return `\`${literal(value)}\``;
}

/** How the docs mark a setting that applies only to a pool this stack creates. */
export const ownedPoolWords = "*created pool only*";

/** Every setting, in the order the README lists them. */
export const settings: { readonly [K in keyof CognitoAuthArgs]-?: Setting } = {
    userPoolId: {
        read: "string",
        check: (value) => {
            const problem = userPoolIdProblem(value);
            return problem ? [problem] : [];
        },
        default: { words: "unset: a pool is created" },
        type: "string `<region>_<id>`",
        meaning:
            "manage the users and groups of this existing pool, e.g. `us-east-1_AbC123xyz` (AWS's pattern `[\\w-]+_[0-9a-zA-Z]+`, at most 55 characters); creates no pool, client, identity pool or roles",
    },
    userPoolName: {
        read: "string",
        check: aString,
        ownedPoolOnly: true,
        default: { words: "`cognito-auth-<stack>` from stack config; the component's name otherwise" },
        type: "string",
        meaning:
            "User pool name. Changing it replaces the pool, and so every user (new `sub`s; passwords set again from config); " +
            "while `deletionProtection` is on, `pulumi preview` refuses it (see [Rename the user pool](#rename-the-user-pool) to do it on purpose). The identity pool and roles stay",
    },
    clientName: {
        read: "string",
        check: aString,
        ownedPoolOnly: true,
        default: { words: "`<userPoolName>-client`" },
        type: "string",
        meaning: "App client name",
    },
    identityPoolName: {
        read: "string",
        check: aString,
        ownedPoolOnly: true,
        default: { words: "`<project>-<stack>-identities` (from the stack, not from `userPoolName`)" },
        type: "string",
        meaning:
            "Identity pool name. Unset, the identity pool keeps the name it was created with (`ignoreChanges`), so renaming the user pool or upgrading never replaces it; " +
            "setting it to another name replaces the identity pool, and every identity id is lost",
    },
    allowUnauthenticatedIdentities: {
        read: "boolean",
        check: trueOrFalse,
        ownedPoolOnly: true,
        default: { value: defaults.allowUnauthenticatedIdentities },
        type: "bool",
        meaning: "Guest identities; creates the unauthenticated role and mapping only when true",
    },
    users: {
        read: "json",
        check: mapOf("username to { email, attributes, enabled, groups }"),
        fields: userSpecFields,
        default: { value: defaults.users },
        type: "map username -> `{ email?, attributes?, enabled?, groups? }`",
        meaning:
            'users (plain, visible in previews); no other key is accepted in a user. `email` also sets `email_verified: "true"` (override in `attributes`); ' +
            "`attributes` is a map of Cognito attribute name to string (`custom:<name>` for custom attributes: declared in `customAttributes` for a created pool, any well-formed name for an existing one), " +
            `default ${shown(userDefaults.attributes)}; \`enabled\` defaults to ${shown(userDefaults.enabled)}; \`groups\` (default ${shown(userDefaults.groups)}) are created in the pool`,
    },
    passwords: {
        read: "secret",
        check: mapOf("username to password"),
        default: { value: defaults.passwords },
        type: "**secret** map username -> password",
        meaning:
            "permanent passwords; every user needs one, and each must meet the password policy, differ from its username (ignoring case), and hold no line break, tab or other whitespace than an inner plain space (Cognito refuses line breaks). " +
            "Lengths count Unicode characters (code points), as AWS does: an emoji is one",
    },
    mfa: {
        read: "string",
        check: oneOf("an MFA mode", mfaModes),
        ownedPoolOnly: true,
        default: { value: defaults.mfa },
        type: mfaModes.map((mode) => `\`${mode}\``).join(" \\| "),
        meaning: "MFA mode; TOTP (authenticator apps) is available unless `OFF`. With `ON`, sign-in asks each user to enrol TOTP first",
    },
    passwordPolicy: {
        read: "json",
        check: mapOf('policy keys to values, such as { "minimumLength": 12 }'),
        fields: passwordPolicyFields,
        default: { value: defaults.passwordPolicy, existingPool: cognitoDefaultPasswordRules },
        type: `object: ${Object.keys(passwordPolicyFields)
            .map((key) => `\`${key}\``)
            .join(", ")}`,
        meaning:
            `unset fields keep their default; \`minimumLength\` 6-99, \`temporaryPasswordValidityDays\` 0-365 (${ownedPoolWords}). ` +
            "For a created pool it is the pool's policy; with `userPoolId` it describes the existing pool's policy, so previews check passwords against it",
    },
    deletionProtection: {
        read: "boolean",
        check: trueOrFalse,
        ownedPoolOnly: true,
        default: { value: defaults.deletionProtection },
        type: "bool",
        meaning:
            "AWS's deletion protection on the user pool, and Pulumi's `protect` on the user pool and the identity pool: `pulumi preview` fails on any change that would replace or delete them. " +
            "Set `false` and run `pulumi up` before `pulumi destroy` or a change that replaces them on purpose",
    },
    generateClientSecret: {
        read: "boolean",
        check: trueOrFalse,
        ownedPoolOnly: true,
        default: { value: defaults.generateClientSecret },
        type: "bool",
        meaning: "Give the app client a secret; exported as the secret output `clientSecret`. Clients must then send SECRET_HASH",
    },
    tokenValidity: {
        read: "json",
        check: mapOf('token kinds to lifetimes, such as { "accessTokenMinutes": 60 }'),
        fields: tokenValidityFields,
        ownedPoolOnly: true,
        default: { value: defaults.tokenValidity },
        type: `object: ${Object.keys(tokenValidityFields)
            .map((key) => `\`${key}\``)
            .join(", ")}`,
        meaning: "Token lifetimes (access/ID 5-1440 minutes, refresh 1-3650 days)",
    },
    customAttributes: {
        read: "json",
        check: listOf("attribute names", (name) =>
            /^[A-Za-z0-9_-]{1,20}$/.test(name)
                ? undefined
                : `${JSON.stringify(name)} must be 1-20 letters, digits, "_" or "-" (without the "custom:" prefix)`,
        ),
        ownedPoolOnly: true,
        default: { value: defaults.customAttributes },
        type: "list of names",
        meaning:
            "Custom string attributes (mutable) declared in the pool schema, without `custom:`. Cognito cannot remove schema attributes later",
    },
    authenticatedPolicyArns: {
        read: "json",
        check: listOf("IAM policy ARNs", policyArn),
        ownedPoolOnly: true,
        default: { value: defaults.authenticatedPolicyArns },
        type: "list of ARNs",
        meaning: "Managed policies attached to the authenticated role (none: the role has no permissions)",
    },
    unauthenticatedPolicyArns: {
        read: "json",
        check: listOf("IAM policy ARNs", policyArn),
        ownedPoolOnly: true,
        default: { value: defaults.unauthenticatedPolicyArns },
        type: "list of ARNs",
        meaning: "Managed policies attached to the unauthenticated role (needs guests allowed)",
    },
    adoptExistingUsers: {
        read: "boolean",
        check: trueOrFalse,
        default: { value: defaults.adoptExistingUsers },
        type: "bool",
        meaning:
            'manage users that already exist in the pool (made by hand, or left by an interrupted run) instead of failing with "already exists"',
    },
};

/** A setting's default as the docs show it: the README's "default" column and the TSDoc `@default` tag. */
export function defaultWords(setting: Setting): string {
    const given = setting.default;
    if ("words" in given) return given.words;
    if (given.existingPool === undefined) return shown(given.value);
    return `created pool: ${shown(given.value)}; existing pool: Cognito's default, ${shown(given.existingPool)}`;
}

/** True when `key` is an own key of `object` (never one inherited from Object.prototype, such as "constructor"). */
export function hasKey(object: object, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * Problems with the keys of an object-valued setting at `path` (e.g. `passwordPolicy`): each
 * unknown key (naming it and listing the known ones), each value its field's check refuses, and,
 * for an existing pool, each key that applies only to a pool this stack creates. `say(path, problem)`
 * receives each; `ownedOnly(path)` words the existing-pool refusal.
 */
export function fieldProblems(
    path: string,
    value: Record<string, unknown>,
    fields: Fields<any>,
    existingPool: boolean,
    say: (path: string, problem: string) => void,
    ownedOnly: (path: string) => string,
): void {
    for (const [key, item] of Object.entries(value)) {
        const where = `${path}.${key}`;
        if (!hasKey(fields, key)) {
            say(where, `unknown setting; known: ${Object.keys(fields).join(", ")}`);
            continue;
        }
        const field: Field = fields[key];
        if (item === undefined) continue;
        if (existingPool && field.ownedPoolOnly) say(where, ownedOnly(where));
        else field.check?.(item).forEach((problem) => say(where, problem));
    }
}
