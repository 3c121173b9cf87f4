import { PasswordRules, caseFolded, passwordProblems, userProblems } from "../providers/rules";
import { setSecretAdvice } from "../lib/shell";
import { hasKey, isMap, keyedMap } from "../lib/maps";
import { Field, Fields, Setting, groupSpecFields, isDeferred, settings, userSpecFields } from "./settings";
import { groupRoleProblems, poolRequirementProblems, totpProblems } from "./requirements";
import { passwordRulesOf, userAttributes } from "./resolved";
import type { StackSettings, UserSpec } from "./types";

// The one check of the settings, for the stack-config reader and for each component: every value
// and every nested key against the table in ./settings.ts, every user and password against the
// shared rules (providers/rules.ts, which the user provider applies too). Pure and synchronous, so
// every problem is reported at once, before any resource is declared.

/** How `validateArgs` words its messages and what else it checks. */
export interface ValidationOptions {
    /** Put before every key named in a message; the stack-config reader passes `cognito-auth:`. @default "" */
    keyPrefix?: string;
    /**
     * Plaintext passwords to check against the policy and their usernames (the config reader's,
     * before they become secrets). Never quoted in a message.
     * @default the plain strings among `args.passwords` (secrets cannot be checked synchronously)
     */
    plainPasswords?: Record<string, string>;
    /**
     * The custom attributes the pool declares, when the caller knows them (the users of a pool this
     * stack creates). @default `args.customAttributes` for a created pool; unknown for an existing one
     */
    knownCustomAttributes?: readonly string[];
    /**
     * A component checking its own arguments: its name, and the settings it takes; any other
     * setting is refused as not one of its arguments. @default every setting (the stack config)
     */
    component?: { name: string; takes: readonly string[] };
}

/** What a message names, and what it says of a setting that needs a created pool. */
interface Reporter {
    prefix: string;
    existingPool: boolean;
    say(path: string, problem: string): void;
    ownedOnly(takenBy?: string): string;
    component?: ValidationOptions["component"];
}

/**
 * Problems with plain settings, each naming the setting or user (with its key path, e.g.
 * `passwordPolicy.minimumLength`) and the rule. Every setting and nested key is checked against the
 * table in ./settings.ts; an unknown key is an error listing the known ones. With `userPoolId` the
 * settings of a created pool are refused. Values known only when the program runs (Outputs) are
 * left to AWS.
 */
export function validateArgs(args: StackSettings, options: ValidationOptions = {}): string[] {
    const problems: string[] = [];
    const prefix = options.keyPrefix ?? "";
    const report: Reporter = {
        prefix,
        existingPool: args.userPoolId !== undefined,
        say: (path, problem) => problems.push(`${prefix}${path}: ${problem}`),
        ownedOnly: (takenBy = "CognitoUserPool, CognitoAuth") =>
            options.component
                ? `applies only to a pool this stack creates (${takenBy}); remove it`
                : `applies only to a pool this stack creates; remove it, or unset ${prefix}userPoolId`,
        component: options.component,
    };
    const count = problems.length;
    settingProblems(args as Record<string, unknown>, report);
    // How settings go together, once each is well-formed on its own (one problem per mistake).
    if (problems.length === count && !report.existingPool) poolRequirementProblems(args, prefix, report.say);
    // A group's role is its roleArn for an existing pool, the one made from its policyArns for a created pool.
    if (isMap(args.groups)) groupRoleProblems(args.groups, report.existingPool ? "roleArn" : "policyArns", prefix, report.say);
    if (!report.existingPool && args.unauthenticatedPolicyArns?.length && !args.allowUnauthenticatedIdentities) {
        report.say(
            "unauthenticatedPolicyArns",
            `set ${prefix}allowUnauthenticatedIdentities to true, or there is no unauthenticated role to attach them to`,
        );
    }
    const passwords = isMap(args.passwords) ? args.passwords : {};
    const plainPasswords =
        options.plainPasswords ??
        keyedMap(Object.entries(passwords).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    // With an existing pool its schema is unknown: any well-formed custom: attribute passes.
    const customAttributes =
        options.knownCustomAttributes ??
        (report.existingPool ? undefined : Array.isArray(args.customAttributes) ? args.customAttributes : []);
    configuredUserProblems(
        isMap(args.users) ? args.users : {},
        { passwords, plain: plainPasswords, rules: passwordRulesOf(args.passwordPolicy, report.existingPool) },
        customAttributes,
        report,
    );
    totpProblems(args, report.existingPool, prefix, report.say);
    return problems;
}

/** Each top-level setting: known, allowed in this mode, well-formed, and so each of its keys. */
function settingProblems(values: Record<string, unknown>, report: Reporter): void {
    for (const key of Object.keys(values)) {
        const value = values[key];
        if (value === undefined) continue;
        if (!hasKey(settings, key)) {
            report.say(key, `unknown setting; known: ${Object.keys(settings).join(", ")}`);
            continue;
        }
        if (report.component && !report.component.takes.includes(key)) {
            report.say(key, `is not an argument of ${report.component.name}; it takes ${report.component.takes.join(", ")}`);
            continue;
        }
        const setting: Setting = (settings as Record<string, Setting>)[key];
        if (report.existingPool && setting.ownedPoolOnly) {
            report.say(key, report.ownedOnly());
            continue;
        }
        if (key === "userPoolId" && isDeferred(value)) continue;
        const shape = setting.check?.(value) ?? [];
        shape.forEach((problem) => report.say(key, problem));
        if (shape.length > 0 || !setting.fields) continue;
        if (key === "groups") {
            // A map of groups: each group's keys are the table's.
            for (const [group, spec] of Object.entries(value as Record<string, unknown>)) {
                if (isMap(spec)) fieldProblems(`groups.${group}`, spec, groupSpecFields, report);
                else report.say(`groups.${group}`, `must be an object with optional ${Object.keys(groupSpecFields).join(", ")}`);
            }
            if (!report.existingPool) createdPoolGroupProblems(value as Record<string, unknown>, report);
        } else if (key !== "users") fieldProblems(key, value as Record<string, unknown>, setting.fields, report);
    }
}

/** A created pool's groups get their roles from this stack (`policyArns`), trusted by its identity pool. */
function createdPoolGroupProblems(groups: Record<string, unknown>, report: Reporter): void {
    for (const [group, spec] of Object.entries(groups)) {
        if (isMap(spec) && spec.roleArn !== undefined) {
            report.say(
                `groups.${group}.roleArn`,
                `applies only to an existing pool (${report.prefix}userPoolId); for a pool this stack creates, give the role's policies in ${report.prefix}groups.${group}.policyArns and the stack makes the role, trusted by its identity pool`,
            );
        }
    }
}

/**
 * Problems with the keys of an object-valued setting at `path` (e.g. `passwordPolicy`): each
 * unknown key (naming it and listing the known ones), each value its field's check refuses, and,
 * for an existing pool, each key that applies only to a pool this stack creates.
 */
function fieldProblems(path: string, value: Record<string, unknown>, fields: Fields<any>, report: Reporter): void {
    for (const [key, item] of Object.entries(value)) {
        const where = `${path}.${key}`;
        if (!hasKey(fields, key)) {
            report.say(where, `unknown setting; known: ${Object.keys(fields).join(", ")}`);
            continue;
        }
        const field: Field = fields[key];
        if (item === undefined) continue;
        if (report.existingPool && field.ownedPoolOnly) report.say(where, report.ownedOnly(field.takenBy));
        else field.check?.(item).forEach((problem) => report.say(where, problem));
    }
    for (const [key, field] of Object.entries(fields as Record<string, Field>)) {
        if (field.required && (!hasKey(value, key) || value[key] === undefined))
            report.say(`${path}.${key}`, `is required (${field.required})`);
    }
}

/** The passwords as given, the plain ones among them (checkable), and the rules they must meet. */
interface PasswordsToCheck {
    passwords: Record<string, unknown>;
    plain: Record<string, string>;
    rules: PasswordRules;
}

/** Problems with the configured users and their passwords, as `users.<name>: ...` / `passwords.<name>: ...`. */
function configuredUserProblems(
    users: Record<string, unknown>,
    passwords: PasswordsToCheck,
    customAttributes: readonly string[] | undefined,
    report: Reporter,
): void {
    const seen = new Map<string, string>();
    for (const [username, spec] of Object.entries(users)) {
        const where = `users.${username}`;
        const sayUser = (problem: string) => report.say(where, problem);
        // Usernames are case-insensitive in the pool, so these would be one user.
        const folded = caseFolded(username);
        if (seen.has(folded)) sayUser(`same username as ${report.prefix}users.${seen.get(folded)} (usernames are case-insensitive)`);
        seen.set(folded, username);
        if (!isMap(spec)) {
            userProblems({ username }).forEach(([, problem]) => sayUser(problem));
            sayUser(`must be an object with optional ${Object.keys(userSpecFields).join(", ")}`);
            continue;
        }
        fieldProblems(where, spec, userSpecFields, report);
        // Attributes that are not a map go to the rules as they are, which say so.
        const attributes = spec.attributes === undefined || isMap(spec.attributes) ? userAttributes(spec as UserSpec) : spec.attributes;
        userProblems({ username, attributes, groups: spec.groups, enabled: spec.enabled }, undefined, customAttributes).forEach(
            ([, problem]) => sayUser(problem),
        );
        if (!hasKey(passwords.passwords, username)) {
            sayUser(`has no password; ${setSecretAdvice("passwords", username)}`);
        } else if (hasKey(passwords.plain, username)) {
            passwordProblems(passwords.plain[username], passwords.rules, username).forEach((problem) =>
                report.say(`passwords.${username}`, problem),
            );
        }
    }
    for (const name of Object.keys(passwords.passwords)) {
        if (!hasKey(users, name)) report.say(`passwords.${name}`, `password for a user that is not in ${report.prefix}users`);
    }
}
