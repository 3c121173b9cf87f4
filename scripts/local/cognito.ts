// The user pool and app client in the emulator (made once, found again by name), and the sign-in
// check. The pool has the settings of a pool this stack would create that matter for sign-in.

import {
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    ExplicitAuthFlowsType,
    InitiateAuthCommand,
    ListUserPoolClientsCommand,
    ListUserPoolClientsCommandOutput,
    ListUserPoolsCommand,
    ListUserPoolsCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
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
    return { userPoolId, clientId, poolCreated, clientCreated };
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
}

/** Signs the user in with USER_PASSWORD_AUTH and reads its status. Error texts may need redaction. */
export async function signIn(
    client: CognitoIdentityProviderClient,
    ids: { userPoolId: string; clientId: string },
    user: string,
    password: string | undefined,
    enabledInConfig: boolean,
): Promise<SignInResult> {
    let status = "-";
    try {
        const got = await client.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: user }));
        status = `${got.UserStatus ?? "?"}${got.Enabled === false ? ", disabled" : ""}`;
    } catch (err) {
        status = (err as Error).name === "UserNotFoundException" ? "not in the pool" : `unknown (${(err as Error).name})`;
    }
    if (!enabledInConfig) {
        // cognito-local lets a disabled user sign in (real Cognito refuses): a try would prove nothing.
        return { user, ok: true, skipped: true, signIn: "not tried (enabled: false in config)", status };
    }
    if (password === undefined) return { user, ok: false, skipped: false, signIn: "failed: no password in config", status };
    try {
        const answer = await client.send(
            new InitiateAuthCommand({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: ids.clientId,
                AuthParameters: { USERNAME: user, PASSWORD: password },
            }),
        );
        if (answer.AuthenticationResult?.AccessToken) return { user, ok: true, skipped: false, signIn: "ok", status };
        return {
            user,
            ok: false,
            skipped: false,
            signIn: `failed: challenge ${answer.ChallengeName ?? "(none)"} instead of tokens`,
            status,
        };
    } catch (err) {
        return { user, ok: false, skipped: false, signIn: `failed: ${(err as Error).name}: ${(err as Error).message}`, status };
    }
}
