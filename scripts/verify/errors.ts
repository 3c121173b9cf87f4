// Error catalogue: known AWS errors (and sign-in challenges) -> what they mean for this stack, in
// plain words. An explanation keeps the AWS error apart from the reason; the renderer prints both
// as "reason (Name: message)". Unknown errors get a short reason that does not repeat the step
// name ("sign-in failed: unrecognised Cognito error (...)", not "sign-in failed: sign-in failed").

/** An AWS error as printed: its name and message (the message may be redacted when rendered). */
export interface AwsError {
    name: string;
    message: string;
}

/** Why a step failed: plain words, plus the AWS error when there was one. */
export interface Explanation {
    reason: string;
    error?: AwsError;
}

export function awsError(err: unknown): AwsError {
    return {
        name: String((err as { name?: string })?.name ?? "Error"),
        message: String((err as { message?: string })?.message ?? err),
    };
}

/**
 * Cognito's refusal of a disabled user: NotAuthorizedException "User is disabled." Only this
 * refusal is the expected result for a user disabled in config; any other NotAuthorizedException
 * (a wrong password, a bad SECRET_HASH...) is a failure for it as for anyone else.
 */
export function isDisabledRefusal(err: unknown): boolean {
    const { name, message } = awsError(err);
    return name === "NotAuthorizedException" && /^\s*user is disabled\b/i.test(message);
}

/** Plain-words reason for a failed InitiateAuth. */
export function explainSignInError(err: unknown, hasClientSecret: boolean): Explanation {
    const error = awsError(err);
    const { name, message } = error;
    const because = (reason: string): Explanation => ({ reason, error });
    if (name === "NotAuthorizedException") {
        if (isDisabledRefusal(err)) return because("user is disabled in the pool; set enabled: true in config and run pulumi up");
        if (/secret hash|SECRET_HASH|configured with secret/i.test(message)) {
            return because(
                hasClientSecret
                    ? "client secret mismatch: the SECRET_HASH was rejected; the clientSecret output does not belong to this app client"
                    : "the app client has a secret but the outputs have no clientSecret; export it or use a client without a secret",
            );
        }
        if (/attempts exceeded/i.test(message))
            return because("too many failed sign-ins: Cognito locked the user out for a while; wait and retry");
        if (/incorrect username or password/i.test(message)) {
            return because(
                "wrong password (or no such user in the pool): the password in config differs from the user's; run pulumi up to apply it",
            );
        }
        return because("Cognito did not authorize the sign-in");
    }
    switch (name) {
        case "InvalidPasswordException": // what cognito-local answers for a wrong password
            return because("wrong password: the password in config differs from the user's; run pulumi up to apply it");
        case "UserNotFoundException":
            return because("user does not exist in the pool; run pulumi up to create it");
        case "UserNotConfirmedException":
            return because("user not confirmed: the user exists but was never confirmed; run pulumi up so the permanent password is set");
        case "PasswordResetRequiredException":
            return because("password reset required: an administrator reset the user's password; run pulumi up to re-apply it");
        case "InvalidParameterException":
            return because(
                /USER_PASSWORD_AUTH/i.test(message)
                    ? "the app client does not allow USER_PASSWORD_AUTH; add ALLOW_USER_PASSWORD_AUTH to its auth flows"
                    : "invalid sign-in request",
            );
        case "ResourceNotFoundException":
            return because("the user pool or app client does not exist (wrong stack or region?)");
        case "TooManyRequestsException":
            return because("throttled by Cognito; retry in a moment");
        default:
            return because("unrecognised Cognito error");
    }
}

/**
 * Plain-words reason for a challenge returned instead of tokens. `stackManagedTotp`: the user has a
 * secret in the `totpSecrets` output (verify answers its SOFTWARE_TOKEN_MFA challenge itself).
 */
export function explainChallenge(challenge: string, stackManagedTotp = false): Explanation {
    if (stackManagedTotp && challenge === "MFA_SETUP") {
        return {
            reason: "MFA challenge (MFA_SETUP): the stack enrolled this user's TOTP (it has a secret in totpSecrets) but the pool has none for it, removed outside Pulumi?; run pulumi refresh, then pulumi up re-enrols it",
        };
    }
    switch (challenge) {
        case "NEW_PASSWORD_REQUIRED":
            return {
                reason: "user not confirmed: Cognito asks for a new password (status FORCE_CHANGE_PASSWORD), so the permanent password was never applied; run pulumi up",
            };
        case "SOFTWARE_TOKEN_MFA":
        case "SMS_MFA":
        case "EMAIL_OTP":
        case "SELECT_MFA_TYPE":
            return {
                reason: `MFA challenge (${challenge}): the user has MFA set up and verify cannot answer it; sign in interactively, or verify with a user without MFA`,
            };
        case "MFA_SETUP":
            return { reason: "MFA challenge (MFA_SETUP): the pool requires MFA (mfa = ON) and the user has not enrolled a device yet" };
        default:
            return { reason: `unexpected challenge ${challenge} instead of tokens` };
    }
}

/** Plain-words reason for a failed GetId ("identity") or GetCredentialsForIdentity ("credentials"). */
export function explainIdentityError(err: unknown, step: "identity" | "credentials", guest: boolean): Explanation {
    const error = awsError(err);
    const { name, message } = error;
    const because = (reason: string): Explanation => ({ reason, error });
    const kind = guest ? "unauthenticated" : "authenticated";
    if (
        name === "InvalidIdentityPoolConfigurationException" ||
        /AccessDenied|AssumeRoleWithWebIdentity|not authorized to perform: sts/i.test(`${name} ${message}`)
    ) {
        return because(
            `role trust mismatch: the role's trust policy must allow this identity pool (aud) and amr ${kind}; or the pool has no ${kind} role attached`,
        );
    }
    if (name === "NotAuthorizedException") {
        if (/unauthenticated access is not supported/i.test(message)) {
            return because("guests are not allowed by the identity pool (allowUnauthenticatedIdentities is false there)");
        }
        if (/not from a supported provider|invalid login token|token is not/i.test(message)) {
            return because(
                "the identity pool does not accept this user pool's token: its provider must be cognito-idp.<region>.amazonaws.com/<pool id> with this app client id",
            );
        }
        return because(`the identity pool refused the ${guest ? "guest" : "login"}`);
    }
    switch (name) {
        case "ResourceNotFoundException":
            return because(`${step === "identity" ? "the identity pool" : "the identity"} does not exist (wrong stack or region?)`);
        case "ExternalServiceException":
            return because("the identity pool could not check the token with the user pool or STS");
        case "TooManyRequestsException":
        case "LimitExceededException":
            return because("throttled by Cognito Identity; retry in a moment");
        default:
            return because("unrecognised Cognito Identity error");
    }
}

/** Plain-words reason for a failed STS GetCallerIdentity with the identity's credentials. */
export function explainStsError(err: unknown): Explanation {
    return { reason: "could not ask STS which role the credentials are for", error: awsError(err) };
}
