import { PasswordRules, cognitoDefaultPasswordRules } from "../providers/rules";
import { hasKey, isMap, keyedMap } from "../lib/maps";
import { Field, Fields, defaults, passwordPolicyFields, tokenValidityFields } from "./settings";
import type { PasswordPolicy, TokenValidity, UserPoolSettings, UserSpec } from "./types";

// The values the components declare, from their arguments over the defaults in ./settings.ts:
// the one place each is worked out, for the components and for the checks in ./validation.ts.

/**
 * `defaults`, with each of its keys taken from `given` where the table's check accepts the value:
 * only known keys are read, so an unknown key (a typo) never reaches a resource.
 */
function validFields<T extends object>(defaults: T, fields: Fields<any>, given: unknown): T {
    const result = { ...defaults } as Record<string, unknown>;
    if (!isMap(given)) return result as T;
    for (const key of Object.keys(defaults)) {
        const value = hasKey(given, key) ? given[key] : undefined;
        const check = (fields as Record<string, Field>)[key].check;
        if (value !== undefined && (check?.(value) ?? []).length === 0) result[key] = value;
    }
    return result as T;
}

/**
 * The password rules passwords are checked against: `passwordPolicy` over the default of a pool
 * this stack creates, or, for an existing pool, over Cognito's default.
 */
export function passwordRulesOf(passwordPolicy: unknown, existingPool: boolean): PasswordRules {
    const { temporaryPasswordValidityDays: _unused, ...ownedDefault } = defaults.passwordPolicy;
    return validFields(existingPool ? cognitoDefaultPasswordRules : ownedDefault, passwordPolicyFields, passwordPolicy);
}

/** The password policy of a pool this stack creates. */
export function ownedPasswordPolicy(args: Pick<UserPoolSettings, "passwordPolicy">): PasswordPolicy {
    const policy = validFields(defaults.passwordPolicy, passwordPolicyFields, args.passwordPolicy);
    // Given only when set: a pool made by an earlier version shows no change for it.
    const history = isMap(args.passwordPolicy) ? args.passwordPolicy.passwordHistorySize : undefined;
    return history !== undefined && passwordPolicyFields.passwordHistorySize.check!(history).length === 0
        ? { ...policy, passwordHistorySize: history }
        : policy;
}

/** The token lifetimes of the app client of a pool this stack creates. */
export function tokenValidityOf(args: Pick<UserPoolSettings, "tokenValidity">): TokenValidity {
    return validFields(defaults.tokenValidity, tokenValidityFields, args.tokenValidity);
}

/**
 * A user's Cognito attributes: `email` (marked verified) merged under the explicit attributes.
 * Cognito attributes are strings; `pulumi config set --path` stores true/false and integers as
 * booleans and numbers, so those are turned back into strings. Names come from config, so they are
 * merged in a map without a prototype; the result is a plain object (the SDK turns resource inputs
 * into text, which a prototype-free object cannot do) built with own keys only.
 */
export function userAttributes(spec: UserSpec): Record<string, string> {
    const attributes = keyedMap<unknown>(
        typeof spec.email === "string"
            ? [
                  ["email", spec.email],
                  ["email_verified", "true"],
              ]
            : [],
    );
    if (isMap(spec.attributes)) for (const [name, value] of Object.entries(spec.attributes)) attributes[name] = value;
    return Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [
            name,
            (typeof value === "boolean" || typeof value === "number" ? String(value) : value) as string,
        ]),
    );
}
