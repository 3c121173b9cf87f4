// Turning a user's TOTP off once `mfa` is removed from it: the client stored with the enrolment,
// checked before anything changes (and refused in a pool whose MFA is ON, where the user would
// then meet MFA_SETUP at every sign-in), then a sign-in through ./totpSignIn.ts answering the
// TOTP challenge with the stored secret, and SetUserMFAPreference with TOTP off. Apart from the
// enrolment in ./totpEnrol.ts: only an update runs it.

import {
    CognitoIdentityProviderClient,
    GetUserPoolMfaConfigCommand,
    SetUserMFAPreferenceCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { configPath } from "../../lib/shell";
import { describe, UserRef } from "./errors";
import { SignInClient, TotpFailure, causeOf, optionalMfaCommand, turnOffCommand } from "./totp";
import { signIn, signInClient } from "./totpSignIn";

/**
 * The app client to sign in through to turn TOTP off (mfa removed): the one stored with the
 * enrolment. Checked before anything is changed.
 */
export async function removalClient(
    client: CognitoIdentityProviderClient,
    user: UserRef,
    clientId: string | undefined,
    secrets: (string | undefined)[],
): Promise<SignInClient> {
    const fail = (problem: string) =>
        new Error(
            `Cognito user "${user.username}" in pool ${user.userPoolId} could not have its TOTP turned off (mfa was removed from it), so nothing was changed: ${problem}`,
        );
    if (!clientId)
        throw fail(
            `the stack's state names no app client to sign in through. Turn the user's TOTP off by hand (${turnOffCommand(user)}), then run \`pulumi up\` again.`,
        );
    const signIn = await signInClient(client, user, clientId, secrets, fail);
    // With MFA ON, a user without TOTP meets MFA_SETUP at every sign-in: refused rather than left so.
    let mfa;
    try {
        mfa = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: user.userPoolId }));
    } catch (err) {
        throw fail(`reading the pool's MFA configuration failed (${describe(err, secrets)}).`);
    }
    if (mfa.MfaConfiguration === "ON")
        throw fail(
            `user pool ${user.userPoolId} has MFA ON (MfaConfiguration), so without TOTP the user could not sign in until it set TOTP up ` +
                "again (Cognito answers its sign-in with MFA_SETUP, and npm run verify reports that). Keep the user's mfa " +
                `(${configPath("cognito-auth:users", user.username, "mfa")} TOTP), or first set the pool's MFA to OPTIONAL (cognito-auth:mfa ` +
                `for a pool the stack creates; for an existing pool: ${optionalMfaCommand(user.userPoolId)}), then run \`pulumi up\` again.`,
        );
    return signIn;
}

/** Turns the user's TOTP off (signed in with `password`, a challenge answered from `storedSecret`). */
export async function disableTotp(
    client: CognitoIdentityProviderClient,
    user: UserRef,
    signInClient: SignInClient,
    password: string,
    storedSecret: string | undefined,
    secrets: (string | undefined)[],
): Promise<void> {
    try {
        const signed = await signIn(client, user, signInClient, password, storedSecret, secrets);
        // MFA_SETUP: the user has no TOTP any more (the pool's MFA is ON, so Cognito asks for one): nothing to turn off.
        if (!("accessToken" in signed)) return;
        await client.send(
            new SetUserMFAPreferenceCommand({
                AccessToken: signed.accessToken,
                SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
            }),
        );
    } catch (err) {
        throw new TotpFailure(
            `Cognito user "${user.username}" in pool ${user.userPoolId} could not have its TOTP turned off (mfa was removed from it), ` +
                `so nothing was changed and the stack still records the enrolment: ${causeOf(err, secrets)}`,
            { verified: false },
        );
    }
}
