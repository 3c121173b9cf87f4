import type { CognitoAuthArgs, PasswordPolicy, TokenValidity, UserSpec } from "./cognitoAuth";
import { userPoolIdProblem } from "../providers/rules";

// The one table of the component's arguments, which are also the stack's `cognito-auth:` config
// keys: for each, how config stores it, what a valid value is, whether it applies only to a pool
// this stack creates, and for object-valued ones, the table of their keys. The config reader
// (index.ts) takes its list of known keys and how to read each from here; `validateArgs` checks
// every value, and every nested key, against it. Pure: no Pulumi, no I/O.

/** What is wrong with a value, as messages without the key (the caller prefixes it); [] when valid. */
export type Check = (value: unknown) => string[];

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

/** Every setting, in the order the README lists them. */
export const settings: { readonly [K in keyof CognitoAuthArgs]-?: Setting } = {
    userPoolId: {
        read: "string",
        check: (value) => {
            const problem = userPoolIdProblem(value);
            return problem ? [problem] : [];
        },
    },
    userPoolName: { read: "string", check: aString, ownedPoolOnly: true },
    clientName: { read: "string", check: aString, ownedPoolOnly: true },
    identityPoolName: { read: "string", check: aString, ownedPoolOnly: true },
    allowUnauthenticatedIdentities: { read: "boolean", check: trueOrFalse, ownedPoolOnly: true },
    users: { read: "json", check: mapOf("username to { email, attributes, enabled, groups }"), fields: userSpecFields },
    passwords: { read: "secret", check: mapOf("username to password") },
    mfa: { read: "string", check: oneOf("an MFA mode", mfaModes), ownedPoolOnly: true },
    passwordPolicy: { read: "json", check: mapOf('policy keys to values, such as { "minimumLength": 12 }'), fields: passwordPolicyFields },
    deletionProtection: { read: "boolean", check: trueOrFalse, ownedPoolOnly: true },
    generateClientSecret: { read: "boolean", check: trueOrFalse, ownedPoolOnly: true },
    tokenValidity: {
        read: "json",
        check: mapOf('token kinds to lifetimes, such as { "accessTokenMinutes": 60 }'),
        fields: tokenValidityFields,
        ownedPoolOnly: true,
    },
    customAttributes: {
        read: "json",
        check: listOf("attribute names", (name) =>
            /^[A-Za-z0-9_-]{1,20}$/.test(name)
                ? undefined
                : `${JSON.stringify(name)} must be 1-20 letters, digits, "_" or "-" (without the "custom:" prefix)`,
        ),
        ownedPoolOnly: true,
    },
    authenticatedPolicyArns: { read: "json", check: listOf("IAM policy ARNs", policyArn), ownedPoolOnly: true },
    unauthenticatedPolicyArns: { read: "json", check: listOf("IAM policy ARNs", policyArn), ownedPoolOnly: true },
    adoptExistingUsers: { read: "boolean", check: trueOrFalse },
};

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
