import * as awsCognito from "@pulumi/aws/cognito";
import * as awsIam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { CognitoUser } from "../providers/cognitoUser";
import { PoolGuard } from "./poolGuard";
import { PasswordRules, caseFolded, cognitoDefaultPasswordRules, passwordProblems, userPoolRegion, userProblems } from "../providers/rules";
import { setSecretAdvice } from "../lib/shell";
import {
    Field,
    Fields,
    Setting,
    defaults,
    fieldProblems,
    hasKey,
    mfaModes,
    passwordPolicyFields,
    settings,
    tokenValidityFields,
    userDefaults,
    userSpecFields,
} from "./settings";

// The two services of @pulumi/aws the component uses, under the usual `aws.` names: the whole
// package loads every service (0.3-1 s on each command), also with an existing pool, which declares
// nothing from it unless a user has groups. A namespace, so `aws.cognito.UserPool` is a type and a value.
// eslint-disable-next-line @typescript-eslint/no-namespace
namespace aws {
    export import cognito = awsCognito;
    export import iam = awsIam;
}

/** MFA modes of a user pool. */
export { mfaModes };
export type MfaMode = (typeof mfaModes)[number];

/** A user as described in stack config (`cognito-auth:users.<username>`). */
export interface UserSpec {
    /** The user's email; also marked verified so account recovery by email works. */
    email?: string;
    /** Further Cognito attributes, name -> value (`custom:<name>` for custom attributes). @default {} */
    attributes?: Record<string, string>;
    /** Whether the user may sign in. @default true */
    enabled?: boolean;
    /** Groups the user belongs to; each group named anywhere is created in the pool. @default [] */
    groups?: string[];
}

/** The pool's password policy. */
export interface PasswordPolicy extends PasswordRules {
    /** Days a temporary password stays valid (only for a pool this stack creates). */
    temporaryPasswordValidityDays: number;
}

/** Token lifetimes of the app client. */
export interface TokenValidity {
    /** Access token lifetime in minutes (5-1440). */
    accessTokenMinutes: number;
    /** ID token lifetime in minutes (5-1440). */
    idTokenMinutes: number;
    /** Refresh token lifetime in days (1-3650). */
    refreshTokenDays: number;
}

/**
 * Arguments of `CognitoAuth`; each is also a `cognito-auth:` config key (see ./settings.ts, the
 * table that validates them and states their defaults: test/configDocs.test.ts checks each
 * `@default` here against it). With `userPoolId` the component manages only users and groups of
 * that existing pool, and the settings marked "owned pool only" are refused.
 */
export interface CognitoAuthArgs {
    /**
     * An existing user pool (`<region>_<id>`, e.g. `us-east-1_AbC123xyz`) whose users and groups
     * this component manages: it then creates no pool, client, identity pool or roles.
     * @default unset: a pool is created
     */
    userPoolId?: pulumi.Input<string>;
    /** Name of the user pool. Owned pool only. @default `cognito-auth-<stack>` from stack config; the component's name otherwise */
    userPoolName?: string;
    /** Name of the app client. Owned pool only. @default `<userPoolName>-client` */
    clientName?: string;
    /**
     * Name of the identity pool. Owned pool only. Unset, the name the identity pool was created with
     * is kept (`ignoreChanges`): Cognito replaces an identity pool whose name changes.
     * @default `<project>-<stack>-identities` (from the stack, not from `userPoolName`)
     */
    identityPoolName?: string;
    /** Give guests (unauthenticated identities) credentials of their own role. Owned pool only. @default false */
    allowUnauthenticatedIdentities?: boolean;
    /** Users by username. @default {} */
    users?: Record<string, UserSpec>;
    /** Permanent passwords by username; every user needs one. Always stored as secrets. @default {} */
    passwords?: Record<string, pulumi.Input<string>>;
    /** MFA: OFF, OPTIONAL (users may enrol TOTP) or ON (every user must). Owned pool only. @default "OPTIONAL" */
    mfa?: MfaMode;
    /**
     * Password policy; unset fields keep their default. For an existing pool it describes that
     * pool's policy (only the four classes and `minimumLength`), so passwords are checked at preview.
     * @default created pool: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true,
     * requireSymbols: true, temporaryPasswordValidityDays: 7 }; existing pool: Cognito's default, { minimumLength: 8,
     * requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true }
     */
    passwordPolicy?: Partial<PasswordPolicy>;
    /**
     * AWS's deletion protection on the user pool, and Pulumi's `protect` on the user pool and the
     * identity pool, so that a change that would replace or delete either fails at preview. Owned pool only.
     * @default true
     */
    deletionProtection?: boolean;
    /** Give the app client a secret (SDK clients must then send SECRET_HASH). Owned pool only. @default false */
    generateClientSecret?: boolean;
    /** Token lifetimes. Owned pool only. @default { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 } */
    tokenValidity?: Partial<TokenValidity>;
    /** Custom attributes (mutable strings) declared in the pool's schema, without `custom:`. Owned pool only. @default [] */
    customAttributes?: string[];
    /** Managed policy ARNs attached to the authenticated role (none: no permissions). Owned pool only. @default [] */
    authenticatedPolicyArns?: string[];
    /** Managed policy ARNs attached to the unauthenticated role (none: no permissions). Owned pool only. @default [] */
    unauthenticatedPolicyArns?: string[];
    /** Manage users that already exist in the pool instead of failing. @default false */
    adoptExistingUsers?: boolean;
}

/** The auth flows the app client allows: password sign-in (as the AWS CLI setup does), SRP and refresh. */
export const clientAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A map without a prototype, so keys from config such as `__proto__` or `constructor` are plain keys. */
export function keyedMap<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
    const map: Record<string, T> = Object.create(null);
    for (const [key, value] of entries) map[key] = value;
    return map;
}

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

/** The password rules passwords are checked against: `passwordPolicy` over the mode's default. */
export function passwordRulesOf(args: CognitoAuthArgs): PasswordRules {
    const { temporaryPasswordValidityDays: _unused, ...ownedDefault } = defaults.passwordPolicy;
    return validFields(
        args.userPoolId === undefined ? ownedDefault : cognitoDefaultPasswordRules,
        passwordPolicyFields,
        args.passwordPolicy,
    );
}

/** The password policy of a pool this stack creates. */
export function ownedPasswordPolicy(args: CognitoAuthArgs): PasswordPolicy {
    return validFields(defaults.passwordPolicy, passwordPolicyFields, args.passwordPolicy);
}

/** The token lifetimes of the app client of a pool this stack creates. */
export function tokenValidityOf(args: CognitoAuthArgs): TokenValidity {
    return validFields(defaults.tokenValidity, tokenValidityFields, args.tokenValidity);
}

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
}

/**
 * Problems with the component's plain arguments, each naming the setting or user (with its key
 * path, e.g. `passwordPolicy.minimumLength`) and the rule. Every argument and nested key is checked
 * against the table in ./settings.ts; an unknown key is an error listing the known ones. Pure, so
 * the stack-config reader and tests can call it; the constructor throws on any.
 */
export function validateArgs(args: CognitoAuthArgs, options: ValidationOptions = {}): string[] {
    const prefix = options.keyPrefix ?? "";
    const problems: string[] = [];
    const say = (path: string, problem: string) => problems.push(`${prefix}${path}: ${problem}`);
    const existingPool = args.userPoolId !== undefined;
    const ownedOnly = () => `applies only to a pool this stack creates; remove it, or unset ${prefix}userPoolId`;
    const values = args as Record<string, unknown>;
    for (const key of Object.keys(values)) {
        const value = values[key];
        if (value === undefined) continue;
        if (!hasKey(settings, key)) {
            say(key, `unknown setting; known: ${Object.keys(settings).join(", ")}`);
            continue;
        }
        const setting: Setting = (settings as Record<string, Setting>)[key];
        if (existingPool && setting.ownedPoolOnly) {
            say(key, ownedOnly());
            continue;
        }
        // An id from another stack (an Output) is checked by AWS; a plain one here.
        if (key === "userPoolId" && (pulumi.Output.isInstance(value) || value instanceof Promise)) continue;
        const shape = setting.check?.(value) ?? [];
        shape.forEach((problem) => say(key, problem));
        if (shape.length === 0 && setting.fields && key !== "users")
            fieldProblems(key, value as Record<string, unknown>, setting.fields, existingPool, say, ownedOnly);
    }
    if (!existingPool && args.unauthenticatedPolicyArns?.length && !args.allowUnauthenticatedIdentities) {
        say(
            "unauthenticatedPolicyArns",
            `set ${prefix}allowUnauthenticatedIdentities to true, or there is no unauthenticated role to attach them to`,
        );
    }
    const users = isMap(args.users) ? args.users : {};
    const passwords = isMap(args.passwords) ? args.passwords : {};
    const plainPasswords =
        options.plainPasswords ??
        keyedMap(Object.entries(passwords).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    // With an existing pool its schema is unknown: any well-formed custom: attribute passes.
    const customAttributes = existingPool ? undefined : Array.isArray(args.customAttributes) ? args.customAttributes : [];
    configuredUserProblems(users, passwords, plainPasswords, passwordRulesOf(args), customAttributes, existingPool, prefix, say, ownedOnly);
    return problems;
}

/** Problems with the configured users and their passwords, as `users.<name>: ...` / `passwords.<name>: ...`. */
function configuredUserProblems(
    users: Record<string, unknown>,
    passwords: Record<string, unknown>,
    plainPasswords: Record<string, string>,
    rules: PasswordRules,
    customAttributes: readonly string[] | undefined,
    existingPool: boolean,
    prefix: string,
    say: (path: string, problem: string) => void,
    ownedOnly: (path: string) => string,
): void {
    const seen = new Map<string, string>();
    for (const [username, spec] of Object.entries(users)) {
        const where = `users.${username}`;
        const sayUser = (problem: string) => say(where, problem);
        // Usernames are case-insensitive in the pool, so these would be one user.
        const folded = caseFolded(username);
        if (seen.has(folded)) sayUser(`same username as ${prefix}users.${seen.get(folded)} (usernames are case-insensitive)`);
        seen.set(folded, username);
        if (!isMap(spec)) {
            userProblems({ username }).forEach(([, problem]) => sayUser(problem));
            sayUser(`must be an object with optional ${Object.keys(userSpecFields).join(", ")}`);
            continue;
        }
        fieldProblems(where, spec, userSpecFields, existingPool, say, ownedOnly);
        // Attributes that are not a map go to the rules as they are, which say so.
        const attributes = spec.attributes === undefined || isMap(spec.attributes) ? userAttributes(spec as UserSpec) : spec.attributes;
        userProblems({ username, attributes, groups: spec.groups, enabled: spec.enabled }, undefined, customAttributes).forEach(
            ([, problem]) => sayUser(problem),
        );
        if (!hasKey(passwords, username)) {
            sayUser(`has no password; ${setSecretAdvice("passwords", username)}`);
        } else if (hasKey(plainPasswords, username)) {
            passwordProblems(plainPasswords[username], rules, username).forEach((problem) => say(`passwords.${username}`, problem));
        }
    }
    for (const name of Object.keys(passwords)) {
        if (!hasKey(users, name)) say(`passwords.${name}`, `password for a user that is not in ${prefix}users`);
    }
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

/** What the `users` stack output says of a user. */
export interface CognitoUserSummary {
    /** The user's immutable `sub`. */
    sub: pulumi.Output<string>;
    /** Cognito's user status (CONFIRMED once the password is set). */
    status: pulumi.Output<string>;
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
            pulumi.log.warn(
                "users.__proto__ is left out of the users stack output: the Pulumi SDK cannot export a map key named __proto__; the user itself is managed as usual",
            );
        } else {
            summaries.push([username, { sub: user.sub, status: user.status }]);
        }
    }
    return Object.fromEntries(summaries);
}

/**
 * The trust policy of an identity-pool role: only this identity pool (`aud`) and only identities
 * of the given kind (`amr`) may assume it. Without `aud` any identity pool could.
 */
export function roleTrustPolicy(identityPoolId: string, kind: "authenticated" | "unauthenticated") {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: "cognito-identity.amazonaws.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { "cognito-identity.amazonaws.com:aud": identityPoolId },
                    "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": kind },
                },
            },
        ],
    };
}

/**
 * The identity pool's name when `identityPoolName` is unset: from the project and stack, so that
 * renaming the user pool leaves it alone. For the program's default pool name (`<project>-<stack>`)
 * it is the name earlier versions gave it (`<userPoolName>-identities`).
 */
export function defaultIdentityPoolName(): string {
    return `${pulumi.getProject()}-${pulumi.getStack()}-identities`;
}

/**
 * Cognito authentication as code: a user pool with secure defaults, an app client for password
 * sign-in, an identity pool handing out role credentials, and users with permanent passwords.
 * With `userPoolId` it manages only the users and groups of that existing pool: no pool, client,
 * identity pool or roles (and, without groups, no `@pulumi/aws` resource at all).
 */
export class CognitoAuth extends pulumi.ComponentResource {
    /** The id of the pool the users are in: the created pool's, or `userPoolId`. */
    public readonly userPoolId: pulumi.Output<string>;
    /** The pool's region: from the created pool's endpoint, or the prefix of `userPoolId`. */
    public readonly region: pulumi.Output<string>;
    /** The created pool; undefined with `userPoolId`, as are the client, identity pool and roles. */
    public readonly userPool?: aws.cognito.UserPool;
    public readonly userPoolClient?: aws.cognito.UserPoolClient;
    public readonly identityPool?: aws.cognito.IdentityPool;
    public readonly authenticatedRole?: aws.iam.Role;
    /** Only when `allowUnauthenticatedIdentities` is true. */
    public readonly unauthenticatedRole?: aws.iam.Role;
    public readonly roleAttachment?: aws.cognito.IdentityPoolRoleAttachment;
    /** Groups by name (a map without a prototype: names come from config). */
    public readonly groups: Record<string, aws.cognito.UserGroup>;
    /** Users by username (a map without a prototype: names come from config). */
    public readonly users: Record<string, CognitoUser>;
    /** The client secret (a Pulumi secret); only when `generateClientSecret` is true. */
    public readonly clientSecret?: pulumi.Output<string>;

    constructor(name: string, args: CognitoAuthArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("cognito-auth:index:CognitoAuth", name, {}, opts);
        const problems = validateArgs(args);
        if (problems.length > 0) {
            throw new Error(`CognitoAuth "${name}" has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        }
        if (args.userPoolId !== undefined) {
            this.userPoolId = pulumi.output(args.userPoolId);
            this.region = this.userPoolId.apply(userPoolRegion);
        } else {
            const poolName = args.userPoolName ?? name;
            // Pulumi's protect beside AWS's deletion protection: the engine refuses, at preview, a
            // change that would replace a protected resource (AWS would refuse only the final delete,
            // after the new pool and its users were made). Unset rather than false when off, so a
            // `protect` given to the component still reaches them.
            const deletionProtection = args.deletionProtection ?? defaults.deletionProtection;
            // Before the engine's own refusal, one that says what would be lost (./poolGuard.ts);
            // both pools depend on it, so they are not even registered when it refuses.
            const guard = new PoolGuard(
                `${name}-pool-guard`,
                { userPoolName: poolName, identityPoolName: args.identityPoolName, deletionProtection },
                { parent: this },
            );
            const protect = { ...(deletionProtection ? { protect: true } : {}), dependsOn: [guard] };
            this.userPool = this.createUserPool(name, poolName, args, protect);
            this.userPoolClient = this.createClient(name, args.clientName ?? `${poolName}-client`, args, this.userPool);
            this.identityPool = new aws.cognito.IdentityPool(
                `${name}-identities`,
                {
                    identityPoolName: args.identityPoolName ?? defaultIdentityPoolName(),
                    allowUnauthenticatedIdentities: args.allowUnauthenticatedIdentities ?? defaults.allowUnauthenticatedIdentities,
                    allowClassicFlow: false,
                    cognitoIdentityProviders: [
                        {
                            clientId: this.userPoolClient.id,
                            providerName: this.userPool.endpoint, // cognito-idp.<region>.amazonaws.com/<pool id>
                            serverSideTokenCheck: true,
                        },
                    ],
                },
                // A new name replaces the identity pool (every identity id lost). Unless a name is set,
                // keep the one it was made with, whatever default an earlier version derived it from.
                { parent: this, ...protect, ...(args.identityPoolName === undefined ? { ignoreChanges: ["identityPoolName"] } : {}) },
            );
            this.authenticatedRole = this.createRole(
                name,
                "authenticated",
                args.authenticatedPolicyArns ?? defaults.authenticatedPolicyArns,
                this.identityPool,
            );
            if (args.allowUnauthenticatedIdentities) {
                this.unauthenticatedRole = this.createRole(
                    name,
                    "unauthenticated",
                    args.unauthenticatedPolicyArns ?? defaults.unauthenticatedPolicyArns,
                    this.identityPool,
                );
            }
            this.roleAttachment = new aws.cognito.IdentityPoolRoleAttachment(
                `${name}-roles`,
                {
                    identityPoolId: this.identityPool.id,
                    roles: {
                        authenticated: this.authenticatedRole.arn,
                        ...(this.unauthenticatedRole ? { unauthenticated: this.unauthenticatedRole.arn } : {}),
                    },
                },
                // A change of its roles replaces it (terraform-provider-aws: `roles` is ForceNew), and
                // deleting an attachment sets the identity pool's roles to none: deleted after the
                // new one was created, it would leave the pool without roles.
                { parent: this, deleteBeforeReplace: true },
            );
            if (args.generateClientSecret) this.clientSecret = pulumi.secret(this.userPoolClient.clientSecret);
            this.userPoolId = this.userPool.id;
            this.region = this.userPool.endpoint.apply((endpoint) => endpoint.split(".")[1]);
        }

        this.groups = this.createGroups(name, args.users ?? defaults.users);
        this.users = this.createUsers(name, args);

        this.registerOutputs(
            this.userPool
                ? {
                      userPoolId: this.userPoolId,
                      userPoolClientId: this.userPoolClient!.id,
                      identityPoolId: this.identityPool!.id,
                      authenticatedRoleArn: this.authenticatedRole!.arn,
                      ...(this.unauthenticatedRole ? { unauthenticatedRoleArn: this.unauthenticatedRole.arn } : {}),
                  }
                : { userPoolId: this.userPoolId },
        );
    }

    private createUserPool(name: string, poolName: string, args: CognitoAuthArgs, protect: pulumi.CustomResourceOptions) {
        const mfa = args.mfa ?? defaults.mfa;
        return new aws.cognito.UserPool(
            `${name}-pool`,
            {
                name: poolName,
                usernameConfiguration: { caseSensitive: false },
                passwordPolicy: ownedPasswordPolicy(args),
                mfaConfiguration: mfa,
                ...(mfa === "OFF" ? {} : { softwareTokenMfaConfiguration: { enabled: true } }),
                autoVerifiedAttributes: ["email"],
                // A changed email only takes effect once the user verifies it.
                userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
                accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
                // Only administrators (this stack) create users; nobody signs up on their own.
                adminCreateUserConfig: { allowAdminCreateUserOnly: true },
                deletionProtection: (args.deletionProtection ?? defaults.deletionProtection) ? "ACTIVE" : "INACTIVE",
                schemas: (args.customAttributes ?? defaults.customAttributes).map((attribute) => ({
                    name: attribute,
                    attributeDataType: "String",
                    mutable: true,
                    developerOnlyAttribute: false,
                    required: false,
                    stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
                })),
            },
            { parent: this, ...protect },
        );
    }

    private createClient(name: string, clientName: string, args: CognitoAuthArgs, pool: aws.cognito.UserPool) {
        const tokens = tokenValidityOf(args);
        return new aws.cognito.UserPoolClient(
            `${name}-client`,
            {
                name: clientName,
                userPoolId: pool.id,
                generateSecret: args.generateClientSecret ?? defaults.generateClientSecret,
                explicitAuthFlows: clientAuthFlows,
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                accessTokenValidity: tokens.accessTokenMinutes,
                idTokenValidity: tokens.idTokenMinutes,
                refreshTokenValidity: tokens.refreshTokenDays,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
            },
            { parent: this },
        );
    }

    private createRole(
        name: string,
        kind: "authenticated" | "unauthenticated",
        policyArns: string[],
        identityPool: aws.cognito.IdentityPool,
    ) {
        const role = new aws.iam.Role(
            `${name}-${kind}`,
            {
                description: `Assumed by ${kind} identities of the Cognito identity pool of ${name}`,
                assumeRolePolicy: identityPool.id.apply((id) => JSON.stringify(roleTrustPolicy(id, kind))),
            },
            { parent: this },
        );
        policyArns.forEach(
            (policyArn, index) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-${kind}-policy-${index}`,
                    {
                        role: role.name,
                        policyArn,
                    },
                    { parent: this },
                ),
        );
        return role;
    }

    /** One UserGroup per group named by any user, in the pool the users are in. */
    private createGroups(name: string, users: Record<string, UserSpec>) {
        const groupNames = [...new Set(Object.values(users).flatMap((spec) => spec.groups ?? userDefaults.groups))].sort();
        return keyedMap(
            groupNames.map(
                (group) =>
                    [
                        group,
                        new aws.cognito.UserGroup(
                            `${name}-group-${group}`,
                            {
                                name: group,
                                userPoolId: this.userPoolId,
                            },
                            { parent: this },
                        ),
                    ] as const,
            ),
        );
    }

    private createUsers(name: string, args: CognitoAuthArgs) {
        const passwordPolicy = passwordRulesOf(args);
        const passwords = args.passwords ?? defaults.passwords;
        return keyedMap(
            Object.entries(args.users ?? defaults.users).map(([username, spec]) => {
                const groups = spec.groups ?? userDefaults.groups;
                return [
                    username,
                    new CognitoUser(
                        // Named by the case-folded username, so a case-only rename is the same resource
                        // (an update, not a create plus a delete of the same user); the alias keeps
                        // resources that earlier versions named by the username as configured.
                        `${name}-user-${caseFolded(username)}`,
                        {
                            userPoolId: this.userPoolId,
                            username,
                            password: passwords[username],
                            attributes: userAttributes(spec),
                            enabled: spec.enabled ?? userDefaults.enabled,
                            groups,
                            passwordPolicy,
                            adoptExisting: args.adoptExistingUsers ?? defaults.adoptExistingUsers,
                        },
                        {
                            parent: this,
                            dependsOn: groups.map((group) => this.groups[group]),
                            aliases: caseFolded(username) === username ? [] : [{ name: `${name}-user-${username}` }],
                        },
                    ),
                ] as const;
            }),
        );
    }
}
