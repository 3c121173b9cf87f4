// The shapes the user provider works with: its inputs and stored outputs (of every state
// version), a user as Cognito holds it, one planned Cognito call as data, and the engine's
// placeholder for a value not known yet. Types and constants only, apart from `isUnknown`, so
// every other module of the provider (the pure planning in ./plan.ts and ./totpPlan.ts, the calls,
// the TOTP flows) can share them without importing one another.

import type { PasswordRules } from "../rules";

/** What the engine sends in place of a value that is not known yet (during preview). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The version of the outputs this code writes, stored with every user as `stateVersion`.
 * - 1 (no `stateVersion`): written by the provider that was serialized into state by value
 *   (cognito-auth 0.1); its outputs also held `passwordPolicy` and `adoptExisting`.
 * - 2: written through the loader; outputs hold only what the next diff, read and delete need.
 * Resources are read, updated and deleted by the current code whatever version wrote them, so
 * every function here accepts outputs of every version.
 */
export const stateVersion = 2;

/** What inputs and outputs share: the user and the state the provider keeps it in. */
interface UserFields {
    userPoolId: string;
    username: string;
    /** Secret. In the outputs too, so that the next diff can see a rotation. */
    password: string;
    /** In the outputs: the managed attributes (those named in the inputs), as last written or read. */
    attributes: Record<string, string>;
    enabled: boolean;
    groups: string[];
}

/** Inputs of the provider, as the engine passes them (secrets already unwrapped). */
export interface CognitoUserInputs extends UserFields {
    /** Rules of the pool's password policy, checked at preview. */
    passwordPolicy: PasswordRules;
    /** Manage a user that already exists instead of failing with "already exists". */
    adoptExisting: boolean;
    /**
     * Plain: one more each time the password changes, set by the provider's `check` (see
     * `passwordRevision` below) so that a preview names the change. Absent in inputs
     * stored by versions without it.
     */
    passwordRevision?: number;
    /** "TOTP": enrol the user in TOTP after its password is set. Absent for users without it (and in older inputs). */
    mfa?: "TOTP";
    /** With `mfa`: a new number enrols again with a new secret. */
    totpGeneration?: number;
    /** With `mfa`: the app client the provider signs in through (USER_PASSWORD_AUTH). */
    clientId?: string;
}

/** What the stored outputs say of a TOTP enrolment this stack made (no secret in it). */
export interface TotpEnrolment {
    /** The `totpGeneration` it was made for. */
    generation: number;
    /** The app client it signed in through: removal signs in through it again (the inputs then have none). */
    clientId: string;
}

/** What the provider stores. */
export interface CognitoUserOutputs extends UserFields {
    /** The user's immutable `sub` attribute. */
    sub: string;
    /** Cognito's UserStatus; CONFIRMED after every create and update. */
    status: string;
    /** True when the user existed before this stack managed it (it is then never rolled back). */
    adopted: boolean;
    stateVersion: number;
    /**
     * Secret (additionalSecretOutputs): the TOTP secret Cognito made, kept while the user has `mfa`.
     * Also kept when Cognito lost the enrolment (drift) or it was left half-made: a sign-in may
     * still meet a challenge for it.
     */
    totpSecret?: string;
    /** Present while the user is enrolled in TOTP by this stack, at that generation. */
    totp?: TotpEnrolment;
    /**
     * With `totpSecret` but no `totp` (drift, or a half-made enrolment): the app client to sign in
     * through to turn that TOTP off once `mfa` is removed (the inputs then name no client).
     */
    totpClientId?: string;
}

/** A user as Cognito holds it, limited to what the provider manages. */
export interface UserState {
    attributes: Record<string, string>;
    enabled: boolean;
    groups: string[];
}

/** One Cognito call of a plan, as data. The password is not in it: the executor adds it. */
export type CognitoCall =
    | { action: "AdminUpdateUserAttributes"; attributes: Record<string, string> }
    | { action: "AdminDeleteUserAttributes"; names: string[] }
    | { action: "AdminSetUserPassword" }
    | { action: "AdminAddUserToGroup"; group: string }
    | { action: "AdminRemoveUserFromGroup"; group: string }
    | { action: "AdminEnableUser" }
    | { action: "AdminDisableUser" };

/** The TOTP outputs to carry: only those present (a user without TOTP has none). */
export type TotpOutputs = Pick<CognitoUserOutputs, "totpSecret" | "totp" | "totpClientId">;

export function isUnknown(value: unknown): boolean {
    return value === unknownValue;
}
