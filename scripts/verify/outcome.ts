import { AwsError } from "./errors";

// What one check found, as data. The checks fill it in; only the renderer turns it into text.
// It holds no secret: no password, token, client secret, credential, TOTP secret or code.

export type Step = "sign-in" | "identity" | "credentials";

/** The step that failed, why in plain words, and the AWS error when there was one. */
export interface Failure {
    step: Step;
    reason: string;
    error?: AwsError;
}

/**
 * One user's (or the guest's) result. Each field is set once its step succeeded; the step that
 * failed is in `failure`, and the steps after it did not run.
 */
export interface Outcome {
    /** The username, or undefined for the guest identity. */
    user?: string;
    /**
     * "ok": signed in; "refused-as-expected": disabled in config and refused by Cognito with
     * "User is disabled.", which is what should happen; "not-applicable": the guest.
     */
    signIn?: "ok" | "refused-as-expected" | "not-applicable";
    /** "TOTP": the sign-in answered the SOFTWARE_TOKEN_MFA challenge with the stack's secret. */
    mfa?: "TOTP";
    /** The identity id GetId returned. */
    identityId?: string;
    /**
     * The credentials, once STS said they are for the expected role. When the stack has group
     * roles, a user's also say which role (`roleName`) and why it is the one expected (`reason`,
     * from roles.ts: "group admins (precedence 1)", "no group with a role"...).
     */
    credentials?: {
        role: "authenticated" | "unauthenticated" | "group";
        expiration?: Date;
        roleName?: string;
        reason?: string;
    };
    failure?: Failure;
}

/** A check passed when no step failed. */
export const passed = (outcome: Outcome): boolean => outcome.failure === undefined;
