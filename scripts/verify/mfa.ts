import {
    ChallengeNameType,
    CognitoIdentityProviderClient,
    InitiateAuthCommandOutput,
    RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { msLeftInStep, totpCode } from "../../lib/totp";
import { awsError, explainSignInError, Explanation } from "./errors";

// The SOFTWARE_TOKEN_MFA challenge for a user whose TOTP the stack enrolled: the code is computed
// from the stack's secret (lib/totp.ts) and sent with the Session. Nothing here returns or throws
// the secret, the code, the session or a token except the ID token the caller needs.
//
// Clock edges: a code computed just before its 30-second step ends may reach Cognito after it, so
// a code is never computed with less than `stepMarginMs` left in its step (verify waits for the next
// step instead). If Cognito still refuses the code (CodeMismatchException, or ExpiredCodeException
// for a code already used, e.g. by the enrolment moments before), verify waits for the next step
// and tries once more with a fresh sign-in and that step's code: it was never sent, so it is not a
// reused code, and a fresh Session avoids depending on whether a refused session can be answered
// again. At most two codes per user per run.

/** Time, injectable so tests can stand at a step boundary without waiting for one. */
export interface Clock {
    now(): Date;
    sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A code computed with less than this left in its step is not sent: verify waits for the next step. */
export const stepMarginMs = 3000;

/** Added to a wait for the next step so that the clock is surely in it (timers may fire a little early). */
const stepSlackMs = 50;

const refusedCode = new Set(["CodeMismatchException", "ExpiredCodeException"]);

export interface TotpSignIn {
    client: CognitoIdentityProviderClient;
    clientId: string;
    username: string;
    /** The user's base32 secret from the `totpSecrets` output. */
    secret: string;
    /** SECRET_HASH for this user, when the app client has a secret. */
    secretHash?: string;
    /** The password sign-in again (InitiateAuth), for the one retry with a fresh Session. */
    restart: () => Promise<InitiateAuthCommandOutput>;
    hasClientSecret: boolean;
    clock: Clock;
}

/** Plain-words reason for a failed RespondToAuthChallenge (SOFTWARE_TOKEN_MFA). */
export function explainTotpError(err: unknown, hasClientSecret: boolean): Explanation {
    const error = awsError(err);
    const because = (reason: string): Explanation => ({ reason, error });
    switch (error.name) {
        case "CodeMismatchException":
            return because(
                "TOTP code refused twice, in two 30-second steps: the secret in the stack's totpSecrets differs from the user's in the pool " +
                    "(enrolled again outside Pulumi?); run pulumi refresh, then pulumi up re-enrols the user with a new secret",
            );
        case "ExpiredCodeException":
            return because(
                "TOTP code refused as expired or already used, twice: check this machine's clock (Cognito accepts codes of the current 30-second step only)",
            );
        case "SoftwareTokenMFANotFoundException":
            return because(
                "the user has no TOTP authenticator in the pool although the stack enrolled one; run pulumi refresh, then pulumi up re-enrols it",
            );
        case "NotAuthorizedException":
            if (/session/i.test(error.message)) return because("the sign-in session expired before the TOTP code was sent; retry");
            return explainSignInError(err, hasClientSecret);
        default:
            return explainSignInError(err, hasClientSecret);
    }
}

/** Waits, when the current step is about to end, until the next one has begun. */
async function awayFromStepEnd(clock: Clock): Promise<void> {
    const left = msLeftInStep(clock.now());
    if (left < stepMarginMs) await clock.sleep(left + stepSlackMs);
}

/**
 * Answers the SOFTWARE_TOKEN_MFA challenge of `session`; the ID token, or why not. Never throws
 * for a refused answer.
 */
export async function answerTotpChallenge(
    s: TotpSignIn,
    session: string | undefined,
): Promise<{ idToken?: string } | { failure: Explanation }> {
    for (let attempt = 1; ; attempt++) {
        if (!session) return { failure: { reason: "Cognito sent the SOFTWARE_TOKEN_MFA challenge without a Session" } };
        await awayFromStepEnd(s.clock);
        const ChallengeResponses: Record<string, string> = {
            USERNAME: s.username,
            SOFTWARE_TOKEN_MFA_CODE: totpCode(s.secret, s.clock.now()),
        };
        if (s.secretHash) ChallengeResponses.SECRET_HASH = s.secretHash;
        try {
            const answer = await s.client.send(
                new RespondToAuthChallengeCommand({
                    ClientId: s.clientId,
                    ChallengeName: ChallengeNameType.SOFTWARE_TOKEN_MFA,
                    Session: session,
                    ChallengeResponses,
                }),
            );
            if (answer.ChallengeName) {
                return { failure: { reason: `unexpected challenge ${answer.ChallengeName} after the TOTP code` } };
            }
            return { idToken: answer.AuthenticationResult?.IdToken };
        } catch (err) {
            if (attempt > 1 || !refusedCode.has(awsError(err).name)) return { failure: explainTotpError(err, s.hasClientSecret) };
        }
        // The one retry: in the next step, with a fresh sign-in.
        await s.clock.sleep(msLeftInStep(s.clock.now()) + stepSlackMs);
        let again: InitiateAuthCommandOutput;
        try {
            again = await s.restart();
        } catch (err) {
            return { failure: explainSignInError(err, s.hasClientSecret) };
        }
        if (again.ChallengeName !== ChallengeNameType.SOFTWARE_TOKEN_MFA) {
            return {
                failure: {
                    reason: `the sign-in again after a refused TOTP code gave ${again.ChallengeName ? `the challenge ${again.ChallengeName}` : "no SOFTWARE_TOKEN_MFA challenge"}`,
                },
            };
        }
        session = again.Session;
    }
}
