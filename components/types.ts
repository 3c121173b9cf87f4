import type * as pulumi from "@pulumi/pulumi";
import type { PasswordRules } from "../providers/rules";

// The components' argument types, and the one description of every stack setting: each key of
// `StackSettings` is a `cognito-auth:` config key, and its TSDoc here is what the README's
// configuration table says of it (`npm run docs`, scripts/configDocs.ts). The rules (how config
// stores a key, what a valid value is, its default) are in ./settings.ts. Types only: no code.

/** MFA modes of a user pool. */
export type MfaMode = "OFF" | "OPTIONAL" | "ON";

/** User pool feature plans (AWS's `UserPoolTier`). */
export type FeaturePlan = "LITE" | "ESSENTIALS" | "PLUS";

/** Threat protection modes (AWS's `AdvancedSecurityMode`). */
export type ThreatProtectionMode = "OFF" | "AUDIT" | "ENFORCED";

/** First factors a user may sign in with (AWS's `AllowedFirstAuthFactors`). */
export type SignInFactor = "PASSWORD" | "EMAIL_OTP" | "WEB_AUTHN";

/** A group as described in stack config (`cognito-auth:groups.<group>`). */
export interface GroupSpec {
    /** What the group is for (at most 2048 characters). */
    description?: string;
    /** Which group's role a user in several gets: the lowest number wins (0 is the highest priority). Needed by a group with a role. */
    precedence?: number;
    /** Managed policies of the IAM role this stack makes for the group (*created pool only*). */
    policyArns?: pulumi.Input<string>[];
    /** The IAM role of the group, made elsewhere (*existing pool only*: this stack has no identity pool to make one for). */
    roleArn?: pulumi.Input<string>;
}

/** The Amazon SES identity the pool sends email from. */
export interface EmailSender {
    /** ARN of a verified SES identity, `arn:aws:ses:<region>:<account>:identity/<email or domain>`. */
    sourceArn: string;
    /** The From address, `name@example.com` or `Name <name@example.com>`, of the identity. @default the identity's address */
    from?: string;
    /** The Reply-To address. @default none */
    replyTo?: string;
}

/** Passkey (WebAuthn) sign-in. */
export interface WebAuthnSettings {
    /** The domain passkeys are bound to: the app's domain or the pool's custom domain, e.g. `auth.example.com`. */
    relyingPartyId: string;
    /** Whether the authenticator must verify the user (biometrics, PIN). @default "preferred" */
    userVerification?: "required" | "preferred";
}

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
    /**
     * `TOTP`: the stack enrols the user in an authenticator app after setting its password, and keeps
     * the secret Cognito makes as a secret output. Unset: the stack leaves the user's MFA as it is,
     * unless it enrolled the user, in which case removing this turns TOTP off.
     */
    mfa?: "TOTP";
    /** Raise it (2, 3, ...) to enrol the user again with a new secret; the old authenticator entry stops working. @default 1 */
    totpGeneration?: number;
}

/** The pool's password policy. */
export interface PasswordPolicy extends PasswordRules {
    /** Days a temporary password stays valid (only for a pool this stack creates). */
    temporaryPasswordValidityDays: number;
    /** How many of a user's previous passwords cannot be set again (0-24; 0 is off). Only for a pool this stack creates. */
    passwordHistorySize?: number;
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

/** Settings shared by the user pool and the identity pool. */
export interface ProtectionSettings {
    /**
     * AWS's deletion protection on the user pool, and Pulumi's `protect` on the user pool and the identity pool:
     * `pulumi preview` fails on any change that would replace or delete them. Set `false` and run `pulumi up`
     * before `pulumi destroy` or a change that replaces them on purpose.
     * @configType bool
     * @default true
     */
    deletionProtection?: boolean;
}

/** Settings of the user pool and its app client. */
export interface UserPoolSettings extends ProtectionSettings {
    /**
     * User pool name. Changing it replaces the pool, and so every user (new `sub`s; passwords set again from
     * config); while `deletionProtection` is on, `pulumi preview` refuses it (see
     * [Rename the user pool](#rename-the-user-pool) to do it on purpose). The identity pool and roles stay.
     * @configType string
     * @default `cognito-auth-<stack>` from stack config; the component's name otherwise
     */
    userPoolName?: string;
    /**
     * App client name.
     * @configType string
     * @default `<userPoolName>-client`
     */
    clientName?: string;
    /**
     * MFA mode; TOTP (authenticator apps) is available unless `OFF`. With `ON`, sign-in asks each user to enrol
     * TOTP first.
     * @configType `OFF` \| `OPTIONAL` \| `ON`
     * @default "OPTIONAL"
     */
    mfa?: MfaMode;
    /**
     * The pool's feature plan (AWS's user pool tier), always set, so a preview shows it; what each costs and
     * unlocks: [Feature plans](#feature-plans). Settings that need a plan are refused at preview on a lower one.
     * @configType `LITE` \| `ESSENTIALS` \| `PLUS`
     * @default "ESSENTIALS"
     */
    featurePlan?: FeaturePlan;
    /**
     * Threat protection (AWS's advanced security mode): `AUDIT` logs risky sign-ins, `ENFORCED` also blocks
     * them or asks for MFA. Needs `featurePlan` `PLUS`.
     * @configType `OFF` \| `AUDIT` \| `ENFORCED`
     * @default "OFF"
     */
    threatProtection?: ThreatProtectionMode;
    /**
     * The first factors users may sign in with (choice-based sign-in); `PASSWORD` is always one. Other factors
     * need `featurePlan` `ESSENTIALS` or `PLUS`; `EMAIL_OTP` needs `emailSender`, `WEB_AUTHN` needs `webAuthn`.
     * Password sign-in (`USER_PASSWORD_AUTH`, SRP, refresh) works as before.
     * @configType list of `PASSWORD` \| `EMAIL_OTP` \| `WEB_AUTHN`
     * @default ["PASSWORD"]
     */
    signInFactors?: SignInFactor[];
    /**
     * Passkey sign-in: `relyingPartyId` (the app's or the pool's custom domain) and `userVerification`
     * (`required` or `preferred`, default `preferred`). Only with `WEB_AUTHN` in `signInFactors`.
     * @configType object: `relyingPartyId`, `userVerification`
     * @default unset
     */
    webAuthn?: WebAuthnSettings;
    /**
     * Send the pool's email (verification codes, email OTP) through Amazon SES from a verified identity:
     * `sourceArn` (required), `from`, `replyTo`. Unset, Cognito's own sender is used, which sends at most 50
     * emails a day (AWS's quota): enough for development only.
     * @configType object: `sourceArn`, `from`, `replyTo`
     * @default unset: Cognito's default sender
     */
    emailSender?: EmailSender;
    /**
     * unset fields keep their default; `minimumLength` 6-99, `temporaryPasswordValidityDays` 0-365
     * (*created pool only*), `passwordHistorySize` 0-24 (*created pool only*; above 0 needs `featurePlan`
     * `ESSENTIALS` or `PLUS`). For a created pool it is the pool's policy; with `userPoolId` it describes the
     * existing pool's policy, so previews check passwords against it.
     * @configType object: `minimumLength`, `requireLowercase`, `requireUppercase`, `requireNumbers`, `requireSymbols`, `temporaryPasswordValidityDays`, `passwordHistorySize`
     * @default created pool: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 7 }; existing pool: Cognito's default, { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true }
     */
    passwordPolicy?: Partial<PasswordPolicy>;
    /**
     * Give the app client a secret; exported as the secret output `clientSecret`. Clients must then send
     * SECRET_HASH.
     * @configType bool
     * @default false
     */
    generateClientSecret?: boolean;
    /**
     * Token lifetimes (access/ID 5-1440 minutes, refresh 1-3650 days).
     * @configType object: `accessTokenMinutes`, `idTokenMinutes`, `refreshTokenDays`
     * @default { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 }
     */
    tokenValidity?: Partial<TokenValidity>;
    /**
     * Custom string attributes (mutable) declared in the pool schema, without `custom:`. Cognito cannot remove
     * schema attributes later.
     * @configType list of names
     * @default []
     */
    customAttributes?: string[];
}

/** Settings of the identity pool and its roles. */
export interface IdentitySettings extends ProtectionSettings {
    /**
     * Identity pool name. Unset, the identity pool keeps the name it was created with (`ignoreChanges`), so
     * renaming the user pool or upgrading never replaces it; setting it to another name replaces the identity
     * pool, and every identity id is lost.
     * @configType string
     * @default `<project>-<stack>-identities` (from the stack, not from `userPoolName`)
     */
    identityPoolName?: string;
    /**
     * Guest identities; creates the unauthenticated role and mapping only when true.
     * @configType bool
     * @default false
     */
    allowUnauthenticatedIdentities?: boolean;
    /**
     * Managed policies attached to the authenticated role (none: the role has no permissions).
     * @remarks As a component argument, each may be an `Output`, such as another resource's `policy.arn`.
     * @configType list of ARNs
     * @default []
     */
    authenticatedPolicyArns?: pulumi.Input<string>[];
    /**
     * Managed policies attached to the unauthenticated role (needs guests allowed).
     * @configType list of ARNs
     * @default []
     */
    unauthenticatedPolicyArns?: pulumi.Input<string>[];
}

/** Settings of the users and their groups. */
export interface UsersSettings {
    /**
     * users (plain, visible in previews); no other key is accepted in a user. `email` also sets
     * `email_verified: "true"` (override in `attributes`); `attributes` is a map of Cognito attribute name to
     * string (`custom:<name>` for custom attributes: declared in `customAttributes` for a created pool, any
     * well-formed name for an existing one), default `{}`; `enabled` defaults to `true`; `groups` (default
     * `[]`) are created in the pool; `mfa: "TOTP"` enrols the user in TOTP (an authenticator app) and
     * `totpGeneration` (default 1) raised enrols it again with a new secret
     * ([Two-factor authentication](#two-factor-authentication)).
     * @configType map username -> `{ email?, attributes?, enabled?, groups?, mfa?, totpGeneration? }`
     * @default {}
     */
    users?: Record<string, UserSpec>;
    /**
     * groups of the pool, each also created when no user names it: `description`, `precedence` (0 is the
     * highest priority), and the group's IAM role: `policyArns` (*created pool*: this stack makes the role,
     * trusted only by its identity pool, and users of the group get its credentials) or `roleArn` (*existing
     * pool*). A group with a role needs a `precedence`, and no two groups with different roles may share one: a user in
     * several gets the role of the lowest. Groups a user names but not listed here are created as before.
     * @configType map group -> `{ description?, precedence?, policyArns?, roleArn? }`
     * @default {}
     */
    groups?: Record<string, GroupSpec>;
    /**
     * permanent passwords; every user needs one, and each must meet the password policy, differ from its
     * username (ignoring case), and hold no line break, tab or other whitespace than an inner plain space
     * (Cognito refuses line breaks). Lengths count Unicode characters (code points), as AWS does: an emoji is one.
     * @configType **secret** map username -> password
     * @default {}
     */
    passwords?: Record<string, pulumi.Input<string>>;
    /**
     * manage users that already exist in the pool (made by hand, or left by an interrupted run) instead of
     * failing with "already exists".
     * @configType bool
     * @default false
     */
    adoptExistingUsers?: boolean;
    /**
     * an app client of the existing pool (`userPoolId`) that allows `USER_PASSWORD_AUTH`: the stack
     * signs users in through it to enrol TOTP. Needed when a user has `mfa`; a pool this stack creates
     * uses its own client.
     * @configType string
     * @default unset
     */
    userPoolClientId?: pulumi.Input<string>;
}

/** Every `cognito-auth:` config key of the stack, in the order the README lists them. */
export interface StackSettings extends UserPoolSettings, IdentitySettings, UsersSettings {
    /**
     * manage the users and groups of this existing pool, e.g. `us-east-1_AbC123xyz` (AWS's pattern
     * `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters); creates no pool, client, identity pool or roles.
     * @configType string `<region>_<id>`
     * @default unset: a pool is created
     */
    userPoolId?: pulumi.Input<string>;
}

/**
 * A change to a child resource's arguments or options before it is declared, for what the settings
 * do not name (SST's `transform`): either values merged over its arguments, or a function that
 * changes the arguments and options it is given (it may also return new ones).
 * @example { userPool: { tags: { team: "auth" } } }
 * @example { client: (args) => { args.callbackUrls = ["https://app.example.com/callback"]; } }
 */
export type Transform<Args> =
    | Partial<Args>
    | ((args: Args, opts: pulumi.CustomResourceOptions, name: string) => void | { args?: Args; opts?: pulumi.CustomResourceOptions });
