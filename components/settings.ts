import type {
    EmailSender,
    FeaturePlan,
    GroupSpec,
    MfaMode,
    PasswordPolicy,
    SignInFactor,
    StackSettings,
    ThreatProtectionMode,
    TokenValidity,
    UserSpec,
    WebAuthnSettings,
} from "./types";
import { PasswordRules, cognitoDefaultPasswordRules, groupNameProblem, userPoolIdProblem } from "../providers/rules";
import { isMap } from "../lib/maps";

// The one table of the stack's settings (the `cognito-auth:` config keys, which are also the
// components' arguments): for each, how config stores it, what a valid value is, whether it applies
// only to a pool this stack creates, and for object-valued ones, the table of their keys; and the
// default of each setting that has a fixed one. Rules and defaults only: what each setting means is
// its TSDoc in ./types.ts, from which `npm run docs` writes the README table. Pure: no Pulumi, no I/O.

/** What is wrong with a value, as messages without the key (the caller prefixes it); [] when valid. */
export type Check = (value: unknown) => string[];

/** One key of an object-valued setting. */
export interface Field {
    /** What a valid value is. Unset: the shared user rules (providers/rules.ts) check it. */
    check?: Check;
    /** Applies only to a user pool this stack creates (not with `userPoolId`). */
    ownedPoolOnly?: boolean;
    /** For a component: which one takes it instead, when it is refused as a created pool's. @default "CognitoUserPool, CognitoAuth" */
    takenBy?: string;
    /** A key of an object-valued setting that must be given: what it is, for the message. */
    required?: string;
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

/**
 * A value known only when the program runs (a Pulumi Output, a Promise): AWS checks it, not the
 * table. An Output is recognised as the SDK does (`__pulumiOutput`) and by its `apply`, which
 * nothing read from config (JSON) can have.
 */
export const isDeferred = (value: unknown): boolean =>
    value instanceof Promise ||
    (typeof value === "object" &&
        value !== null &&
        (value as { __pulumiOutput?: unknown }).__pulumiOutput === true &&
        typeof (value as { apply?: unknown }).apply === "function");

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
/**
 * A list of strings, each checked by `item` (which names the item in its message); with `outputs`,
 * entries known only when the program runs are also accepted (and left to AWS).
 */
export const listOf =
    (what: string, item: (value: string) => string | undefined, options: { outputs?: boolean } = {}): Check =>
    (value) => {
        const accepted = (entry: unknown) => typeof entry === "string" || (options.outputs === true && isDeferred(entry));
        if (!Array.isArray(value) || !value.every(accepted)) return [`must be a list of ${what}`];
        return value
            .filter((entry): entry is string => typeof entry === "string")
            .map(item)
            .filter((problem): problem is string => problem !== undefined);
    };
export const mapOf =
    (what: string): Check =>
    (value) =>
        isMap(value) ? [] : [`must be a map of ${what}`];

export const mfaModes: readonly MfaMode[] = ["OFF", "OPTIONAL", "ON"];
/** In the order of what they unlock: each plan has every feature of the ones before it. */
export const featurePlans: readonly FeaturePlan[] = ["LITE", "ESSENTIALS", "PLUS"];
export const threatProtectionModes: readonly ThreatProtectionMode[] = ["OFF", "AUDIT", "ENFORCED"];
export const signInFactors: readonly SignInFactor[] = ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"];

/** Text of at most `max` characters (Unicode code points, as AWS counts). */
export const textUpTo =
    (max: number): Check =>
    (value) =>
        typeof value === "string" && [...value].length <= max ? [] : [`must be text of at most ${max} characters`];

/** An email address, alone or as `Name <address>` (RFC 5322's common forms, as SES takes them). */
const emailAddress = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
export const anEmail =
    (named: boolean): Check =>
    (value) => {
        if (typeof value !== "string") return ["must be an email address"];
        const address = named ? (/^[^<>]*<([^<>]+)>$/.exec(value)?.[1] ?? value) : value;
        return emailAddress.test(address.trim())
            ? []
            : [`${JSON.stringify(value)} is not an email address${named ? ' (name@example.com or "Name <name@example.com>")' : ""}`];
    };

/** Freezes an object and everything in it, so a default shared by every caller cannot be changed by one. */
function frozen<T>(value: T): T {
    if (typeof value === "object" && value !== null) {
        Object.values(value).forEach(frozen);
        Object.freeze(value);
    }
    return value;
}

/**
 * The value of each setting with a fixed default, the one statement of it: the components fall
 * back to these, and the docs show them (test/configDocs.test.ts checks the TSDoc `@default` tags).
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
    featurePlan: "ESSENTIALS" as FeaturePlan,
    threatProtection: "OFF" as ThreatProtectionMode,
    signInFactors: ["PASSWORD"] as SignInFactor[],
    groups: {} as Record<string, GroupSpec>,
    authenticatedPolicyArns: [] as string[],
    unauthenticatedPolicyArns: [] as string[],
    adoptExistingUsers: false,
}) satisfies { [K in keyof StackSettings]?: StackSettings[K] };

/** Where a setting's default differs for an existing pool (`userPoolId`): its policy is Cognito's default unless described. */
export const existingPoolDefaults = frozen({
    passwordPolicy: cognitoDefaultPasswordRules as PasswordRules,
}) satisfies { [K in keyof StackSettings]?: unknown };

/** The value of each key of a user (`users.<username>`) that has a default. */
export const userDefaults = frozen({
    attributes: {} as Record<string, string>,
    enabled: true,
    groups: [] as string[],
    totpGeneration: 1,
}) satisfies { [K in keyof UserSpec]?: UserSpec[K] };

/** The pool's password policy (`passwordPolicy`). Ranges are Cognito's. */
export const passwordPolicyFields: Fields<PasswordPolicy> = {
    minimumLength: { check: wholeNumber(6, 99) },
    requireLowercase: { check: trueOrFalse },
    requireUppercase: { check: trueOrFalse },
    requireNumbers: { check: trueOrFalse },
    requireSymbols: { check: trueOrFalse },
    temporaryPasswordValidityDays: { check: wholeNumber(0, 365), ownedPoolOnly: true },
    passwordHistorySize: { check: wholeNumber(0, 24), ownedPoolOnly: true },
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
    mfa: { check: oneOf("an MFA method the stack enrols", ["TOTP"]) },
    totpGeneration: { check: wholeNumber(1, 1000000) },
};

const policyArn = (arn: string) =>
    /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(arn) ? undefined : `${JSON.stringify(arn)} is not an IAM policy ARN`;
const policyArns = listOf("IAM policy ARNs", policyArn, { outputs: true });

/** A value that may also be known only when the program runs (a component's Output), which AWS checks. */
const orDeferred =
    (check: Check): Check =>
    (value) =>
        isDeferred(value) ? [] : check(value);

/** A group (`groups.<group>`); its name is checked apart (Cognito's rule for group names). */
export const groupSpecFields: Fields<GroupSpec> = {
    description: { check: textUpTo(2048) },
    precedence: { check: wholeNumber(0, 2147483647) },
    policyArns: {
        check: policyArns,
        ownedPoolOnly: true,
        takenBy: "CognitoIdentity makes a group's role: give its groupRoles.<group>.arn as roleArn",
    },
    roleArn: {
        check: orDeferred((value) =>
            typeof value === "string" && /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(value)
                ? []
                : [`${JSON.stringify(value)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`],
        ),
    },
};

/** The pool's SES sender (`emailSender`). */
export const emailSenderFields: Fields<EmailSender> = {
    sourceArn: {
        required: "the ARN of a verified SES identity",
        check: (value) =>
            typeof value === "string" && /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^/\s]+$/.test(value)
                ? []
                : [`${JSON.stringify(value)} is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<email or domain>)`],
    },
    from: { check: anEmail(true) },
    replyTo: { check: anEmail(false) },
};

/** Passkey sign-in (`webAuthn`). */
export const webAuthnFields: Fields<WebAuthnSettings> = {
    relyingPartyId: {
        required: "the domain passkeys are bound to",
        check: (value) =>
            typeof value === "string" &&
            value.length <= 127 &&
            /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value)
                ? []
                : [`${JSON.stringify(value)} is not a domain name in lower case, such as auth.example.com (no scheme, port or path)`],
    },
    userVerification: { check: oneOf("a user verification mode", ["required", "preferred"]) },
};

/** Every setting, in the order the README lists them. */
export const settings: { readonly [K in keyof StackSettings]-?: Setting } = {
    userPoolId: {
        read: "string",
        check: (value) => {
            const problem = userPoolIdProblem(value);
            return problem ? [problem] : [];
        },
    },
    userPoolName: {
        read: "string",
        check: aString,
        ownedPoolOnly: true,
    },
    clientName: {
        read: "string",
        check: aString,
        ownedPoolOnly: true,
    },
    identityPoolName: {
        read: "string",
        check: aString,
        ownedPoolOnly: true,
    },
    allowUnauthenticatedIdentities: {
        read: "boolean",
        check: trueOrFalse,
        ownedPoolOnly: true,
    },
    users: {
        read: "json",
        check: mapOf("username to { email, attributes, enabled, groups }"),
        fields: userSpecFields,
    },
    passwords: {
        read: "secret",
        check: mapOf("username to password"),
    },
    groups: {
        read: "json",
        check: (value) =>
            isMap(value)
                ? Object.keys(value)
                      .map(groupNameProblem)
                      .filter((problem): problem is string => problem !== undefined)
                : ["must be a map of group name to { description, precedence, policyArns, roleArn }"],
        fields: groupSpecFields,
    },
    mfa: {
        read: "string",
        check: oneOf("an MFA mode", mfaModes),
        ownedPoolOnly: true,
    },
    featurePlan: {
        read: "string",
        check: oneOf("a feature plan", featurePlans),
        ownedPoolOnly: true,
    },
    threatProtection: {
        read: "string",
        check: oneOf("a threat protection mode", threatProtectionModes),
        ownedPoolOnly: true,
    },
    signInFactors: {
        read: "json",
        check: (value) => {
            const shape = listOf("sign-in factors", (factor) =>
                signInFactors.includes(factor as SignInFactor)
                    ? undefined
                    : `${JSON.stringify(factor)} is not a sign-in factor; use one of ${signInFactors.join(", ")}`,
            )(value);
            if (shape.length > 0) return shape;
            const factors = value as string[];
            // AWS refuses a sign-in policy without it, and the stack's own users sign in with their passwords.
            if (!factors.includes("PASSWORD")) return ['must include "PASSWORD"'];
            if (new Set(factors).size !== factors.length) return ["must not name a factor twice"];
            return [];
        },
        ownedPoolOnly: true,
    },
    webAuthn: {
        read: "json",
        check: mapOf('passkey settings, such as { "relyingPartyId": "auth.example.com" }'),
        fields: webAuthnFields,
        ownedPoolOnly: true,
    },
    emailSender: {
        read: "json",
        check: mapOf('SES sender settings, such as { "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com" }'),
        fields: emailSenderFields,
        ownedPoolOnly: true,
    },
    passwordPolicy: {
        read: "json",
        check: mapOf('policy keys to values, such as { "minimumLength": 12 }'),
        fields: passwordPolicyFields,
    },
    deletionProtection: {
        read: "boolean",
        check: trueOrFalse,
        ownedPoolOnly: true,
    },
    generateClientSecret: {
        read: "boolean",
        check: trueOrFalse,
        ownedPoolOnly: true,
    },
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
    authenticatedPolicyArns: {
        read: "json",
        check: listOf("IAM policy ARNs", policyArn, { outputs: true }),
        ownedPoolOnly: true,
    },
    unauthenticatedPolicyArns: {
        read: "json",
        check: listOf("IAM policy ARNs", policyArn, { outputs: true }),
        ownedPoolOnly: true,
    },
    adoptExistingUsers: {
        read: "boolean",
        check: trueOrFalse,
    },
    userPoolClientId: {
        read: "string",
        check: (value) => (isDeferred(value) ? [] : aString(value)),
    },
};
