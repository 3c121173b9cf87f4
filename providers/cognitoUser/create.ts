// The user provider's create: a user under a free name (looked up first, made without an
// invitation, then its password, groups and enabled, and TOTP when it has `mfa`), or one that
// already exists, adopted only with `adoptExisting`. Kept apart because its rules about users
// that are not ours (what a create may take for its own, what a failure deletes again) are the
// provider's most careful part; ./provider.ts calls `createUser`.

import {
    AdminCreateUserCommand,
    AdminGetUserCommandOutput,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { attributeList, getUser, idOf, keyOf, listGroups, managedAttributes, removeUser, send, subOf } from "./calls";
import { alreadyExistsError, describe, userError } from "./errors";
import { CognitoUserInputs, UserState, outputsOf, planChanges } from "./plan";
import { SignInClient, TotpFailure } from "./totp";
import { enrolled, enrolmentClient, failedTotpOutputs } from "./totpEnrol";
import { MetUsers } from "./delete";
import { partialError } from "./partial";

/**
 * How far Cognito's clock may be behind ours when create decides whether a user that appeared
 * during its own call can be the one its retried call made (see `createUser`).
 */
const clockSkewMs = 60_000;

/**
 * AdminCreateUser without an invitation, then the permanent password (status CONFIRMED), groups
 * and enabled. Rules that keep other people's users safe:
 * - The username is looked up first. A user that exists then belongs to someone else (or to an
 *   interrupted run): it is managed only with `adoptExisting`, and never deleted on failure.
 * - If AdminCreateUser then says the name is taken, the user appeared during our own call. It is
 *   taken for the one our call made only when the SDK sent the call more than once (a lost
 *   response), and the user is FORCE_CHANGE_PASSWORD, enabled, created after the look-up and has
 *   exactly the attributes we sent. Anything else is treated as someone else's.
 * - Once this create has made the user, any later failure deletes it again: no half-made user.
 */
export async function createUser(client: CognitoIdentityProviderClient, user: CognitoUserInputs, met: MetUsers, providerText?: unknown) {
    const key = keyOf(user);
    const lookedUpAt = Date.now();
    const before = await getUser(client, keyOf(user), "could not be looked up before creating it", [user.password]);
    if (before) {
        met.note(user.userPoolId, subOf(before.UserAttributes), user.username);
        if (!user.adoptExisting) throw alreadyExistsError(user, { status: before.UserStatus, createdAt: before.UserCreateDate });
    }
    // What TOTP needs (the client's sign-in flow, the pool's MFA) is checked before anything is made.
    const secrets: (string | undefined)[] = [user.password];
    const totpClient = user.mfa ? await enrolmentClient(client, user, user.clientId, secrets) : undefined;
    if (before) return adoptUser(client, user, before, totpClient, secrets, providerText);
    let sub: string | undefined;
    try {
        const created = await client.send(
            new AdminCreateUserCommand({ ...key, UserAttributes: attributeList(user.attributes), MessageAction: "SUPPRESS" }),
        );
        sub = subOf(created.User?.Attributes);
        met.note(user.userPoolId, sub, user.username);
    } catch (err) {
        if ((err as Error)?.name !== "UsernameExistsException") throw userError(user, "could not be created", err, [user.password]);
        const appeared = await getUser(client, keyOf(user), "already exists and could not be read", [user.password]);
        if (!appeared) throw userError(user, "could not be created", err, [user.password]);
        met.note(user.userPoolId, subOf(appeared.UserAttributes), user.username);
        if (!madeByOwnRetry(err, appeared, user, lookedUpAt)) {
            if (!user.adoptExisting) throw alreadyExistsError(user, { status: appeared.UserStatus, createdAt: appeared.UserCreateDate });
            return adoptUser(client, user, appeared, totpClient, secrets, providerText);
        }
        sub = subOf(appeared.UserAttributes);
    }
    let totp = {};
    try {
        await send(client, user, planChanges({ attributes: user.attributes, enabled: true, groups: [] }, user, true));
        if (totpClient) totp = await enrolled(client, user, totpClient, undefined, secrets);
    } catch (err) {
        const cleanupFailure = await removeUser(client, key).then(
            () => undefined,
            (e) => describe(e, secrets),
        );
        if (err instanceof TotpFailure) {
            if (cleanupFailure === undefined)
                throw new Error(
                    `Cognito user "${user.username}" in pool ${user.userPoolId} could not be enrolled in TOTP (${err.stage}): ${err.causeText}. ` +
                        "It was created by this `pulumi up`, so the user was deleted again and nothing of it is left; the next `pulumi up` " +
                        "creates it and enrols it with a new secret.",
                );
            // The user stays: its state is recorded (password set, and any secret Cognito made) like a partial update's.
            const error = new Error(
                `${err.message}. It was created by this \`pulumi up\`, and deleting it again failed too (${cleanupFailure}), so the stack's state records the user`,
            );
            throw partialError(error, user, { ...outputsOf(user, sub, false), ...failedTotpOutputs(err, totpClient!) }, providerText);
        }
        const cleanup =
            cleanupFailure === undefined
                ? "the user was deleted again"
                : `deleting the half-made user failed too (${cleanupFailure}); delete it by hand`;
        throw userError(user, `was created but could not be completed; ${cleanup}`, err, secrets);
    }
    return { id: idOf(user), outs: { ...outputsOf(user, sub, false), ...totp } };
}

/** Whether a user that appeared during our AdminCreateUser call is the one that call made (see `createUser`). */
function madeByOwnRetry(createErr: unknown, found: AdminGetUserCommandOutput, user: CognitoUserInputs, lookedUpAt: number): boolean {
    const attempts = (createErr as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1;
    const attributes = new Map((found.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    return (
        attempts > 1 &&
        found.UserStatus === "FORCE_CHANGE_PASSWORD" &&
        found.Enabled !== false &&
        (found.UserCreateDate?.getTime() ?? 0) >= lookedUpAt - clockSkewMs &&
        Object.entries(user.attributes).every(([name, value]) => attributes.get(name) === value)
    );
}

/** Brings an existing user to the desired state (adoption). A failure never deletes it: it is not ours. */
async function adoptUser(
    client: CognitoIdentityProviderClient,
    user: CognitoUserInputs,
    existing: AdminGetUserCommandOutput,
    totpClient: SignInClient | undefined,
    secrets: (string | undefined)[],
    providerText: unknown,
) {
    let totp = {};
    try {
        const current: UserState = {
            attributes: managedAttributes(existing.UserAttributes, Object.keys(user.attributes)),
            enabled: existing.Enabled ?? true,
            groups: await listGroups(client, keyOf(user)),
        };
        await send(client, user, planChanges(current, user, true));
        if (totpClient) totp = await enrolled(client, user, totpClient, undefined, secrets);
    } catch (err) {
        if (err instanceof TotpFailure) {
            const error = new Error(
                `${err.message}. The user existed before this stack and was not deleted; its password, attributes and groups were set.`,
            );
            // No secret made: nothing to record, the next `pulumi up` adopts it again. Else the state keeps the secret.
            if (err.progress.secret === undefined) throw error;
            const outputs = { ...outputsOf(user, subOf(existing.UserAttributes), true), ...failedTotpOutputs(err, totpClient!) };
            throw partialError(error, user, outputs, providerText);
        }
        throw userError(user, "exists and could not be adopted (it was not deleted)", err, secrets);
    }
    return { id: idOf(user), outs: { ...outputsOf(user, subOf(existing.UserAttributes), true), ...totp } };
}
