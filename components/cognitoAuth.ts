import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CognitoUser } from "../providers/cognitoUser";
import { PasswordRules, userProblems } from "../providers/rules";

/** MFA modes of a user pool. */
export const mfaModes = ["OFF", "OPTIONAL", "ON"] as const;
export type MfaMode = (typeof mfaModes)[number];

/** A user as described in stack config (`cognito-auth:users.<username>`). */
export interface UserSpec {
    /** The user's email; also marked verified so account recovery by email works. */
    email?: string;
    /** Further Cognito attributes, name -> value (`custom:<name>` for declared custom attributes). @default {} */
    attributes?: Record<string, string>;
    /** Whether the user may sign in. @default true */
    enabled?: boolean;
    /** Groups the user belongs to; each group named anywhere is created in the pool. @default [] */
    groups?: string[];
}

/** The pool's password policy. */
export interface PasswordPolicy extends PasswordRules {
    /** Days a temporary password stays valid. */
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

export interface CognitoAuthArgs {
    /** Name of the user pool. @default the component's name */
    userPoolName?: string;
    /** Name of the app client. @default `<userPoolName>-client` */
    clientName?: string;
    /** Name of the identity pool. @default `<userPoolName>-identities` */
    identityPoolName?: string;
    /** Give guests (unauthenticated identities) credentials of their own role. @default false */
    allowUnauthenticatedIdentities?: boolean;
    /** MFA: OFF, OPTIONAL (users may enrol TOTP) or ON (every user must). @default "OPTIONAL" */
    mfa?: MfaMode;
    /**
     * Password policy; unset fields keep their default.
     * @default { minimumLength: 12, requireLowercase/Uppercase/Numbers/Symbols: true, temporaryPasswordValidityDays: 7 }
     */
    passwordPolicy?: Partial<PasswordPolicy>;
    /** Refuse to delete the user pool while this is on. @default true */
    deletionProtection?: boolean;
    /** Give the app client a secret (SDK clients must then send SECRET_HASH). @default false */
    generateClientSecret?: boolean;
    /** Token lifetimes. @default { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 } */
    tokenValidity?: Partial<TokenValidity>;
    /** Custom attributes (mutable strings) declared in the pool's schema, without `custom:`. @default [] */
    customAttributes?: string[];
    /** Managed policy ARNs attached to the authenticated role. @default [] (no permissions) */
    authenticatedPolicyArns?: string[];
    /** Managed policy ARNs attached to the unauthenticated role. @default [] (no permissions) */
    unauthenticatedPolicyArns?: string[];
    /** Users by username. @default {} */
    users?: Record<string, UserSpec>;
    /** Permanent passwords by username; every user needs one. Always stored as secrets. @default {} */
    passwords?: Record<string, pulumi.Input<string>>;
    /** Manage users that already exist in the pool instead of failing. @default false */
    adoptExistingUsers?: boolean;
}

export const defaultPasswordPolicy: PasswordPolicy = {
    minimumLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 7,
};

export const defaultTokenValidity: TokenValidity = { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 };

/** The auth flows the app client allows: password sign-in (as the AWS CLI setup does), SRP and refresh. */
export const clientAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

/**
 * Problems with the component's plain arguments, each naming the setting or user and the rule.
 * Pure, so the stack-config reader and tests can call it; the constructor throws on any.
 */
export function validateArgs(args: CognitoAuthArgs): string[] {
    const problems: string[] = [];
    if (args.mfa !== undefined && !mfaModes.includes(args.mfa)) {
        problems.push(`mfa: "${args.mfa}" is not an MFA mode; use one of ${mfaModes.join(", ")}`);
    }
    const policy = { ...defaultPasswordPolicy, ...args.passwordPolicy };
    if (!Number.isInteger(policy.minimumLength) || policy.minimumLength < 6 || policy.minimumLength > 99) {
        problems.push(`passwordPolicy.minimumLength: must be a whole number from 6 to 99 (Cognito's range)`);
    }
    if (!Number.isInteger(policy.temporaryPasswordValidityDays) || policy.temporaryPasswordValidityDays < 0 || policy.temporaryPasswordValidityDays > 365) {
        problems.push(`passwordPolicy.temporaryPasswordValidityDays: must be a whole number from 0 to 365`);
    }
    for (const flag of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"] as const) {
        if (typeof policy[flag] !== "boolean") problems.push(`passwordPolicy.${flag}: must be true or false`);
    }
    const tokens = { ...defaultTokenValidity, ...args.tokenValidity };
    for (const [key, min, max] of [["accessTokenMinutes", 5, 1440], ["idTokenMinutes", 5, 1440], ["refreshTokenDays", 1, 3650]] as const) {
        if (!Number.isInteger(tokens[key]) || tokens[key] < min || tokens[key] > max) {
            problems.push(`tokenValidity.${key}: must be a whole number from ${min} to ${max}`);
        }
    }
    for (const custom of args.customAttributes ?? []) {
        if (!/^[A-Za-z0-9_-]{1,20}$/.test(custom)) {
            problems.push(`customAttributes: "${custom}" must be 1-20 letters, digits, "_" or "-" (without the "custom:" prefix)`);
        }
    }
    for (const [key, arns] of [["authenticatedPolicyArns", args.authenticatedPolicyArns], ["unauthenticatedPolicyArns", args.unauthenticatedPolicyArns]] as const) {
        for (const arn of arns ?? []) {
            if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(arn)) problems.push(`${key}: "${arn}" is not an IAM policy ARN`);
        }
    }
    if (args.unauthenticatedPolicyArns?.length && !args.allowUnauthenticatedIdentities) {
        problems.push("unauthenticatedPolicyArns: set allowUnauthenticatedIdentities to true, or there is no unauthenticated role to attach them to");
    }
    problems.push(...configuredUserProblems(args.users ?? {}, Object.keys(args.passwords ?? {}), args.customAttributes ?? []));
    return problems;
}

/** Problems with the configured users and their passwords, as `users.<name>: ...` messages. */
function configuredUserProblems(users: Record<string, UserSpec>, passwordNames: string[], customAttributes: string[]): string[] {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const [username, spec] of Object.entries(users)) {
        const say = (problem: string) => problems.push(`users.${username}: ${problem}`);
        // Usernames are case-insensitive in the pool, so these would be one user.
        const folded = username.toLowerCase();
        if (seen.has(folded)) say(`same username as users.${seen.get(folded)} (usernames are case-insensitive)`);
        seen.set(folded, username);
        if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
            userProblems({ username }).forEach(([, problem]) => say(problem));
            say("must be an object with optional email, attributes, enabled and groups");
            continue;
        }
        const unknownKeys = Object.keys(spec).filter((k) => !["email", "attributes", "enabled", "groups"].includes(k));
        if (unknownKeys.length) say(`unknown setting ${unknownKeys.join(", ")}; allowed: email, attributes, enabled, groups`);
        const user = { username, attributes: userAttributes(spec), groups: spec.groups, enabled: spec.enabled };
        userProblems(user, undefined, customAttributes).forEach(([, problem]) => say(problem));
        if (!passwordNames.includes(username)) {
            say(`has no password; set one with: pulumi config set --secret --path 'passwords.${username}' '<password>'`);
        }
    }
    for (const name of passwordNames) {
        if (!(name in users)) problems.push(`passwords.${name}: password for a user that is not in cognito-auth:users`);
    }
    return problems;
}

/**
 * A user's Cognito attributes: `email` (marked verified) merged under the explicit attributes.
 * Cognito attributes are strings; `pulumi config set --path` stores true/false and integers as
 * booleans and numbers, so those are turned back into strings.
 */
export function userAttributes(spec: UserSpec): Record<string, string> {
    const attributes: Record<string, unknown> = { ...(spec.email === undefined ? {} : { email: spec.email, email_verified: "true" }), ...spec.attributes };
    return Object.fromEntries(Object.entries(attributes).map(([name, value]) =>
        [name, typeof value === "boolean" || typeof value === "number" ? String(value) : value])) as Record<string, string>;
}

/**
 * The trust policy of an identity-pool role: only this identity pool (`aud`) and only identities
 * of the given kind (`amr`) may assume it. Without `aud` any identity pool could.
 */
export function roleTrustPolicy(identityPoolId: string, kind: "authenticated" | "unauthenticated") {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: "cognito-identity.amazonaws.com" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: { "cognito-identity.amazonaws.com:aud": identityPoolId },
                "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": kind },
            },
        }],
    };
}

/**
 * Cognito authentication as code: a user pool with secure defaults, an app client for password
 * sign-in, an identity pool handing out role credentials, and users with permanent passwords.
 */
export class CognitoAuth extends pulumi.ComponentResource {
    public readonly userPool: aws.cognito.UserPool;
    public readonly userPoolClient: aws.cognito.UserPoolClient;
    public readonly identityPool: aws.cognito.IdentityPool;
    public readonly authenticatedRole: aws.iam.Role;
    /** Only when `allowUnauthenticatedIdentities` is true. */
    public readonly unauthenticatedRole?: aws.iam.Role;
    public readonly roleAttachment: aws.cognito.IdentityPoolRoleAttachment;
    public readonly groups: Record<string, aws.cognito.UserGroup>;
    public readonly users: Record<string, CognitoUser>;
    /** The client secret (a Pulumi secret); only when `generateClientSecret` is true. */
    public readonly clientSecret?: pulumi.Output<string>;

    constructor(name: string, args: CognitoAuthArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("cognito-auth:index:CognitoAuth", name, {}, opts);
        const problems = validateArgs(args);
        if (problems.length > 0) {
            throw new Error(`CognitoAuth "${name}" has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        }
        const poolName = args.userPoolName ?? name;
        const passwordPolicy = { ...defaultPasswordPolicy, ...args.passwordPolicy };

        this.userPool = this.createUserPool(name, poolName, args, passwordPolicy);
        this.userPoolClient = this.createClient(name, args.clientName ?? `${poolName}-client`, args);
        this.identityPool = new aws.cognito.IdentityPool(`${name}-identities`, {
            identityPoolName: args.identityPoolName ?? `${poolName}-identities`,
            allowUnauthenticatedIdentities: args.allowUnauthenticatedIdentities ?? false,
            allowClassicFlow: false,
            cognitoIdentityProviders: [{
                clientId: this.userPoolClient.id,
                providerName: this.userPool.endpoint, // cognito-idp.<region>.amazonaws.com/<pool id>
                serverSideTokenCheck: true,
            }],
        }, { parent: this });

        this.authenticatedRole = this.createRole(name, "authenticated", args.authenticatedPolicyArns ?? []);
        if (args.allowUnauthenticatedIdentities) {
            this.unauthenticatedRole = this.createRole(name, "unauthenticated", args.unauthenticatedPolicyArns ?? []);
        }
        this.roleAttachment = new aws.cognito.IdentityPoolRoleAttachment(`${name}-roles`, {
            identityPoolId: this.identityPool.id,
            roles: {
                authenticated: this.authenticatedRole.arn,
                ...(this.unauthenticatedRole ? { unauthenticated: this.unauthenticatedRole.arn } : {}),
            },
        }, { parent: this });

        this.groups = this.createGroups(name, args.users ?? {});
        this.users = this.createUsers(name, args, passwordPolicy);
        if (args.generateClientSecret) this.clientSecret = pulumi.secret(this.userPoolClient.clientSecret);

        this.registerOutputs({
            userPoolId: this.userPool.id,
            userPoolClientId: this.userPoolClient.id,
            identityPoolId: this.identityPool.id,
            authenticatedRoleArn: this.authenticatedRole.arn,
            unauthenticatedRoleArn: this.unauthenticatedRole?.arn,
        });
    }

    private createUserPool(name: string, poolName: string, args: CognitoAuthArgs, policy: PasswordPolicy) {
        const mfa = args.mfa ?? "OPTIONAL";
        return new aws.cognito.UserPool(`${name}-pool`, {
            name: poolName,
            usernameConfiguration: { caseSensitive: false },
            passwordPolicy: policy,
            mfaConfiguration: mfa,
            ...(mfa === "OFF" ? {} : { softwareTokenMfaConfiguration: { enabled: true } }),
            autoVerifiedAttributes: ["email"],
            // A changed email only takes effect once the user verifies it.
            userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
            accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
            // Only administrators (this stack) create users; nobody signs up on their own.
            adminCreateUserConfig: { allowAdminCreateUserOnly: true },
            deletionProtection: (args.deletionProtection ?? true) ? "ACTIVE" : "INACTIVE",
            schemas: (args.customAttributes ?? []).map((attribute) => ({
                name: attribute,
                attributeDataType: "String",
                mutable: true,
                developerOnlyAttribute: false,
                required: false,
                stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
            })),
        }, { parent: this });
    }

    private createClient(name: string, clientName: string, args: CognitoAuthArgs) {
        const tokens = { ...defaultTokenValidity, ...args.tokenValidity };
        return new aws.cognito.UserPoolClient(`${name}-client`, {
            name: clientName,
            userPoolId: this.userPool.id,
            generateSecret: args.generateClientSecret ?? false,
            explicitAuthFlows: clientAuthFlows,
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
            accessTokenValidity: tokens.accessTokenMinutes,
            idTokenValidity: tokens.idTokenMinutes,
            refreshTokenValidity: tokens.refreshTokenDays,
            tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
        }, { parent: this });
    }

    private createRole(name: string, kind: "authenticated" | "unauthenticated", policyArns: string[]) {
        const role = new aws.iam.Role(`${name}-${kind}`, {
            description: `Assumed by ${kind} identities of the Cognito identity pool of ${name}`,
            assumeRolePolicy: this.identityPool.id.apply((id) => JSON.stringify(roleTrustPolicy(id, kind))),
        }, { parent: this });
        policyArns.forEach((policyArn, index) => new aws.iam.RolePolicyAttachment(`${name}-${kind}-policy-${index}`, {
            role: role.name,
            policyArn,
        }, { parent: this }));
        return role;
    }

    private createGroups(name: string, users: Record<string, UserSpec>) {
        const groupNames = [...new Set(Object.values(users).flatMap((spec) => spec.groups ?? []))].sort();
        return Object.fromEntries(groupNames.map((group) => [group, new aws.cognito.UserGroup(`${name}-group-${group}`, {
            name: group,
            userPoolId: this.userPool.id,
        }, { parent: this })]));
    }

    private createUsers(name: string, args: CognitoAuthArgs, policy: PasswordPolicy) {
        const { temporaryPasswordValidityDays: _unused, ...passwordRules } = policy;
        return Object.fromEntries(Object.entries(args.users ?? {}).map(([username, spec]) => {
            const groups = spec.groups ?? [];
            return [username, new CognitoUser(`${name}-user-${username}`, {
                userPoolId: this.userPool.id,
                username,
                password: args.passwords![username],
                attributes: userAttributes(spec),
                enabled: spec.enabled ?? true,
                groups,
                passwordPolicy: passwordRules,
                adoptExisting: args.adoptExistingUsers ?? false,
            }, { parent: this, dependsOn: groups.map((group) => this.groups[group]) })];
        }));
    }
}
