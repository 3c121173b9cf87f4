// Signing in as the user for its TOTP flows: the app client to sign in through (it must allow
// USER_PASSWORD_AUTH; its secret, for SECRET_HASH, stays in memory), then USER_PASSWORD_AUTH and
// the challenges Cognito answers with: SELECT_MFA_TYPE and SOFTWARE_TOKEN_MFA answered with the
// stored secret (a refused code retried once, in the next step), MFA_SETUP handed back as a
// session for the enrolment. Apart from ./totpEnrol.ts and ./totpRemoval.ts, which both sign in
// through it. Every token and session goes into `secrets`, so that no error can show it.

import { createHmac } from "crypto";
import {
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    InitiateAuthCommand,
    InitiateAuthCommandOutput,
    RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { msLeftInStep } from "../../lib/totp";
import { describe, UserRef } from "./errors";
import { SignInClient, freshCode, totpClock, turnOffCommand } from "./totp";

/** Errors of a TOTP code Cognito refused (wrong, or already used in its step): answered again once. */
const refusedCode = new Set(["CodeMismatchException", "ExpiredCodeException"]);
/** How far into the next step a retry waits. */
const stepSlackMs = 1_000;

const passwordFlows = ["ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"];

/**
 * The app client to sign in through, which must allow USER_PASSWORD_AUTH; its secret (for
 * SECRET_HASH) is kept in memory only, and added to `secrets` so that no later error can show it.
 */
export async function signInClient(
    client: CognitoIdentityProviderClient,
    user: UserRef,
    clientId: string | undefined,
    secrets: (string | undefined)[],
    fail: (problem: string) => Error,
): Promise<SignInClient> {
    if (!clientId) throw fail("no app client to sign in through (clientId; for an existing pool, set cognito-auth:userPoolClientId).");
    let described;
    try {
        described = (await client.send(new DescribeUserPoolClientCommand({ UserPoolId: user.userPoolId, ClientId: clientId })))
            .UserPoolClient;
    } catch (err) {
        throw fail(`reading app client ${clientId} failed (${describe(err, secrets)}).`);
    }
    secrets.push(described?.ClientSecret);
    const flows = described?.ExplicitAuthFlows ?? [];
    if (!flows.some((flow) => passwordFlows.includes(flow)))
        throw fail(
            `app client ${clientId} does not allow USER_PASSWORD_AUTH (its explicit auth flows: ${flows.join(", ") || "none"}), and the ` +
                "provider signs in with the user's password to change its TOTP. Add ALLOW_USER_PASSWORD_AUTH to the client's explicit auth flows, " +
                "or configure a client that has it (cognito-auth:userPoolClientId for an existing pool).",
        );
    return { clientId, clientSecret: described?.ClientSecret };
}

/** SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)), when the client has a secret. */
export function secretHash(signIn: SignInClient, username: string): Record<string, string> {
    if (!signIn.clientSecret) return {};
    return {
        SECRET_HASH: createHmac("sha256", signIn.clientSecret)
            .update(username + signIn.clientId)
            .digest("base64"),
    };
}

export type SignedIn = { accessToken: string } | { setupSession: string; challengeUser: string };

/**
 * USER_PASSWORD_AUTH, answering SELECT_MFA_TYPE and SOFTWARE_TOKEN_MFA with `storedSecret`:
 * the access token, or the MFA_SETUP challenge's session. `secrets` gets every token and session.
 */
export async function signIn(
    client: CognitoIdentityProviderClient,
    user: UserRef,
    signInClient: SignInClient,
    password: string,
    storedSecret: string | undefined,
    secrets: (string | undefined)[],
): Promise<SignedIn> {
    const initiate = () =>
        client.send(
            new InitiateAuthCommand({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: signInClient.clientId,
                AuthParameters: { USERNAME: user.username, PASSWORD: password, ...secretHash(signInClient, user.username) },
            }),
        );
    let answer: InitiateAuthCommandOutput = await initiate();
    let retried = false;
    for (let step = 0; step < 4; step++) {
        secrets.push(
            answer.Session,
            answer.AuthenticationResult?.AccessToken,
            answer.AuthenticationResult?.RefreshToken,
            answer.AuthenticationResult?.IdToken,
        );
        const accessToken = answer.AuthenticationResult?.AccessToken;
        if (accessToken) return { accessToken };
        const challengeUser = answer.ChallengeParameters?.USER_ID_FOR_SRP ?? user.username;
        const respond = (ChallengeName: "SELECT_MFA_TYPE" | "SOFTWARE_TOKEN_MFA", responses: Record<string, string>) =>
            client.send(
                new RespondToAuthChallengeCommand({
                    ClientId: signInClient.clientId,
                    ChallengeName,
                    Session: answer.Session,
                    ChallengeResponses: { USERNAME: challengeUser, ...responses, ...secretHash(signInClient, challengeUser) },
                }),
            );
        const name = answer.ChallengeName;
        if (name === "MFA_SETUP") return { setupSession: answer.Session ?? "", challengeUser };
        if ((name === "SOFTWARE_TOKEN_MFA" || name === "SELECT_MFA_TYPE") && storedSecret === undefined)
            throw new Error(
                `signing in asks for a TOTP code (${name}) and this stack has no secret for the user (its TOTP was set up outside this stack). ` +
                    `Turn the user's TOTP off in Cognito (the user's own SetUserMFAPreference, or ${turnOffCommand(user)}) and run \`pulumi up\` again`,
            );
        if (name === "SELECT_MFA_TYPE") answer = await respond(name, { ANSWER: "SOFTWARE_TOKEN_MFA" });
        else if (name === "SOFTWARE_TOKEN_MFA") {
            try {
                answer = await respond(name, { SOFTWARE_TOKEN_MFA_CODE: await freshCode(storedSecret!) });
            } catch (err) {
                // The one retry (as verify's): a code refused as wrong or used (two runs in one step) gets the next step's, with a fresh sign-in.
                if (retried || !refusedCode.has((err as { name?: string })?.name ?? "")) throw err;
                retried = true;
                await totpClock.sleep(msLeftInStep(totpClock.now()) + stepSlackMs);
                answer = await initiate();
            }
        } else throw new Error(`signing in asks for ${name ?? "nothing and gives no tokens"}, which the provider cannot answer`);
    }
    throw new Error("signing in gave no tokens after three challenges");
}
