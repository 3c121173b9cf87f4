// Pure validation rules for Cognito users, shared by the stack-config reader and the CognitoAuth
// component (at program start) and the user provider's `check` (at preview, before any API call).
// No message ever contains a password: rules describe the password, never quote it.
//
// Limits and patterns are those of the cognito-idp API model (botocore
// data/cognito-idp/2016-04-18/service-2.json: UsernameType, GroupNameType min 1 max 128 pattern
// [\p{L}\p{M}\p{S}\p{N}\p{P}]+; PasswordType max 256; AttributeValueType max 2048;
// CustomAttributeNameType min 1 max 20; UserPoolIdType max 55 pattern [\w-]+_[0-9a-zA-Z]+).
//
// How AWS counts a string's length: in Unicode code points (scalar values), not UTF-16 units, so
// an emoji counts 1 here although its JavaScript `.length` is 2. Sources: the Smithy spec, in
// which AWS's API models are written, defines the `length` trait of a string as "the number of
// Unicode scalar values" (smithy docs/source-2.0/spec/constraint-traits.rst); AWS's smithy-typescript
// server validator was fixed from `.length` to code points for this (smithy-lang/smithy-typescript
// #509, #510; protocol tests with astral characters, smithy-lang/smithy #1090, #1092); botocore's
// ParamValidator checks `len(param)` of a Python str (code points); terraform-provider-aws's
// Cognito validators count `utf8.RuneCountInString`.

/** The subset of a user pool's password policy that a password can be checked against. */
export interface PasswordRules {
    minimumLength: number;
    requireLowercase: boolean;
    requireUppercase: boolean;
    requireNumbers: boolean;
    requireSymbols: boolean;
}

/** Cognito's own default policy (a pool made without one; used when a user resource is given none). */
export const cognitoDefaultPasswordRules: PasswordRules = {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
};

/**
 * A username as a case-insensitive pool compares it: two names with the same folding are one user
 * there. The config check refuses two such names, user resources are named by it (so a case-only
 * rename is the same resource) and the provider's diff takes a case-only rename for an update.
 */
export function caseFolded(username: string): string {
    return username.toLowerCase();
}

/** A user's settings to check; any may be missing or of the wrong type. */
export interface UserToCheck {
    username: unknown;
    password?: unknown;
    attributes?: unknown;
    groups?: unknown;
    enabled?: unknown;
}

/** Standard OIDC attributes a user may set (`sub` is assigned by Cognito). */
export const standardAttributes: readonly string[] = [
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/** The message for an `attributes` value that is not a map (also used by the config reader). */
export const attributesNotAMap = "attributes must be a map of attribute name to string";

/** Characters Cognito counts as symbols (a space inside the password counts too). */
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/** The number of characters as AWS counts them: Unicode code points (see the top of this file). */
export function codePointLength(text: string): number {
    let length = 0;
    for (const _ of text) length++;
    return length;
}

/** True when the text has a lone UTF-16 surrogate, which is no Unicode character and cannot be sent as UTF-8. */
function hasLoneSurrogate(text: string): boolean {
    return /\p{Cs}/u.test(text);
}

/** Cognito's pattern for usernames, group names and custom attribute names. */
const printablePattern = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

/** What is wrong with a username or group name (`kind` names it in the message), or undefined. */
function nameProblem(kind: string, value: unknown, maxLength = 128): string | undefined {
    if (typeof value !== "string" || !value) return `${kind} must be a non-empty string`;
    if (codePointLength(value) > maxLength) return `${kind} must be at most ${maxLength} characters long`;
    if (!printablePattern.test(value))
        return `${kind} may contain only letters, marks, symbols, numbers and punctuation (no spaces or control characters)`;
    return undefined;
}

/** What is wrong with a group name (Cognito's rule, as for the groups a user names), or undefined. */
export function groupNameProblem(name: string): string | undefined {
    return nameProblem(`group ${JSON.stringify(name)}`, name);
}

/**
 * Problems with a user as `[property, problem]` pairs, per Cognito's rules: usernames and group
 * names are 1-128 printable characters; attributes are a map of standard OIDC attributes (`sub`
 * is Cognito's) or well-formed `custom:` ones, which must also be declared in `customAttributes`
 * when that is given (undefined: the pool's schema is unknown, any well-formed name passes),
 * with string values of at most 2048 characters, valid email and E.164 phone values; the password
 * meets `policy` (undefined skips it) and differs from the username. Values equal to `unknown`
 * (what the engine sends for values not known during preview) are skipped.
 */
export function userProblems(
    user: UserToCheck,
    policy?: PasswordRules,
    customAttributes?: readonly string[],
    unknown?: string,
): [string, string][] {
    const problems: [string, string][] = [];
    const add = (property: string, problem: string) => problems.push([property, problem]);
    const { username, password, attributes, groups, enabled } = user;
    const usernameProblem = username === unknown ? undefined : nameProblem("username", username);
    if (usernameProblem) add("username", usernameProblem);
    if (policy && password !== unknown) {
        const name = typeof username === "string" && username !== unknown ? username : undefined;
        passwordProblems(password, policy, name).forEach((p) => add("password", p));
        // Attributes are plain text in config, previews and state: one that holds the password shows it.
        if (
            typeof password === "string" &&
            password.length > 0 &&
            typeof attributes === "object" &&
            attributes !== null &&
            !Array.isArray(attributes)
        )
            for (const [attribute, value] of Object.entries(attributes as Record<string, unknown>))
                if (typeof value === "string" && value !== unknown && folds(value).includes(folds(password)))
                    add(
                        "password",
                        `password must not appear in attribute ${JSON.stringify(attribute)} (ignoring case): attributes are plain text in config, previews and state`,
                    );
    }
    if (attributes !== undefined && attributes !== unknown) {
        if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) add("attributes", attributesNotAMap);
        else
            for (const [name, value] of Object.entries(attributes)) {
                const problem = attributeProblem(name, value, customAttributes, unknown);
                if (problem) add("attributes", `attribute ${JSON.stringify(name)} ${problem}`);
            }
    }
    if (groups !== undefined && groups !== unknown) {
        if (!Array.isArray(groups)) add("groups", "groups must be a list of group names");
        else
            for (const group of groups) {
                const problem = group === unknown ? undefined : nameProblem(`group ${JSON.stringify(group)}`, group);
                if (problem) add("groups", problem);
            }
    }
    if (enabled !== undefined && enabled !== unknown && typeof enabled !== "boolean") add("enabled", "enabled must be true or false");
    return problems;
}

/** What is wrong with one attribute (the caller names it), or undefined. */
function attributeProblem(
    name: string,
    value: unknown,
    customAttributes: readonly string[] | undefined,
    unknown: string | undefined,
): string | undefined {
    if (name.startsWith("custom:")) {
        const custom = name.slice("custom:".length);
        const malformed = nameProblem('its name after "custom:"', custom, 20);
        if (malformed) return `is not a well-formed custom attribute: ${malformed}`;
        if (customAttributes && !customAttributes.includes(custom)) return "is not declared in the pool's custom attributes";
    } else if (!standardAttributes.includes(name)) {
        return 'is not a Cognito standard attribute (use "custom:<name>" for custom ones)';
    }
    if (value === unknown) return undefined;
    if (typeof value !== "string") return "must be a string";
    if (codePointLength(value) > 2048) return "must be at most 2048 characters long";
    if (hasLoneSurrogate(value)) return "must be valid Unicode text (it has a lone surrogate)";
    if (name === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return `is not a valid email address: ${JSON.stringify(value)}`;
    if (name === "phone_number" && !/^\+[0-9]{4,15}$/.test(value)) return "must be in E.164 form such as +81312345678";
    if (name.endsWith("_verified") && value !== "true" && value !== "false") return 'must be "true" or "false"';
    return undefined;
}

/**
 * Whitespace or control characters a password may not contain anywhere: everything that is
 * whitespace or a control character except the plain space (U+0020). Cognito's password pattern
 * (`^[\S]+.*[\S]+$`, Java regular expressions) refuses line breaks (\n, \r, U+0085, U+2028, U+2029
 * never match `.`); tabs, no-break and other Unicode spaces and control characters are refused
 * here too: invisible, typed differently on every keyboard, and not symbols in the policy's sense.
 */
const forbiddenInPassword = /(?! )[\s\p{Z}\p{Cc}]/u;

/**
 * Problems with a password against a policy, and against `username` when given: a password equal
 * to its username (ignoring case) is refused, since the username is plain text everywhere (config,
 * outputs, resource names). Describes rules only; never echoes the password.
 */
/** Text compared ignoring case. */
const folds = (text: string) => text.toLowerCase();

export function passwordProblems(password: unknown, rules: PasswordRules, username?: string): string[] {
    if (typeof password !== "string" || password.length === 0) return ["a password is required"];
    const length = codePointLength(password);
    const sameAsUsername =
        username !== undefined && (password.toLowerCase() === username.toLowerCase() || password.toUpperCase() === username.toUpperCase());
    return [
        length < rules.minimumLength && `password must be at least ${rules.minimumLength} characters long`,
        length > 256 && "password must be at most 256 characters long",
        forbiddenInPassword.test(password) &&
            "password must not contain line breaks, tabs, other whitespace or control characters (only a plain space, and not at either end)",
        /^ | $/.test(password) && "password must not begin or end with a space",
        hasLoneSurrogate(password) && "password must be valid Unicode text (it has a lone surrogate)",
        sameAsUsername && "password must not be the same as the username (ignoring case)",
        !sameAsUsername &&
            username !== undefined &&
            length > 0 &&
            folds(username).includes(folds(password)) &&
            "password must not be part of the username (ignoring case): the username is plain text in config, previews and state",
        rules.requireLowercase && !/[a-z]/.test(password) && "password must contain a lowercase letter (a-z)",
        rules.requireUppercase && !/[A-Z]/.test(password) && "password must contain an uppercase letter (A-Z)",
        rules.requireNumbers && !/[0-9]/.test(password) && "password must contain a number (0-9)",
        rules.requireSymbols &&
            ![...password.trim()].some((c) => passwordSymbols.includes(c)) &&
            `password must contain a symbol, one of ${passwordSymbols.trim()}`,
    ].filter((problem): problem is string => typeof problem === "string");
}

/**
 * What is wrong with a user pool id (`<region>_<alphanumerics>`, e.g. `us-east-1_AbC123xyz`;
 * AWS's pattern `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters), or undefined.
 */
export function userPoolIdProblem(id: unknown): string | undefined {
    if (typeof id !== "string" || !id) return "must be a user pool id such as us-east-1_AbC123xyz";
    if (codePointLength(id) > 55) return "must be at most 55 characters long";
    if (!/^[A-Za-z0-9_-]+_[0-9A-Za-z]+$/.test(id))
        return "is not a user pool id: expected <region>_<letters and digits>, such as us-east-1_AbC123xyz";
    return undefined;
}

/** The region part of a well-formed user pool id (`us-east-1` of `us-east-1_AbC123xyz`). */
export function userPoolRegion(id: string): string {
    return id.slice(0, id.lastIndexOf("_"));
}
