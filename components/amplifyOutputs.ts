import { hasKey, isMap } from "../lib/maps";
import { passwordRulesOf } from "./resolved";
import { defaults, userDefaults } from "./settings";
import type { MfaMode, StackSettings } from "./types";

// The stack as an `amplify_outputs.json` (Amplify Gen 2's client config, schema version 1.5, the
// one `@aws-amplify/client-config` writes by default): what `Amplify.configure()` takes as it is.
// Pure: index.ts gives it the ids once known, `npm run local` the emulator's. Never a secret: a
// client with a secret is named as such (Amplify JS cannot send a SECRET_HASH) and its secret is left out.

/** The `auth` section, as schema 1.5 types it (only the keys this stack knows). */
export interface AmplifyAuthOutputs {
    aws_region: string;
    user_pool_id: string;
    /** Absent for an existing pool without `userPoolClientId` (unknown) and for a client with a secret (unusable). */
    user_pool_client_id?: string;
    identity_pool_id?: string;
    password_policy?: {
        min_length: number;
        require_lowercase: boolean;
        require_numbers: boolean;
        require_symbols: boolean;
        require_uppercase: boolean;
    };
    mfa_configuration?: "NONE" | "OPTIONAL" | "REQUIRED";
    mfa_methods?: ("SMS" | "TOTP" | "EMAIL")[];
    username_attributes?: ("email" | "phone_number" | "username")[];
    standard_required_attributes?: string[];
    user_verification_types?: ("email" | "phone_number")[];
    unauthenticated_identities_enabled?: boolean;
    passwordless?: {
        email_otp_enabled?: boolean;
        web_authn?: { relying_party_id: string; user_verification: "required" | "preferred" };
    };
    groups?: Record<string, { precedence?: number }>[];
}

/** What the file says beyond the schema's keys (`custom` is the schema's place for that). */
export interface CognitoAuthNotes {
    /** Set when the app client has a secret: no browser or Amplify JS app can sign in through it, so its id is left out. */
    client_secret?: string;
    /** What is missing from `auth` and how to get it. */
    missing?: string[];
    /** `npm run local` only: Amplify JS takes an emulator's address as `Auth.Cognito.userPoolEndpoint` (not part of the schema). */
    user_pool_endpoint?: string;
}

export interface AmplifyOutputsFile {
    version: "1.5";
    auth: AmplifyAuthOutputs;
    custom?: { cognito_auth: CognitoAuthNotes };
}

/** The schema's version this module writes. */
export const amplifyOutputsVersion = "1.5" as const;

/** What the stack knows of its pool, client and identity pool, once deployed. */
export interface AmplifyOutputsInput {
    /** The settings the stack read (for `npm run local`, the emulator pool's). */
    settings: Omit<StackSettings, "passwords">;
    region: string;
    userPoolId: string;
    /** The created pool's client, or `userPoolClientId` of an existing pool. */
    userPoolClientId?: string;
    /** Only for a pool this stack creates. */
    identityPoolId?: string;
    /** `npm run local`: the emulator's address, which the file then carries in `custom`. */
    userPoolEndpoint?: string;
}

const clientSecretNote =
    "user_pool_client_id is left out: the app client has a secret (generateClientSecret), and Amplify JS and any browser app " +
    "cannot sign in through it; the secret is the stack's secret output clientSecret, for a server only. " +
    "Set generateClientSecret false for a web or mobile app";
const missingClientNote = "user_pool_client_id: set cognito-auth:userPoolClientId to an app client of the pool that has no secret";
/** The five rules `password_policy` states; an existing pool's policy is claimed only when config gives all of them. */
const policyRules = ["minimumLength", "requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"] as const;
const partialPolicyNote = `password_policy: left out, cognito-auth:passwordPolicy does not give all of ${policyRules.join(", ")} of the existing pool`;

function describesWholePolicy(policy: unknown): boolean {
    return isMap(policy) && policyRules.every((rule) => hasKey(policy, rule) && policy[rule] !== undefined);
}

/**
 * What `pulumi preview` and `up` warn about the stack's amplifyOutputs: only where an app using the
 * file as it is could not sign in (no usable client id in it).
 */
export function amplifyOutputsWarnings(settings: Omit<StackSettings, "passwords">): string[] {
    if (settings.userPoolId === undefined && (settings.generateClientSecret ?? defaults.generateClientSecret))
        return [
            "amplifyOutputs has no user_pool_client_id: the app client has a secret (generateClientSecret), which Amplify JS and browsers cannot use; " +
                "set generateClientSecret false for a web or mobile app",
        ];
    if (settings.userPoolId !== undefined && settings.userPoolClientId === undefined)
        return [
            "amplifyOutputs has no user_pool_client_id, so Amplify cannot sign in with it: " +
                "set cognito-auth:userPoolClientId to an app client of the existing pool that has no secret",
        ];
    return [];
}

const mfaConfiguration: Record<MfaMode, "NONE" | "OPTIONAL" | "REQUIRED"> = { OFF: "NONE", OPTIONAL: "OPTIONAL", ON: "REQUIRED" };

/** The `amplify_outputs.json` of the stack; see the module comment. */
export function amplifyOutputs(input: AmplifyOutputsInput): AmplifyOutputsFile {
    const { settings } = input;
    // An existing pool is described only by what config says of it: its MFA, attributes and
    // identity pool are not this stack's, so they are left out rather than guessed.
    const existing = settings.userPoolId !== undefined;
    const auth: AmplifyAuthOutputs = { aws_region: input.region, user_pool_id: input.userPoolId };
    const missing: string[] = [];
    const notes: CognitoAuthNotes = {};
    const secret = !existing && (settings.generateClientSecret ?? defaults.generateClientSecret);
    // A client with a secret is left out: Amplify JS would use it and every sign-in would fail.
    if (secret) notes.client_secret = clientSecretNote;
    else if (input.userPoolClientId !== undefined) auth.user_pool_client_id = input.userPoolClientId;
    else missing.push(missingClientNote);
    if (input.identityPoolId !== undefined) auth.identity_pool_id = input.identityPoolId;
    // An existing pool's policy only as far as config describes it: all five rules, or none is claimed.
    if (!existing || describesWholePolicy(settings.passwordPolicy)) {
        const rules = passwordRulesOf(settings.passwordPolicy, existing);
        auth.password_policy = {
            min_length: rules.minimumLength,
            require_lowercase: rules.requireLowercase,
            require_numbers: rules.requireNumbers,
            require_symbols: rules.requireSymbols,
            require_uppercase: rules.requireUppercase,
        };
    } else if (settings.passwordPolicy !== undefined) missing.push(partialPolicyNote);
    if (!existing) {
        const mfa = settings.mfa ?? defaults.mfa;
        auth.mfa_configuration = mfaConfiguration[mfa];
        auth.mfa_methods = mfa === "OFF" ? [] : ["TOTP"];
        // Users sign in with their username (no email or phone alias); no attribute is required; email is verified.
        auth.username_attributes = ["username"];
        auth.standard_required_attributes = [];
        auth.user_verification_types = ["email"];
        auth.unauthenticated_identities_enabled = settings.allowUnauthenticatedIdentities ?? defaults.allowUnauthenticatedIdentities;
        const factors = settings.signInFactors ?? defaults.signInFactors;
        const passwordless: NonNullable<AmplifyAuthOutputs["passwordless"]> = {};
        if (factors.includes("EMAIL_OTP")) passwordless.email_otp_enabled = true;
        if (factors.includes("WEB_AUTHN") && settings.webAuthn)
            passwordless.web_authn = {
                relying_party_id: settings.webAuthn.relyingPartyId,
                user_verification: settings.webAuthn.userVerification ?? "preferred",
            };
        if (Object.keys(passwordless).length > 0) auth.passwordless = passwordless;
    }
    const groups = groupsOf(settings);
    if (groups.length > 0) auth.groups = groups;
    if (missing.length > 0) notes.missing = missing;
    if (input.userPoolEndpoint !== undefined) notes.user_pool_endpoint = input.userPoolEndpoint;
    return {
        version: amplifyOutputsVersion,
        auth,
        ...(Object.keys(notes).length > 0 ? { custom: { cognito_auth: notes } } : {}),
    };
}

/**
 * The pool's groups as the schema lists them, `[{ <group>: { precedence } }]`: those of `groups` and
 * those users name, by precedence (lowest first, as Cognito ranks them), then by name.
 */
function groupsOf(settings: Omit<StackSettings, "passwords">): Record<string, { precedence?: number }>[] {
    const described = isMap(settings.groups) ? settings.groups : {};
    const named = Object.values(isMap(settings.users) ? settings.users : {}).flatMap((spec) =>
        isMap(spec) && Array.isArray(spec.groups) ? spec.groups : userDefaults.groups,
    );
    const precedence = (group: string): number | undefined => {
        const spec = hasKey(described, group) ? described[group] : undefined;
        return isMap(spec) && typeof spec.precedence === "number" ? spec.precedence : undefined;
    };
    return [...new Set([...Object.keys(described), ...named])]
        .sort((a, b) => (precedence(a) ?? Infinity) - (precedence(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0))
        .map((group) => {
            const p = precedence(group);
            return { [group]: p === undefined ? {} : { precedence: p } };
        });
}
