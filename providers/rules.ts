// Pure validation rules for Cognito users, shared by the component (at program start) and the
// user provider's `check` (at preview). The provider is serialized by value into every user's
// state, so these functions stay small, pure and free of imports, with no comments inside them.
// No message ever contains a password: rules describe the password, never quote it.

/** The subset of a user pool's password policy that a password can be checked against. */
export interface PasswordRules {
    minimumLength: number;
    requireLowercase: boolean;
    requireUppercase: boolean;
    requireNumbers: boolean;
    requireSymbols: boolean;
}

/** Cognito's own default policy (used when a user resource is given none). */
export const cognitoDefaultPasswordRules: PasswordRules = {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
};

/** A user's settings to check; any may be missing or of the wrong type. */
export interface UserToCheck {
    username: unknown;
    password?: unknown;
    attributes?: unknown;
    groups?: unknown;
    enabled?: unknown;
}

/**
 * Problems with a user as `[property, problem]` pairs, per Cognito's rules: usernames and group
 * names are 1-128 printable characters; attributes are standard OIDC ones (`sub` is Cognito's) or
 * `custom:` ones that the pool declares (`customAttributes`; undefined skips that check), with
 * valid email and E.164 phone values; the password meets `policy` (undefined skips it).
 * Values equal to `unknown` (what the engine sends for values not known during preview) are skipped.
 */
export function userProblems(user: UserToCheck, policy?: PasswordRules, customAttributes?: readonly string[], unknown?: string): [string, string][] {
    const problems: [string, string][] = [];
    const add = (property: string, problem: string) => problems.push([property, problem]);
    const printable = (kind: string, value: unknown) => typeof value !== "string" || !value ? `${kind} must be a non-empty string`
        : [...value].length > 128 ? `${kind} must be at most 128 characters long`
        : /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(value) ? undefined
        : `${kind} may contain only letters, marks, symbols, numbers and punctuation (no spaces or control characters)`;
    const { username, attributes, groups, enabled } = user;
    const usernameProblem = username === unknown ? undefined : printable("username", username);
    if (usernameProblem) add("username", usernameProblem);
    if (policy && user.password !== unknown) passwordProblems(user.password, policy).forEach((p) => add("password", p));
    if (attributes !== undefined && attributes !== unknown) {
        if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) add("attributes", "attributes must be a map of attribute name to string value");
        else for (const [name, value] of Object.entries(attributes)) {
            const say = (problem: string) => add("attributes", `attribute "${name}" ${problem}`);
            if (name.startsWith("custom:")) {
                if (customAttributes && !customAttributes.includes(name.slice(7))) say("is not declared in the pool's custom attributes");
            } else if (!standardAttributes.split(" ").includes(name)) say("is not a Cognito standard attribute (use \"custom:<name>\" for custom ones)");
            if (value === unknown) continue;
            if (typeof value !== "string") say("must be a string");
            else if (value.length > 2048) say("must be at most 2048 characters long");
            else if (name === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) say(`is not a valid email address: ${JSON.stringify(value)}`);
            else if (name === "phone_number" && !/^\+[0-9]{4,15}$/.test(value)) say("must be in E.164 form such as +81312345678");
            else if (name.endsWith("_verified") && value !== "true" && value !== "false") say("must be \"true\" or \"false\"");
        }
    }
    if (groups !== undefined && groups !== unknown) {
        if (!Array.isArray(groups)) add("groups", "groups must be a list of group names");
        else for (const group of groups) {
            const problem = group === unknown ? undefined : printable(`group ${JSON.stringify(group)}`, group);
            if (problem) add("groups", problem);
        }
    }
    if (enabled !== undefined && enabled !== unknown && typeof enabled !== "boolean") add("enabled", "enabled must be true or false");
    return problems;
}

/** Standard OIDC attributes a user may set, space-separated (`sub` is assigned by Cognito). */
const standardAttributes = "address birthdate email email_verified family_name gender given_name locale middle_name name "
    + "nickname phone_number phone_number_verified picture preferred_username profile updated_at website zoneinfo";

/** Characters Cognito counts as symbols (a space inside the password counts too). */
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/** Problems with a password against a policy. Describes rules only; never echoes the password. */
export function passwordProblems(password: unknown, rules: PasswordRules): string[] {
    if (typeof password !== "string" || password.length === 0) return ["a password is required"];
    const length = [...password].length;
    return [
        length < rules.minimumLength && `password must be at least ${rules.minimumLength} characters long`,
        length > 256 && "password must be at most 256 characters long",
        /^\s|\s$/.test(password) && "password must not begin or end with whitespace",
        rules.requireLowercase && !/[a-z]/.test(password) && "password must contain a lowercase letter (a-z)",
        rules.requireUppercase && !/[A-Z]/.test(password) && "password must contain an uppercase letter (A-Z)",
        rules.requireNumbers && !/[0-9]/.test(password) && "password must contain a number (0-9)",
        rules.requireSymbols && ![...password.trim()].some((c) => passwordSymbols.includes(c))
            && `password must contain a symbol, one of ${passwordSymbols.trim()}`,
    ].filter((problem): problem is string => typeof problem === "string");
}
