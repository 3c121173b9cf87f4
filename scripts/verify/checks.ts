import { createHmac } from "crypto";
import { AuthFlowType, CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityClient, Credentials, GetCredentialsForIdentityCommand, GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { explainChallenge, explainIdentityError, explainSignInError, explainStsError, Explanation, isDisabledRefusal } from "./errors";
import { Outcome, Step } from "./outcome";
import { UserToVerify, VerifyInputs } from "./inputs";
import { ExpectedRole, expectedRole } from "./roles";
import { setSecretAdvice } from "../../lib/shell";
import { answerTotpChallenge, Clock, systemClock } from "./mfa";

// The checks: sign-in (USER_PASSWORD_AUTH, SECRET_HASH when the client has a secret), identity pool
// (GetId + GetCredentialsForIdentity with the user-pool login, or as a guest), and STS (whose
// credentials they are). Each takes its SDK clients as a parameter so tests can inject emulators
// and mocks, never throws for a failed step, and returns an Outcome (data, no secret).

export interface Clients {
    idp: CognitoIdentityProviderClient;
    identity: CognitoIdentityClient;
    /** An STS client that signs with the given temporary credentials. */
    stsWith(credentials: Credentials): STSClient;
    /** The clock TOTP codes are computed with (default: the system's). */
    clock?: Clock;
}

/** The clients the script uses: the standard SDK chain (endpoints from AWS_ENDPOINT_URL_*). */
export function defaultClients(region: string): Clients {
    return {
        idp: new CognitoIdentityProviderClient({ region }),
        identity: new CognitoIdentityClient({ region }),
        stsWith: (c) =>
            new STSClient({
                region,
                credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken },
            }),
    };
}

/** Cognito's SECRET_HASH: base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
    return createHmac("sha256", clientSecret)
        .update(username + clientId, "utf8")
        .digest("base64");
}

/** The role name in an IAM role ARN (`arn:aws:iam::<account>:role/<path/>name`). */
export function roleName(roleArn: string): string {
    return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

/** The role name in an STS assumed-role ARN (`arn:aws:sts::<account>:assumed-role/<name>/<session>`). */
export function assumedRoleName(callerArn: string): string | undefined {
    return /:assumed-role\/([^/]+)\//.exec(callerArn)?.[1];
}

function fail(outcome: Outcome, step: Step, why: Explanation | string): Outcome {
    outcome.failure = typeof why === "string" ? { step, reason: why } : { step, ...why };
    return outcome;
}

/** GetId (+ Logins when signed in), GetCredentialsForIdentity, then STS GetCallerIdentity. */
async function identityAndCredentials(
    clients: Clients,
    inputs: VerifyInputs,
    outcome: Outcome,
    logins: Record<string, string> | undefined,
    expected?: ExpectedRole,
): Promise<Outcome> {
    const guest = logins === undefined;
    const kind = guest ? "unauthenticated" : "authenticated";
    let identityId: string | undefined;
    try {
        identityId = (await clients.identity.send(new GetIdCommand({ IdentityPoolId: inputs.identityPoolId, Logins: logins }))).IdentityId;
    } catch (err) {
        return fail(outcome, "identity", explainIdentityError(err, "identity", guest));
    }
    if (!identityId) return fail(outcome, "identity", "GetId returned no identity id");
    outcome.identityId = identityId;

    let got;
    try {
        got = await clients.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: logins }));
    } catch (err) {
        const why = explainIdentityError(err, "credentials", guest);
        // A group's role has a trust policy of its own: say which role the identity pool had to assume.
        if (expected?.kind === "group") why.reason += `; the role expected is ${roleName(expected.roleArn)}, from ${expected.reason}`;
        return fail(outcome, "credentials", why);
    }
    const c = got.Credentials;
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken) {
        return fail(
            outcome,
            "credentials",
            "GetCredentialsForIdentity returned no complete credentials (access key, secret key and session token)",
        );
    }
    if (got.IdentityId && got.IdentityId !== identityId) {
        return fail(outcome, "credentials", `credentials were issued for another identity (${got.IdentityId}) than the one requested`);
    }
    const role = expected?.roleArn ?? (guest ? inputs.unauthenticatedRoleArn : inputs.authenticatedRoleArn);
    if (!role) {
        return fail(
            outcome,
            "credentials",
            `credentials were issued but the stack has no ${guest ? "unauthenticatedRoleArn" : "authenticatedRoleArn"} output to compare`,
        );
    }
    // Cognito does not say which role the credentials are for: STS does, for the credentials
    // themselves (GetCallerIdentity needs no permission).
    let callerArn: string | undefined;
    try {
        callerArn = (await clients.stsWith(c).send(new GetCallerIdentityCommand({}))).Arn;
    } catch (err) {
        return fail(outcome, "credentials", explainStsError(err));
    }
    const actual = assumedRoleName(callerArn ?? "");
    const came = actual ? `role ${actual}` : (callerArn ?? "an unknown principal");
    if (expected && actual !== roleName(role)) {
        return fail(
            outcome,
            "credentials",
            expected.kind === "group"
                ? `expected role ${roleName(role)} from ${expected.reason}, but the credentials are for ${came}: ` +
                      "check the group's role in the user pool and the identity pool's role mapping (type Token); pulumi refresh and pulumi up put them back"
                : `expected the authenticated role ${roleName(role)} (${expected.reason}), but the credentials are for ${came}: ` +
                      "check the user's groups in the pool, their roles and precedence, and the identity pool's role mapping; pulumi refresh and pulumi up put them back",
        );
    }
    if (actual !== roleName(role)) {
        return fail(
            outcome,
            "credentials",
            `the credentials are for ${came}, ` + `not for the ${kind} role ${roleName(role)}: check the identity pool's role attachment`,
        );
    }
    outcome.credentials = expected
        ? { role: expected.kind, expiration: c.Expiration, roleName: roleName(role), reason: expected.reason }
        : { role: kind, expiration: c.Expiration };
    return outcome;
}

/** Signs one user in, then gets its identity and credentials. Never throws for a failed step. */
export async function verifyUser(clients: Clients, inputs: VerifyInputs, user: UserToVerify): Promise<Outcome> {
    const outcome: Outcome = { user: user.username };
    if (!user.password) {
        return fail(outcome, "sign-in", `no password in config; ${setSecretAdvice("passwords", user.username)}`);
    }
    const hash = inputs.clientSecret ? secretHash(inputs.clientSecret, user.username, inputs.clientId) : undefined;
    const AuthParameters: Record<string, string> = { USERNAME: user.username, PASSWORD: user.password };
    if (hash) AuthParameters.SECRET_HASH = hash;
    const initiate = () =>
        clients.idp.send(new InitiateAuthCommand({ AuthFlow: AuthFlowType.USER_PASSWORD_AUTH, ClientId: inputs.clientId, AuthParameters }));
    let idToken: string | undefined;
    try {
        const auth = await initiate();
        if (auth.ChallengeName === "SOFTWARE_TOKEN_MFA" && user.totpSecret && user.enabled) {
            // The stack enrolled this user's TOTP: answer with the code from its secret.
            const answered = await answerTotpChallenge(
                {
                    client: clients.idp,
                    clientId: inputs.clientId,
                    username: user.username,
                    secret: user.totpSecret,
                    secretHash: hash,
                    restart: initiate,
                    hasClientSecret: !!inputs.clientSecret,
                    clock: clients.clock ?? systemClock,
                },
                auth.Session,
            );
            if ("failure" in answered) return fail(outcome, "sign-in", answered.failure);
            idToken = answered.idToken;
            outcome.mfa = "TOTP";
        } else if (auth.ChallengeName) {
            return fail(
                outcome,
                "sign-in",
                user.enabled
                    ? explainChallenge(auth.ChallengeName, !!user.totpSecret)
                    : `user is disabled in config but was not refused (${auth.ChallengeName}); run pulumi up to disable it`,
            );
        } else {
            idToken = auth.AuthenticationResult?.IdToken;
        }
    } catch (err) {
        if (!user.enabled && isDisabledRefusal(err)) {
            // Disabled on purpose: being refused as disabled is the expected result.
            outcome.signIn = "refused-as-expected";
            return outcome;
        }
        return fail(outcome, "sign-in", explainSignInError(err, !!inputs.clientSecret));
    }
    if (!user.enabled) {
        return fail(outcome, "sign-in", "user is disabled in config but signed in: the user in the pool is enabled; run pulumi up");
    }
    if (!idToken) return fail(outcome, "sign-in", "sign-in returned no ID token");
    outcome.signIn = "ok";
    const provider = `cognito-idp.${inputs.region}.amazonaws.com/${inputs.userPoolId}`;
    // With group roles, the role the user's groups give it (Cognito's preferred role); else the authenticated role.
    const expected = inputs.groupRoleArns
        ? expectedRole(user.groups ?? [], inputs.groups ?? {}, inputs.groupRoleArns, inputs.authenticatedRoleArn)
        : undefined;
    return identityAndCredentials(clients, inputs, outcome, { [provider]: idToken }, expected);
}

/** A guest identity and its credentials (only meaningful when guests are allowed). */
export async function verifyGuest(clients: Clients, inputs: VerifyInputs): Promise<Outcome> {
    return identityAndCredentials(clients, inputs, { signIn: "not-applicable" }, undefined);
}
