import type * as awsCognito from "@pulumi/aws/cognito";
import type * as pulumi from "@pulumi/pulumi";
import { CognitoUser, CognitoUserArgs } from "../providers/cognitoUser";
import { PasswordRules, caseFolded, userPoolRegion } from "../providers/rules";
import { hasKey, keyedMap } from "../lib/maps";
import { ComponentResource, all, log, output, secret } from "../lib/sdk";
import { passwordRulesOf, userAttributes } from "./resolved";
import { defaults, userDefaults } from "./settings";
import { transformed } from "./transform";
import type { GroupSpec, Transform, UserSpec, UsersSettings } from "./types";
import { validateArgs } from "./validation";

// The users of a pool and the groups they name. `declareUsers` declares them under any parent:
// `CognitoUsers` below (the component on its own, which is what the program is for an existing
// pool) and `CognitoAuth`.

/** Changes to the children's arguments and options that the settings do not name. */
export interface UsersTransforms {
    /** Every `aws.cognito.UserGroup` (`name` tells which: `<name>-group-<group>`). */
    group?: Transform<awsCognito.UserGroupArgs>;
    /** Every user (`CognitoUser`, this project's resource; `name` is `<name>-user-<username in lower case>`): its options only, as every argument is a setting's. */
    user?: Transform<CognitoUserArgs>;
}

/** Arguments of `CognitoUsers`: the users settings of the stack (./types.ts) and the pool they are in. */
export interface CognitoUsersArgs extends UsersSettings {
    /**
     * The pool the users are in: this stack's (`userPool.id`), another stack's (a `StackReference`
     * output), or one made elsewhere (`aws.cognito.UserPool.get`, or its id as text).
     * @example "us-east-1_AbC123xyz"
     */
    userPoolId: pulumi.Input<string>;
    /**
     * The pool's password policy, so that passwords are checked at preview (Cognito checks them
     * again when they are set).
     * @default Cognito's default policy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true }
     */
    passwordPolicy?: Partial<PasswordRules>;
    /**
     * The custom attributes the pool declares (without `custom:`), so that a user's unknown one fails
     * at preview. @default unknown: any well-formed `custom:` attribute passes
     */
    customAttributes?: string[];
    /** @example { user: (args) => { args.adoptExisting = true; } } */
    transform?: UsersTransforms;
}

/** The settings `CognitoUsers` takes (the compiler requires every one of its arguments that is a setting). */
const takes: { readonly [K in Exclude<keyof CognitoUsersArgs, "transform" | "customAttributes">]-?: true } = {
    userPoolId: true,
    users: true,
    groups: true,
    passwords: true,
    passwordPolicy: true,
    adoptExistingUsers: true,
    userPoolClientId: true,
};

/** Every argument of a user is a setting's: a user's transform may change its options only. */
const userOwned: Record<keyof CognitoUserArgs, string> = {
    userPoolId: "CognitoUsers' userPoolId",
    username: "the setting users",
    password: "the setting passwords",
    attributes: "the setting users",
    enabled: "the setting users",
    groups: "the setting users",
    passwordPolicy: "the setting passwordPolicy",
    adoptExisting: "the setting adoptExistingUsers",
    mfa: "the setting users (a user's mfa)",
    totpGeneration: "the setting users (a user's totpGeneration)",
    clientId: "the app client of the pool (userPoolClientId)",
};

/** What `declareUsers` declared. */
export interface UsersParts {
    /** Groups by name (a map without a prototype: names come from config). */
    groups: Record<string, awsCognito.UserGroup>;
    /** Users by username (a map without a prototype: names come from config). */
    users: Record<string, CognitoUser>;
}

/**
 * The `totpSecrets` stack output: username -> the TOTP secret of each user the stack enrols, the
 * whole map a Pulumi secret; undefined when no user has `mfa`.
 */
export function totpSecretsOutput(
    users: Record<string, CognitoUser>,
    specs: Record<string, UserSpec>,
): pulumi.Output<Record<string, string>> | undefined {
    const enrolled = Object.keys(users).filter(
        (username) => username !== "__proto__" && hasKey(specs, username) && specs[username].mfa === "TOTP",
    );
    if (enrolled.length === 0) return undefined;
    return secret(
        all(enrolled.map((username) => users[username].totpSecret)).apply((values) =>
            Object.fromEntries(enrolled.map((username, i) => [username, values[i] as string])),
        ),
    );
}

/** What the `users` stack output says of a user. */
export interface CognitoUserSummary {
    /** The user's immutable `sub`. */
    sub: pulumi.Output<string>;
    /** Cognito's user status (CONFIRMED once the password is set). */
    status: pulumi.Output<string>;
}

/**
 * One UserGroup per group named by any user (`<name>-group-<group>`) and one CognitoUser per user
 * (`<name>-user-<username case-folded>`), as children of `parent`, in the pool `userPoolId`.
 * `rules` are the pool's password rules the provider checks passwords against at preview.
 */
export function declareUsers(
    name: string,
    args: Omit<CognitoUsersArgs, "passwordPolicy" | "customAttributes">,
    rules: PasswordRules,
    parent: pulumi.Resource,
): UsersParts {
    const specs: Record<string, UserSpec> = args.users ?? defaults.users;
    const described = args.groups ?? defaults.groups;
    const groupNames = [
        ...new Set([...Object.keys(described), ...Object.values(specs).flatMap((spec) => spec.groups ?? userDefaults.groups)]),
    ].sort();
    // @pulumi/aws only where a group is declared: users alone need nothing of it.
    const aws = groupNames.length > 0 ? (require("@pulumi/aws/cognito") as typeof awsCognito) : undefined;
    const groups = keyedMap(
        groupNames.map(
            (group) =>
                [
                    group,
                    new aws!.UserGroup(
                        ...transformed(
                            args.transform?.group,
                            `${name}-group-${group}`,
                            { name: group, userPoolId: args.userPoolId, ...groupArgs(hasKey(described, group) ? described[group] : {}) },
                            { parent },
                            {
                                name: "the setting users (each user's groups)",
                                userPoolId: "CognitoUsers' userPoolId",
                                description: "the setting groups",
                                precedence: "the setting groups",
                                roleArn: "the setting groups",
                            },
                        ),
                    ),
                ] as const,
        ),
    );
    const passwords = args.passwords ?? defaults.passwords;
    const users = keyedMap(
        Object.entries(specs).map(([username, spec]) => {
            const memberOf = spec.groups ?? userDefaults.groups;
            return [
                username,
                new CognitoUser(
                    ...transformed(
                        args.transform?.user,
                        // Named by the case-folded username, so a case-only rename is the same resource (an
                        // update, not a create plus a delete of the same user); the alias keeps resources
                        // that earlier versions named by the username as configured.
                        `${name}-user-${caseFolded(username)}`,
                        {
                            userPoolId: args.userPoolId,
                            username,
                            password: passwords[username],
                            attributes: userAttributes(spec),
                            enabled: spec.enabled ?? userDefaults.enabled,
                            groups: memberOf,
                            passwordPolicy: rules,
                            adoptExisting: args.adoptExistingUsers ?? defaults.adoptExistingUsers,
                            // Only for a user the stack enrols, so no other user's inputs change.
                            ...(spec.mfa === "TOTP"
                                ? {
                                      mfa: spec.mfa,
                                      totpGeneration: spec.totpGeneration ?? userDefaults.totpGeneration,
                                      clientId: args.userPoolClientId,
                                  }
                                : {}),
                        },
                        {
                            parent,
                            dependsOn: memberOf.map((group) => groups[group]),
                            aliases: caseFolded(username) === username ? [] : [{ name: `${name}-user-${username}` }],
                        },
                        userOwned,
                    ),
                ),
            ] as const;
        }),
    );
    return { groups, users };
}

/** A group's arguments from its description; only what is set, so a group made by an earlier version shows no change. */
function groupArgs(spec: GroupSpec): Partial<awsCognito.UserGroupArgs> {
    return {
        ...(spec.description !== undefined ? { description: spec.description } : {}),
        ...(spec.precedence !== undefined ? { precedence: spec.precedence } : {}),
        ...(spec.roleArn !== undefined ? { roleArn: spec.roleArn } : {}),
    };
}

/**
 * The `users` stack output: username -> { sub, status }. A user named `__proto__` is left out,
 * with a warning (the user itself is managed as any other): the Pulumi SDK copies output maps key
 * by key onto `{}`, where that key replaces the prototype, and the user's `sub` and `status` would
 * then be published as users named "sub" and "status".
 */
export function usersOutput(users: Record<string, CognitoUser>): Record<string, CognitoUserSummary> {
    const summaries: [string, CognitoUserSummary][] = [];
    for (const [username, user] of Object.entries(users)) {
        if (username === "__proto__") {
            log.warn(
                "users.__proto__ is left out of the users stack output: the Pulumi SDK cannot export a map key named __proto__; the user itself is managed as usual",
            );
        } else {
            summaries.push([username, { sub: user.sub, status: user.status }]);
        }
    }
    return Object.fromEntries(summaries);
}

/**
 * Users with permanent passwords, and their groups, in a pool made anywhere: this stack's
 * `CognitoUserPool`, another stack's, or one made by hand. Without groups it declares no
 * `@pulumi/aws` resource.
 * @example new CognitoUsers("team", { userPoolId: pool.userPool.id, users: { alice: { email: "alice@example.com" } }, passwords: { alice: config.requireSecret("alicePassword") } })
 */
export class CognitoUsers extends ComponentResource {
    /** The pool the users are in. */
    public readonly userPoolId: pulumi.Output<string>;
    /** The pool's region: the prefix of its id. */
    public readonly region: pulumi.Output<string>;
    /** Groups by name (a map without a prototype: names come from config). */
    public readonly groups: Record<string, awsCognito.UserGroup>;
    /** Users by username (a map without a prototype: names come from config). */
    public readonly users: Record<string, CognitoUser>;

    constructor(name: string, args: CognitoUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cognito-auth:index:CognitoUsers", name, {}, opts);
        const { transform: _transform, customAttributes, ...settings } = args;
        const problems = validateArgs(settings, {
            knownCustomAttributes: customAttributes,
            component: { name: "CognitoUsers", takes: Object.keys(takes) },
        });
        if (problems.length > 0) throw new Error(`CognitoUsers "${name}" has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        this.userPoolId = output(args.userPoolId);
        this.region = this.userPoolId.apply(userPoolRegion);
        const parts = declareUsers(name, args, passwordRulesOf(args.passwordPolicy, true), this);
        this.groups = parts.groups;
        this.users = parts.users;
        this.registerOutputs({ userPoolId: this.userPoolId });
    }
}
