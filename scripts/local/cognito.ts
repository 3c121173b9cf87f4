// The user pool and app client in the emulator (made once, found again by name), and the sign-in
// check. The pool has the settings of a pool this stack would create that matter for sign-in.

import {
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    ExplicitAuthFlowsType,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    ListUserPoolClientsCommand,
    ListUserPoolClientsCommandOutput,
    ListUserPoolsCommand,
    ListUserPoolsCommandOutput,
    RespondToAuthChallengeCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { totpCode } from "../../lib/totp";
import { clientName, poolName } from "./paths";

/** The region of a cognito-local pool id (`local_AbCd1234`): what aws:region must be. */
export const localRegion = "local";

/** The product's default password policy (a pool this stack creates): min 12, all four classes. */
export const passwordPolicy = {
    MinimumLength: 12,
    RequireLowercase: true,
    RequireUppercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
} as const;

export const authFlows: ExplicitAuthFlowsType[] = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

export function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
    // cognito-local accepts any credentials; the region only has to be there.
    return new CognitoIdentityProviderClient({
        endpoint,
        region: localRegion,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 2,
    });
}

export interface PoolAndClient {
    userPoolId: string;
    clientId: string;
    poolCreated: boolean;
    clientCreated: boolean;
    /** The pool's MFA was set to OPTIONAL with TOTP on by this run (a pool made by an earlier version). */
    mfaSet: boolean;
}

export async function ensurePoolAndClient(client: CognitoIdentityProviderClient): Promise<PoolAndClient> {
    let userPoolId: string | undefined;
    let NextToken: string | undefined;
    do {
        const page: ListUserPoolsCommandOutput = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
        userPoolId = page.UserPools?.find((p) => p.Name === poolName)?.Id;
        NextToken = page.NextToken;
    } while (!userPoolId && NextToken);
    const poolCreated = !userPoolId;
    if (!userPoolId) {
        const made = await client.send(
            new CreateUserPoolCommand({
                PoolName: poolName,
                Policies: { PasswordPolicy: { ...passwordPolicy, TemporaryPasswordValidityDays: 7 } },
                UsernameConfiguration: { CaseSensitive: false },
                AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
                AutoVerifiedAttributes: ["email"],
            }),
        );
        userPoolId = made.UserPool!.Id!;
    }
    const mfaSet = await ensureOptionalTotp(client, userPoolId);

    let clientId: string | undefined;
    NextToken = undefined;
    do {
        const page: ListUserPoolClientsCommandOutput = await client.send(
            new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60, NextToken }),
        );
        clientId = page.UserPoolClients?.find((c) => c.ClientName === clientName)?.ClientId;
        NextToken = page.NextToken;
    } while (!clientId && NextToken);
    const clientCreated = !clientId;
    if (!clientId) {
        const made = await client.send(
            new CreateUserPoolClientCommand({
                UserPoolId: userPoolId,
                ClientName: clientName,
                GenerateSecret: false,
                ExplicitAuthFlows: authFlows,
                PreventUserExistenceErrors: "ENABLED",
                EnableTokenRevocation: true,
            }),
        );
        clientId = made.UserPoolClient!.ClientId!;
    }
    return { userPoolId, clientId, poolCreated, clientCreated, mfaSet: mfaSet && !poolCreated };
}

/**
 * MFA OPTIONAL with TOTP (software tokens) on, as a pool this stack creates with `mfa: OPTIONAL`:
 * a user with `mfa: TOTP` can be enrolled, and a user without MFA signs in as before.
 * Returns whether it had to be set.
 */
async function ensureOptionalTotp(client: CognitoIdentityProviderClient, userPoolId: string): Promise<boolean> {
    const mfa = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
    if (mfa.MfaConfiguration === "OPTIONAL" && mfa.SoftwareTokenMfaConfiguration?.Enabled === true) return false;
    await client.send(
        new SetUserPoolMfaConfigCommand({
            UserPoolId: userPoolId,
            MfaConfiguration: "OPTIONAL",
            SoftwareTokenMfaConfiguration: { Enabled: true },
        }),
    );
    return true;
}

export interface SignInResult {
    user: string;
    ok: boolean;
    /** The result column: "ok", "failed: <why>", or why it was not tried. */
    signIn: string;
    /** The user's status in the pool: CONFIRMED, FORCE_CHANGE_PASSWORD, ..., plus "disabled"; "-" when unknown. */
    status: string;
    /** Not tried (disabled in config): does not count as a failure. */
    skipped: boolean;
    /** Only for a user with `mfa: TOTP` in config: whether it is enrolled, and if not, why. */
    totp?: { enrolled: boolean; why?: string };
}

/** A user with `mfa: TOTP` in config, and its secret from the stack output totpSecrets (if there). */
export interface TotpOfUser {
    secret: string | undefined;
}

/**
 * Signs the user in with USER_PASSWORD_AUTH (and, for a user with `mfa: TOTP`, answers
 * SOFTWARE_TOKEN_MFA with a code from its secret) and reads its status. Error texts may need redaction.
 */
export async function signIn(
    client: CognitoIdentityProviderClient,
    ids: { userPoolId: string; clientId: string },
    user: string,
    password: string | undefined,
    enabledInConfig: boolean,
    totp?: TotpOfUser,
): Promise<SignInResult> {
    let status = "-";
    let totpInPool = false;
    try {
        const got = await client.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: user }));
        totpInPool = (got.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA");
        status = `${got.UserStatus ?? "?"}${got.Enabled === false ? ", disabled" : ""}${totp && totpInPool ? ", TOTP" : ""}`;
    } catch (err) {
        status = (err as Error).name === "UserNotFoundException" ? "not in the pool" : `unknown (${(err as Error).name})`;
    }
    if (!enabledInConfig) {
        // cognito-local lets a disabled user sign in (real Cognito refuses): a try would prove nothing.
        return { user, ok: true, skipped: true, signIn: "not tried (enabled: false in config)", status };
    }
    // A user with mfa TOTP counts as enrolled only once it signed in with a code from its secret.
    const result = (ok: boolean, signIn: string): SignInResult => ({
        user,
        ok,
        skipped: false,
        signIn,
        status,
        ...(totp ? { totp: ok ? { enrolled: true } : { enrolled: false, why: signIn.replace(/^failed: /, "") } } : {}),
    });
    if (password === undefined) return result(false, "failed: no password in config");
    const notEnrolled = (why: string): SignInResult => result(false, `failed: TOTP not enrolled (${why})`);
    if (totp && !totpInPool) return notEnrolled("no SOFTWARE_TOKEN_MFA for it in the pool");
    if (totp && totp.secret === undefined) return notEnrolled("no secret for it in the stack output totpSecrets");
    try {
        const answer = await client.send(
            new InitiateAuthCommand({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: ids.clientId,
                AuthParameters: { USERNAME: user, PASSWORD: password },
            }),
        );
        if (answer.AuthenticationResult?.AccessToken) {
            // Enrolled in the pool yet no challenge: the pool does not ask for the code.
            return totp ? notEnrolled("signed in without a TOTP challenge") : result(true, "ok");
        }
        if (totp?.secret !== undefined && answer.ChallengeName === "SOFTWARE_TOKEN_MFA") {
            const tokens = await client.send(
                new RespondToAuthChallengeCommand({
                    ClientId: ids.clientId,
                    ChallengeName: "SOFTWARE_TOKEN_MFA",
                    Session: answer.Session,
                    ChallengeResponses: { USERNAME: user, SOFTWARE_TOKEN_MFA_CODE: totpCode(totp.secret) },
                }),
            );
            if (tokens.AuthenticationResult?.AccessToken) return result(true, "ok (TOTP code)");
            return result(false, `failed: challenge ${tokens.ChallengeName ?? "(none)"} after the TOTP code instead of tokens`);
        }
        return result(false, `failed: challenge ${answer.ChallengeName ?? "(none)"} instead of tokens`);
    } catch (err) {
        return result(false, `failed: ${(err as Error).name}: ${(err as Error).message}`);
    }
}
