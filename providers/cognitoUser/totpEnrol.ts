// TOTP enrolment of one user, as the user's own sign-in does it: the pool and client checked before
// anything changes, then (signed in through ./totpSignIn.ts) AssociateSoftwareToken,
// VerifySoftwareToken with a code from the secret Cognito made (lib/totp.ts) and
// SetUserMFAPreference (TOTP enabled and preferred); or, with the pool's MFA ON, the MFA_SETUP
// challenge's Session forms of the same calls. Also the outputs that record an enrolment (for
// create and update) and a create's failed one. The user-level calls are used, not
// AdminSetUserMFAPreference: they need no more permissions than the sign-in, and cognito-local
// implements only them.

import {
    AssociateSoftwareTokenCommand,
    CognitoIdentityProviderClient,
    GetUserPoolMfaConfigCommand,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, UserRef } from "./errors";
import { CognitoUserInputs, TotpOutputs } from "./shapes";
import { SignInClient, TotpFailure, TotpProgress, causeOf, freshCode, optionalMfaCommand, required } from "./totp";
import { secretHash, signIn, signInClient } from "./totpSignIn";

function cannotEnrol(user: UserRef, problem: string): Error {
    return new Error(
        `Cognito user "${user.username}" in pool ${user.userPoolId} cannot be enrolled in TOTP, so nothing was changed: ${problem}`,
    );
}

/**
 * Checks what an enrolment needs before anything is changed: the client allows USER_PASSWORD_AUTH
 * and the pool's MFA is OPTIONAL or ON with TOTP allowed. Returns the client to sign in through.
 */
export async function enrolmentClient(
    client: CognitoIdentityProviderClient,
    user: UserRef,
    clientId: string | undefined,
    secrets: (string | undefined)[],
): Promise<SignInClient> {
    const fail = (problem: string) => cannotEnrol(user, problem);
    const signIn = await signInClient(client, user, clientId, secrets, fail);
    let mfa;
    try {
        mfa = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: user.userPoolId }));
    } catch (err) {
        throw fail(`reading the pool's MFA configuration failed (${describe(err, secrets)}).`);
    }
    const setting = mfa.MfaConfiguration ?? "OFF";
    const pool = user.userPoolId;
    const enable = optionalMfaCommand(pool);
    if (setting === "OFF")
        throw fail(
            `user pool ${pool} has MFA OFF (MfaConfiguration), and Cognito enrols TOTP only in a pool whose MFA is OPTIONAL or ON. ` +
                `Set the pool's mfa to OPTIONAL or ON (cognito-auth:mfa for a pool the stack creates; for an existing pool: ${enable}), or remove mfa from the user.`,
        );
    if (mfa.SoftwareTokenMfaConfiguration?.Enabled !== true)
        throw fail(
            `user pool ${pool} does not allow TOTP (SoftwareTokenMfaConfiguration is not enabled). Allow it (${enable}), or remove mfa from the user.`,
        );
    return signIn;
}

/**
 * Enrols the user (password `password`, already set) with a new secret, returned. `storedSecret`
 * answers a TOTP challenge of an earlier enrolment. A failure is a `TotpFailure` saying how far it got.
 */
export async function enrolTotp(
    client: CognitoIdentityProviderClient,
    user: UserRef,
    signInClient: SignInClient,
    password: string,
    storedSecret: string | undefined,
    secrets: (string | undefined)[],
): Promise<string> {
    const progress: TotpProgress = { verified: false };
    const verifyCode = async () => freshCode(progress.secret!);
    try {
        const signed = await signIn(client, user, signInClient, password, storedSecret, secrets);
        let accessToken: string;
        if ("accessToken" in signed) {
            accessToken = signed.accessToken;
            const associated = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
            progress.secret = required(associated.SecretCode, "AssociateSoftwareToken gave no SecretCode");
            secrets.push(progress.secret);
            const verified = await client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: await verifyCode() }));
            if (verified.Status !== "SUCCESS") throw new Error(`VerifySoftwareToken answered ${verified.Status ?? "no status"}`);
            progress.verified = true;
        } else {
            // The pool's MFA is ON: the sign-in's session carries the enrolment, then the challenge's answer gives the tokens.
            const associated = await client.send(new AssociateSoftwareTokenCommand({ Session: signed.setupSession }));
            progress.secret = required(associated.SecretCode, "AssociateSoftwareToken gave no SecretCode");
            secrets.push(progress.secret, associated.Session);
            const verified = await client.send(
                new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: await verifyCode() }),
            );
            if (verified.Status !== "SUCCESS") throw new Error(`VerifySoftwareToken answered ${verified.Status ?? "no status"}`);
            progress.verified = true;
            secrets.push(verified.Session);
            const answered = await client.send(
                new RespondToAuthChallengeCommand({
                    ClientId: signInClient.clientId,
                    ChallengeName: "MFA_SETUP",
                    Session: verified.Session,
                    ChallengeResponses: { USERNAME: signed.challengeUser, ...secretHash(signInClient, signed.challengeUser) },
                }),
            );
            secrets.push(
                answered.AuthenticationResult?.AccessToken,
                answered.AuthenticationResult?.RefreshToken,
                answered.AuthenticationResult?.IdToken,
            );
            accessToken = required(
                answered.AuthenticationResult?.AccessToken,
                `answering MFA_SETUP gave no tokens (${answered.ChallengeName ?? "no challenge"})`,
            );
        }
        await client.send(
            new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
        );
        return progress.secret;
    } catch (err) {
        const cause = causeOf(err, secrets);
        throw new TotpFailure(
            `Cognito user "${user.username}" in pool ${user.userPoolId} ${enrolmentState(progress)}: ${cause}`,
            progress,
            cause,
        );
    }
}

/** What Cognito holds after an enrolment failed at `progress`, and what the next `pulumi up` does. */
function enrolmentState(progress: TotpProgress): string {
    if (progress.secret === undefined)
        return "could not be enrolled in TOTP: no new secret was made, so its MFA is as it was; run `pulumi up` again once the cause is fixed";
    if (!progress.verified)
        return (
            "could not be enrolled in TOTP: Cognito made a new secret (which replaces any earlier one of the user) but verifying a code " +
            "from it failed, so TOTP is not on for the user; the stack's state records it as not enrolled (keeping the new secret, a " +
            "Pulumi secret), and the next `pulumi up` enrols it again with a new secret"
        );
    return (
        "was enrolled in TOTP only in part: the new secret was verified, and the stack's state keeps it (totpSecret, a Pulumi secret), " +
        "but completing the enrolment (answering MFA_SETUP, or setting TOTP enabled and preferred with SetUserMFAPreference) failed, so " +
        "a sign-in may or may not ask for a code from it; the state records it as not enrolled, and the next `pulumi up` enrols it " +
        "again with a new secret, answering a code request with the kept one"
    );
}

/** Enrols the user in TOTP: the outputs that record it. */
export async function enrolled(
    client: CognitoIdentityProviderClient,
    user: CognitoUserInputs,
    totpClient: SignInClient,
    storedSecret: string | undefined,
    secrets: (string | undefined)[],
) {
    const totpSecret = await enrolTotp(client, user, totpClient, user.password, storedSecret, secrets);
    return { totpSecret, totp: { generation: user.totpGeneration ?? 1, clientId: totpClient.clientId } };
}

/** The TOTP outputs of a failed enrolment: the secret Cognito made, if any, not enrolled, with the client for a later removal. */
export function failedTotpOutputs(err: TotpFailure, totpClient: SignInClient): TotpOutputs {
    return err.progress.secret === undefined ? {} : { totpSecret: err.progress.secret, totpClientId: totpClient.clientId };
}
