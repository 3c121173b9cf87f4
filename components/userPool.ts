import * as awsCognito from "@pulumi/aws/cognito";
import type * as pulumi from "@pulumi/pulumi";
import { ComponentResource, secret } from "../lib/sdk";
import { PoolGuard } from "./poolGuard";
import type { PasswordRules } from "../providers/rules";
import { ownedPasswordPolicy, passwordRulesOf, tokenValidityOf } from "./resolved";
import { defaults } from "./settings";
import { transformed } from "./transform";
import type { FeaturePlan, Transform, UserPoolSettings } from "./types";
import { validateArgs } from "./validation";

// A user pool with secure defaults and an app client for password sign-in. `declareUserPool`
// declares them under any parent: `CognitoUserPool` below (the component on its own) and
// `CognitoAuth`, as its own children (./cognitoAuth.ts says why it does not nest this component).

/** The auth flows the app client allows: password sign-in (as the AWS CLI setup does), SRP and refresh. */
export const clientAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

/**
 * The client's flows for a plan: choice-based sign-in (`ALLOW_USER_AUTH`, the sign-in factors) beside
 * password sign-in where the plan has it (ESSENTIALS and PLUS; a LITE pool has no sign-in policy).
 */
export const clientAuthFlowsFor = (plan: FeaturePlan): string[] =>
    plan === "LITE" ? clientAuthFlows : [...clientAuthFlows, "ALLOW_USER_AUTH"];

/** Changes to the children's arguments and options that the settings do not name. */
export interface UserPoolTransforms {
    /** The `aws.cognito.UserPool`. */
    userPool?: Transform<awsCognito.UserPoolArgs>;
    /** The `aws.cognito.UserPoolClient`. */
    client?: Transform<awsCognito.UserPoolClientArgs>;
}

/** Arguments of `CognitoUserPool`: the user-pool settings of the stack, each described in ./types.ts. */
export interface CognitoUserPoolArgs extends UserPoolSettings {
    /** @example { userPool: { tags: { team: "auth" } } } */
    transform?: UserPoolTransforms;
}

/** The settings `CognitoUserPool` takes (the compiler requires every key of UserPoolSettings). */
const takes: { readonly [K in keyof UserPoolSettings]-?: true } = {
    userPoolName: true,
    clientName: true,
    mfa: true,
    passwordPolicy: true,
    generateClientSecret: true,
    tokenValidity: true,
    customAttributes: true,
    deletionProtection: true,
    featurePlan: true,
    threatProtection: true,
    signInFactors: true,
    webAuthn: true,
    emailSender: true,
};

/** What `declareUserPool` declared. */
export interface UserPoolParts {
    userPool: awsCognito.UserPool;
    userPoolClient: awsCognito.UserPoolClient;
    /** The client secret (a Pulumi secret); only when `generateClientSecret` is true. */
    clientSecret?: pulumi.Output<string>;
    /** The pool's region, from its endpoint (`cognito-idp.<region>.amazonaws.com/<id>`). */
    region: pulumi.Output<string>;
    /** What the pools of a created pool take: Pulumi's `protect` when deletion protection is on, and the guard. */
    protect: pulumi.CustomResourceOptions;
}

/**
 * The pool, its client and the guard of its name (./poolGuard.ts), as children of `parent`, named
 * `<name>-pool`, `<name>-client`, `<name>-pool-guard`. `identityPoolName` is the set name of an
 * identity pool declared beside it, whose rename the same guard refuses.
 */
export function declareUserPool(
    name: string,
    args: CognitoUserPoolArgs,
    parent: pulumi.Resource,
    identityPoolName?: string,
): UserPoolParts {
    const poolName = args.userPoolName ?? name;
    // Pulumi's protect beside AWS's deletion protection: the engine refuses, at preview, a change that
    // would replace a protected resource (AWS would refuse only the final delete, after the new pool and
    // its users were made). Unset rather than false when off, so a `protect` given to the parent still
    // reaches them.
    const deletionProtection = args.deletionProtection ?? defaults.deletionProtection;
    // Before the engine's own refusal, one that says what would be lost; the pools depend on it, so
    // they are not even registered when it refuses.
    const guard = new PoolGuard(`${name}-pool-guard`, { userPoolName: poolName, identityPoolName, deletionProtection }, { parent });
    const protect = { ...(deletionProtection ? { protect: true } : {}), dependsOn: [guard] };
    const mfa = args.mfa ?? defaults.mfa;
    const plan = args.featurePlan ?? defaults.featurePlan;
    const sender = args.emailSender;
    const userPool = new awsCognito.UserPool(
        ...transformed(
            args.transform?.userPool,
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
                deletionProtection: deletionProtection ? "ACTIVE" : "INACTIVE",
                // Each of these is always given, so a preview shows it and unsetting a setting restores its
                // default in AWS (the provider would otherwise keep what AWS last had).
                userPoolTier: plan,
                userPoolAddOns: { advancedSecurityMode: args.threatProtection ?? defaults.threatProtection },
                emailConfiguration: sender
                    ? {
                          emailSendingAccount: "DEVELOPER",
                          sourceArn: sender.sourceArn,
                          ...(sender.from !== undefined ? { fromEmailAddress: sender.from } : {}),
                          ...(sender.replyTo !== undefined ? { replyToEmailAddress: sender.replyTo } : {}),
                      }
                    : { emailSendingAccount: "COGNITO_DEFAULT" },
                // A LITE pool has no sign-in policy (AWS: "Essentials tier or higher").
                ...(plan === "LITE"
                    ? {}
                    : { signInPolicy: { allowedFirstAuthFactors: [...(args.signInFactors ?? defaults.signInFactors)] } }),
                ...(args.webAuthn
                    ? {
                          webAuthnConfiguration: {
                              relyingPartyId: args.webAuthn.relyingPartyId,
                              userVerification: args.webAuthn.userVerification ?? "preferred",
                          },
                      }
                    : {}),
                schemas: (args.customAttributes ?? defaults.customAttributes).map((attribute) => ({
                    name: attribute,
                    attributeDataType: "String",
                    mutable: true,
                    developerOnlyAttribute: false,
                    required: false,
                    stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
                })),
            },
            { parent, ...protect },
            {
                name: "the setting userPoolName",
                usernameConfiguration: "CognitoUserPool (case-insensitive usernames, which the users' checks rely on)",
                passwordPolicy: "the setting passwordPolicy",
                mfaConfiguration: "the setting mfa",
                softwareTokenMfaConfiguration: "the setting mfa",
                deletionProtection: "the setting deletionProtection",
                userPoolTier: "the setting featurePlan",
                userPoolAddOns: "the setting threatProtection",
                emailConfiguration: "the setting emailSender",
                signInPolicy: "the setting signInFactors",
                webAuthnConfiguration: "the setting webAuthn",
                schemas: "the setting customAttributes",
            },
        ),
    );
    const tokens = tokenValidityOf(args);
    const userPoolClient = new awsCognito.UserPoolClient(
        ...transformed(
            args.transform?.client,
            `${name}-client`,
            {
                name: args.clientName ?? `${poolName}-client`,
                userPoolId: userPool.id,
                generateSecret: args.generateClientSecret ?? defaults.generateClientSecret,
                explicitAuthFlows: clientAuthFlowsFor(plan),
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                accessTokenValidity: tokens.accessTokenMinutes,
                idTokenValidity: tokens.idTokenMinutes,
                refreshTokenValidity: tokens.refreshTokenDays,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
            },
            { parent },
            {
                name: "the setting clientName",
                userPoolId: "CognitoUserPool",
                generateSecret: "the setting generateClientSecret",
                explicitAuthFlows: "CognitoUserPool (password sign-in, which the stack's users rely on, and the setting featurePlan)",
                accessTokenValidity: "the setting tokenValidity",
                idTokenValidity: "the setting tokenValidity",
                refreshTokenValidity: "the setting tokenValidity",
                tokenValidityUnits: "the setting tokenValidity",
            },
        ),
    );
    return {
        userPool,
        userPoolClient,
        ...(args.generateClientSecret ? { clientSecret: secret(userPoolClient.clientSecret) } : {}),
        region: userPool.endpoint.apply((endpoint) => endpoint.split(".")[1]),
        protect,
    };
}

/**
 * A Cognito user pool with secure defaults (case-insensitive usernames, a strong password policy,
 * TOTP MFA available, administrators-only sign-up, deletion protection) and an app client for
 * password and SRP sign-in. Give `userPool.id` to `CognitoUsers` for its users and the pool and
 * client to `CognitoIdentity` for role credentials.
 * @example new CognitoUserPool("auth", { userPoolName: "my-app", mfa: "ON" })
 */
export class CognitoUserPool extends ComponentResource {
    public readonly userPool: awsCognito.UserPool;
    public readonly userPoolClient: awsCognito.UserPoolClient;
    /** The client secret (a Pulumi secret); only when `generateClientSecret` is true. */
    public readonly clientSecret?: pulumi.Output<string>;
    /** The pool's region. */
    public readonly region: pulumi.Output<string>;
    /** The pool's password rules: give them to `CognitoUsers` (`passwordPolicy`), so its users' passwords are checked at preview against this pool's policy. */
    public readonly passwordRules: PasswordRules;
    /** The custom attributes the pool declares: give them to `CognitoUsers` (`customAttributes`). */
    public readonly customAttributes: string[];

    constructor(name: string, args: CognitoUserPoolArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("cognito-auth:index:CognitoUserPool", name, {}, opts);
        const { transform: _transform, ...settings } = args;
        const problems = validateArgs(settings, { component: { name: "CognitoUserPool", takes: Object.keys(takes) } });
        if (problems.length > 0) throw new Error(`CognitoUserPool "${name}" has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        const parts = declareUserPool(name, args, this);
        this.userPool = parts.userPool;
        this.userPoolClient = parts.userPoolClient;
        this.clientSecret = parts.clientSecret;
        this.region = parts.region;
        this.passwordRules = passwordRulesOf(args.passwordPolicy, false);
        this.customAttributes = [...(args.customAttributes ?? defaults.customAttributes)];
        this.registerOutputs({ userPoolId: this.userPool.id, userPoolClientId: this.userPoolClient.id });
    }
}
