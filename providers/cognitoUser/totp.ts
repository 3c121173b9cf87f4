// TOTP enrolment of one user, as the user's own sign-in does it: USER_PASSWORD_AUTH through the
// app client, then AssociateSoftwareToken, VerifySoftwareToken with a code from the secret Cognito
// made (lib/totp.ts), and SetUserMFAPreference (TOTP enabled and preferred); or, with the pool's
// MFA ON, the MFA_SETUP challenge's Session forms of the same calls. Removal signs in (answering
// SOFTWARE_TOKEN_MFA with the stored secret) and sets TOTP off. The user-level calls
// (SetUserMFAPreference with an access token) are used, not AdminSetUserMFAPreference: they need
// no more permissions than the sign-in, and cognito-local implements only them.
// Nothing secret (password, TOTP secret, tokens, session, client secret) reaches an error.

import { createHmac } from "crypto";
import {
    AssociateSoftwareTokenCommand,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    InitiateAuthCommandOutput,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { msLeftInStep, totpCode } from "../../lib/totp";
import { commandLine, configPath } from "../../lib/shell";
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
async function freshCode(secret: string): Promise<string> {
    const left = msLeftInStep(totpClock.now());
    if (left < 3_000) await totpClock.sleep(left + 100);
    return totpCode(secret, totpClock.now());
}

/** Errors of a TOTP code Cognito refused (wrong, or already used in its step): answered again once. */
const refusedCode = new Set(["CodeMismatchException", "ExpiredCodeException"]);
/** How far into the next step a retry waits. */
const stepSlackMs = 1_000;

const passwordFlows = ["ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"];

function cannotEnrol(user: UserRef, problem: string): Error {
    return new Error(
        `Cognito user "${user.username}" in pool ${user.userPoolId} cannot be enrolled in TOTP, so nothing was changed: ${problem}`,
    );
}

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

/** The command that sets a pool's MFA to OPTIONAL with TOTP allowed. */
function optionalMfaCommand(pool: string): string {
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

/** SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)), when the client has a secret. */
function secretHash(signIn: SignInClient, username: string): Record<string, string> {
    if (!signIn.clientSecret) return {};
    return {
        SECRET_HASH: createHmac("sha256", signIn.clientSecret)
            .update(username + signIn.clientId)
            .digest("base64"),
    };
}

type SignedIn = { accessToken: string } | { setupSession: string; challengeUser: string };

/**
 * USER_PASSWORD_AUTH, answering SELECT_MFA_TYPE and SOFTWARE_TOKEN_MFA with `storedSecret`:
 * the access token, or the MFA_SETUP challenge's session. `secrets` gets every token and session.
 */
async function signIn(
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

/** A failed call's cause, secrets cut out; a disabled user or a refused sign-in said as such. */
function causeOf(err: unknown, secrets: readonly (string | undefined)[]): string {
    const text = describe(err, secrets);
    const name = (err as { name?: string } | undefined)?.name;
    if (name === "NotAuthorizedException" && /disabled/i.test(text))
        return `${text} (a disabled user cannot sign in to enrol or change its TOTP: enable it, or remove mfa from it)`;
    if (name === "InvalidParameterException" && /USER_PASSWORD_AUTH/.test(text))
        return `${text} (the app client must allow ALLOW_USER_PASSWORD_AUTH: the provider signs in with the user's password)`;
    return text;
}

function required<T>(value: T | undefined, problem: string): T {
    if (value === undefined || value === null || value === "") throw new Error(problem);
    return value;
}
