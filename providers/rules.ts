// Pure validation rules for Cognito users, shared by the stack-config reader (index.ts, at program
// start) and the user provider's `check` (at preview). The provider is serialized by value into
// every user's state, so these functions must stay small, pure and free of imports.
// No message here ever contains a password: rules describe the password, never quote it.

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

/** Characters Cognito counts as symbols (a space inside the password counts too). */
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/** Standard OIDC attributes a user may set (`sub` is assigned by Cognito and immutable). */
const standardAttributes = [
    "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
    "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
    "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo",
];

/** Problems with a username, per Cognito's AdminCreateUser rules: 1-128 printable characters. */
export function usernameProblems(username: unknown): string[] {
    if (typeof username !== "string" || username.length === 0) return ["username must be a non-empty string"];
    const problems: string[] = [];
    if ([...username].length > 128) problems.push("username must be at most 128 characters long");
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(username)) {
        problems.push("username may contain only letters, marks, symbols, numbers and punctuation (no spaces or control characters)");
    }
    return problems;
}

/** Problems with a password against a policy. Describes rules only; never echoes the password. */
export function passwordProblems(password: unknown, rules: PasswordRules): string[] {
    if (typeof password !== "string" || password.length === 0) return ["a password is required"];
    const problems: string[] = [];
    const length = [...password].length;
    if (length < rules.minimumLength) problems.push(`password must be at least ${rules.minimumLength} characters long`);
    if (length > 256) problems.push("password must be at most 256 characters long");
    if (/^\s|\s$/.test(password)) problems.push("password must not begin or end with whitespace");
    if (rules.requireLowercase && !/[a-z]/.test(password)) problems.push("password must contain a lowercase letter (a-z)");
    if (rules.requireUppercase && !/[A-Z]/.test(password)) problems.push("password must contain an uppercase letter (A-Z)");
    if (rules.requireNumbers && !/[0-9]/.test(password)) problems.push("password must contain a number (0-9)");
    if (rules.requireSymbols && ![...password.trim()].some((c) => passwordSymbols.includes(c))) {
        problems.push(`password must contain a symbol, one of ${passwordSymbols.trim()}`);
    }
    return problems;
}

/**
 * Problems with a user's attribute map. `customAttributes` lists the `custom:` attributes the
 * pool's schema declares (without the prefix); undefined skips that check.
 */
export function attributeProblems(attributes: unknown, customAttributes?: readonly string[]): string[] {
    if (attributes === undefined) return [];
    if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) {
        return ["attributes must be a map of attribute name to string value"];
    }
    const problems: string[] = [];
    for (const [name, value] of Object.entries(attributes)) {
        if (name.startsWith("custom:")) {
            const bare = name.slice("custom:".length);
            if (customAttributes && !customAttributes.includes(bare)) {
                problems.push(`attribute "${name}" is not declared in the pool's custom attributes`);
            }
        } else if (!standardAttributes.includes(name)) {
            problems.push(`attribute "${name}" is not a Cognito standard attribute (use "custom:<name>" for custom ones)`);
        }
        if (typeof value !== "string") {
            problems.push(`attribute "${name}" must be a string`);
            continue;
        }
        if (value.length > 2048) problems.push(`attribute "${name}" must be at most 2048 characters long`);
        if (name === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
            problems.push(`attribute "email" is not a valid email address: ${JSON.stringify(value)}`);
        }
        if (name === "phone_number" && !/^\+[0-9]{4,15}$/.test(value)) {
            problems.push(`attribute "phone_number" must be in E.164 form such as +81312345678`);
        }
        if ((name === "email_verified" || name === "phone_number_verified") && value !== "true" && value !== "false") {
            problems.push(`attribute "${name}" must be "true" or "false"`);
        }
    }
    return problems;
}

/** Problems with a group name, per Cognito's CreateGroup rules. */
export function groupNameProblems(group: unknown): string[] {
    if (typeof group !== "string" || group.length === 0) return ["group names must be non-empty strings"];
    if ([...group].length > 128 || !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(group)) {
        return [`group "${group}" must be 1-128 letters, marks, symbols, numbers or punctuation`];
    }
    return [];
}
