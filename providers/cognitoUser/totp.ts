// What the user provider's TOTP flows share: the app client they sign in through, how far an
// enrolment got and the failure that says so, the clock of the codes (replaceable by tests), the
// causes of a failed call with secrets cut out, and the commands a message suggests. The flows
// themselves live in ./totpSignIn.ts (signing in and answering challenges), ./totpEnrol.ts
// (enrolment) and ./totpRemoval.ts (turning TOTP off), which all import from here.
// Nothing secret (password, TOTP secret, tokens, session, client secret) reaches an error.

import { msLeftInStep, totpCode } from "../../lib/totp";
import { commandLine } from "../../lib/shell";
import { describe, UserRef } from "./errors";

/** The app client and pool facts an enrolment needs, read before anything is changed. */
export interface SignInClient {
    clientId: string;
    /** Only in memory, for SECRET_HASH; never stored. */
    clientSecret?: string;
}

/** How far an enrolment got, for the partial state of a failure (see `TotpFailure`). */
export interface TotpProgress {
    /** The secret Cognito made (AssociateSoftwareToken); it replaces any earlier one of the user. */
    secret?: string;
    /** VerifySoftwareToken accepted a code from `secret`. */
    verified: boolean;
}

/** An enrolment or removal that failed; `progress` says what Cognito holds now. */
export class TotpFailure extends Error {
    constructor(
        message: string,
        readonly progress: TotpProgress,
        /** The failed call's cause, secrets cut out. */
        readonly causeText = "",
    ) {
        super(message);
    }

    /** How far the enrolment got, without saying what the state keeps (for a user that is deleted again). */
    get stage(): string {
        if (this.progress.secret === undefined) return "before Cognito made a secret";
        if (!this.progress.verified) return "verifying a code from the secret Cognito made failed";
        return "the secret Cognito made was verified, but completing the enrolment failed";
    }
}

/** The clock of the codes, replaceable by tests. */
export const totpClock = {
    now: () => new Date(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** A code for `secret` that stays valid while it travels: close to a step's end, the next step's. */
export async function freshCode(secret: string): Promise<string> {
    const left = msLeftInStep(totpClock.now());
    if (left < 3_000) await totpClock.sleep(left + 100);
    return totpCode(secret, totpClock.now());
}

/** The command that sets a pool's MFA to OPTIONAL with TOTP allowed. */
export function optionalMfaCommand(pool: string): string {
    return commandLine([
        "aws",
        "cognito-idp",
        "set-user-pool-mfa-config",
        "--user-pool-id",
        pool,
        "--mfa-configuration",
        "OPTIONAL",
        "--software-token-mfa-configuration",
        "Enabled=true",
    ]);
}

/** The command that turns a user's TOTP off as an administrator, ready to paste into a shell. */
export function turnOffCommand(user: UserRef): string {
    return commandLine([
        "aws",
        "cognito-idp",
        "admin-set-user-mfa-preference",
        "--user-pool-id",
        user.userPoolId,
        "--username",
        user.username,
        "--software-token-mfa-settings",
        "Enabled=false,PreferredMfa=false",
    ]);
}

/** A failed call's cause, secrets cut out; a disabled user or a refused sign-in said as such. */
export function causeOf(err: unknown, secrets: readonly (string | undefined)[]): string {
    const text = describe(err, secrets);
    const name = (err as { name?: string } | undefined)?.name;
    if (name === "NotAuthorizedException" && /disabled/i.test(text))
        return `${text} (a disabled user cannot sign in to enrol or change its TOTP: enable it, or remove mfa from it)`;
    if (name === "InvalidParameterException" && /USER_PASSWORD_AUTH/.test(text))
        return `${text} (the app client must allow ALLOW_USER_PASSWORD_AUTH: the provider signs in with the user's password)`;
    return text;
}

export function required<T>(value: T | undefined, problem: string): T {
    if (value === undefined || value === null || value === "") throw new Error(problem);
    return value;
}
