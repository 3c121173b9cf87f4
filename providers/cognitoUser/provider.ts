// The Cognito user provider: check, diff, create, read, update and delete of one user, as the
// engine's dynamic-provider host calls them (through the loader in ./loader, which answers
// configure, check and diff from ./plan.ts alone). The pure parts live in ./plan.ts (check and
// diff among them), the Cognito calls in ./calls.ts, error texts in ./errors.ts and the client
// factory in ./client.ts.

import type * as pulumi from "@pulumi/pulumi";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import {
    attributeList,
    failure,
    getUser,
    idOf,
    isPoolMissing,
    isUserMissing,
    keyFromId,
    keyOf,
    listGroups,
    managedAttributes,
    refOf,
    removeUser,
    send,
    subOf,
} from "./calls";
import { ClientSettings, operationClient } from "./client";
import {
    alreadyExistsError,
    caseRenameError,
    keptNotice,
    describe,
    goneError,
    isHistoryRefusal,
    isNotFound,
    namesakeNotice,
    namesakeUpdateError,
    unverifiedRenameError,
    userError,
} from "./errors";
import {
    CognitoCall,
    CognitoUserInputs,
    CognitoUserOutputs,
    UserState,
    checkUser,
    clientMoved,
    createTotpReason,
    diffUser,
    needsPassword,
    normalize,
    outputsOf,
    partialOutputs,
    planChanges,
    storedState,
    totpAction,
    totpNotice,
    totpOutputs,
    TotpOutputs,
} from "./plan";
import { SignInClient, TotpFailure, disableTotp, enrolTotp, enrolmentClient, removalClient } from "./totp";

export type { CognitoUserInputs, CognitoUserOutputs } from "./plan";

export type CognitoUserProvider = pulumi.dynamic.ResourceProvider<CognitoUserInputs, CognitoUserOutputs>;

/**
 * How far Cognito's clock may be behind ours when create decides whether a user that appeared
 * during its own call can be the one its retried call made (see `createUser`).
 */
const clockSkewMs = 60_000;

/** The key under which the dynamic-provider host keeps the serialized provider, in inputs and outputs. */
const providerKey = "__provider";

/**
 * The users a create of this provider made or found, by pool and `sub`, with the username it used
 * (one provider per host process: the loader makes one). The engine deletes a resource that left
 * the program after it made the new ones, through the same host: so when a create under another
 * name met a user (a case-only rename, in a case-insensitive pool, that reached the engine as a new
 * resource), the old resource's delete finds the sub here and leaves that user alone.
 */
class MetUsers {
    private readonly byPoolAndSub = new Map<string, string>();
    note(userPoolId: string, sub: string | undefined, username: string): void {
        if (sub) this.byPoolAndSub.set(JSON.stringify([userPoolId, sub]), username);
    }
    /** The username a create used for this user, if one met it. */
    usernameOf(userPoolId: string, sub: string): string | undefined {
        return this.byPoolAndSub.get(JSON.stringify([userPoolId, sub]));
    }
}

/**
 * Creates a provider. The loader makes one per host process; tests make their own. Region and
 * profile come from `configure` (the stack's `aws:` config), the rest from the environment.
 */
export function createCognitoUserProvider(): CognitoUserProvider {
    let settings: ClientSettings = {};
    const cognito = () => operationClient(settings);
    const met = new MetUsers();
    return {
        async configure(req) {
            settings = { region: req.config.get("aws:region"), profile: req.config.get("aws:profile") };
        },
        async check(olds, news) {
            const reason = createTotpReason(olds, news);
            if (reason) console.error(totpNotice(news, reason));
            return checkUser(news, olds);
        },
        async diff(_id, olds, news) {
            const result = diffUser(olds, news);
            if (result.totpReason) console.error(totpNotice(news, result.totpReason));
            return result;
        },
        async create(inputs) {
            return createUser(cognito(), normalize(inputs), met, (inputs as unknown as Record<string, unknown>)[providerKey]);
        },
        async read(id, props) {
            return readUser(cognito(), id, props);
        },
        async update(_id, olds, news) {
            return updateUser(cognito(), olds, normalize(news), (news as unknown as Record<string, unknown>)[providerKey]);
        },
        async delete(id, props) {
            return deleteUser(cognito(), id, props, met);
        },
    };
}

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
async function createUser(client: CognitoIdentityProviderClient, user: CognitoUserInputs, met: MetUsers, providerText?: unknown) {
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

/** Enrols the user in TOTP: the outputs that record it. */
async function enrolled(
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
function failedTotpOutputs(err: TotpFailure, totpClient: SignInClient): TotpOutputs {
    return err.progress.secret === undefined ? {} : { totpSecret: err.progress.secret, totpClientId: totpClient.clientId };
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

/**
 * AdminGetUser: the managed attributes (those the stored outputs name), enabled, groups and status,
 * so drift shows in the next preview. A user deleted outside Pulumi reads as gone, and so does one
 * whose name another user (another `sub`) now has: that one is someone else's, and is left alone.
 * A pool that cannot be found is an error: it may be a wrong region, account or endpoint.
 * State without a sub (older versions) gets the sub read here.
 */
async function readUser(client: CognitoIdentityProviderClient, id: string, props?: Partial<CognitoUserOutputs>) {
    const key = keyFromId(id, props);
    const secrets = [props?.password];
    const found = await getUser(client, key, "could not be read", secrets);
    if (!found) return { id: "" };
    const storedSub = props?.sub || "";
    const foundSub = subOf(found.UserAttributes);
    if (storedSub && foundSub && foundSub !== storedSub) {
        console.error(namesakeNotice(refOf(key), "refresh", storedSub, foundSub));
        return { id: "" };
    }
    let groups: string[];
    try {
        groups = await listGroups(client, key);
    } catch (err) {
        if (isUserMissing(err)) return { id: "" };
        throw await failure(client, key, "could not be read", err, secrets);
    }
    const outs: CognitoUserOutputs = {
        ...outputsOf(
            { ...normalize({ ...props } as CognitoUserInputs), userPoolId: key.UserPoolId, username: key.Username },
            foundSub ?? props?.sub,
            Boolean(props?.adopted),
        ),
        attributes: managedAttributes(found.UserAttributes, Object.keys(props?.attributes ?? {})),
        enabled: found.Enabled ?? true,
        groups: groups.sort(),
        status: found.UserStatus ?? "UNKNOWN",
        ...totpOutputs(props ?? {}),
    };
    if (outs.totp && !hasTotp(found)) {
        // Removed or reset outside Pulumi: recorded as not enrolled, so the next `pulumi up` enrols it again.
        outs.totpClientId = outs.totp.clientId;
        delete outs.totp;
        console.error(
            `cognito-auth: Cognito user "${key.Username}" in user pool ${key.UserPoolId} no longer has the TOTP this stack enrolled ` +
                "(SOFTWARE_TOKEN_MFA is not in its MFA settings): removed or reset outside Pulumi. The next `pulumi up` re-enrols TOTP (new secret).",
        );
    }
    return { id, props: outs };
}

/** Whether Cognito lists TOTP among the user's MFA settings. */
function hasTotp(found: AdminGetUserCommandOutput): boolean {
    return (found.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA");
}

/**
 * Only the calls that differ; the password also when the status drifted from CONFIRMED. The user
 * is looked up first and nothing is sent unless it is this stack's (the stored `sub`; state
 * without one gets it recorded). A case-only rename is an update: in a case-insensitive pool the
 * new spelling finds the same sub; where case matters it does not, and the update stops.
 */
async function updateUser(
    client: CognitoIdentityProviderClient,
    olds: CognitoUserOutputs,
    user: CognitoUserInputs,
    providerText?: unknown,
) {
    const secrets = [user.password, olds.password, olds.totpSecret];
    const key = keyOf(user);
    const storedSub = olds.sub || "";
    const calls = planChanges(storedState(olds), user, needsPassword(olds, user));
    const totp = totpAction(olds, user);
    // TOTP state carried as it is: only while the user has `mfa` (without it, no output may hold a secret).
    // The enrolment follows the configured client, so that a removal signs in through one that exists.
    const keptTotp = user.mfa
        ? totpOutputs(clientMoved(olds, user) ? { ...olds, totp: { ...olds.totp!, clientId: user.clientId! } } : olds)
        : {};
    // Nothing to send (e.g. state of an older version rewritten): no call at all.
    if (calls.length === 0 && !totp && storedSub && olds.username === user.username)
        return { outs: { ...outputsOf(user, storedSub, Boolean(olds.adopted)), ...keptTotp } };
    const found = await getUser(client, key, "could not be looked up before updating it", secrets);
    const foundSub = found ? subOf(found.UserAttributes) : undefined;
    const otherSub = Boolean(storedSub && foundSub && foundSub !== storedSub);
    if (olds.username !== undefined && olds.username !== user.username) {
        if (!found || otherSub) throw caseRenameError(user, olds.username, storedSub, foundSub);
        if (!storedSub) throw unverifiedRenameError(user, olds.username);
    }
    if (!found) throw goneError(user);
    if (otherSub) throw namesakeUpdateError(user, storedSub, foundSub!);
    // Removal signs in only while Cognito has the TOTP; without it there is nothing to turn off, only the secret to drop.
    const turnOff = totp === "disable" && hasTotp(found);
    const signsIn = totp === "enrol" || turnOff;
    if (signsIn && found.Enabled === false && !calls.some((call) => call.action === "AdminEnableUser"))
        throw new Error(
            `Cognito user "${user.username}" in user pool ${user.userPoolId} is disabled in Cognito, and a disabled user cannot sign in to ` +
                `${totp === "enrol" ? "enrol in" : "turn off"} TOTP, so nothing was changed. Enable it (or run \`pulumi refresh\`, and ` +
                "`pulumi up` enables it as configured), then run `pulumi up` again.",
        );
    // Checked before anything is sent: the client's sign-in flow, and for an enrolment the pool's MFA.
    const totpClient =
        totp === "enrol"
            ? await enrolmentClient(client, user, user.clientId, secrets)
            : turnOff
              ? await removalClient(client, user, olds.totp?.clientId ?? olds.totpClientId, secrets)
              : undefined;
    // Off first, signed in with the password Cognito has now: a later failure then leaves no secret in the outputs.
    if (turnOff) await disableTotp(client, user, totpClient!, olds.password, olds.totpSecret, secrets);
    const totpDone = turnOff ? ["SetUserMFAPreference (TOTP off)"] : [];
    const applied: CognitoCall[] = [];
    let totpOuts: TotpOutputs = keptTotp;
    try {
        await send(client, user, calls, applied);
        if (totp === "enrol") totpOuts = await enrolled(client, user, totpClient!, olds.totpSecret, secrets);
    } catch (err) {
        // Not-found also means a missing group: say "gone" only when the user itself is.
        if (isNotFound(err)) {
            const lookUp = await client.send(new AdminGetUserCommand(key)).then(
                () => undefined,
                (e) => e,
            );
            if (isUserMissing(lookUp)) throw goneError(user);
            if (isPoolMissing(lookUp)) throw await failure(client, key, "could not be updated", lookUp, secrets);
        }
        if (err instanceof TotpFailure) {
            const made = err.progress.secret;
            // A new secret replaced the old one in Cognito: recorded (a Pulumi secret) as not enrolled.
            if (made !== undefined) totpOuts = { totpSecret: made, totpClientId: totpClient!.clientId };
            if (applied.length === 0 && made === undefined && !turnOff) throw new Error(`${err.message}. Nothing else was changed.`);
            const partial = { ...partialOutputs(olds, user, applied, storedSub || foundSub || ""), ...totpOuts };
            throw partialUpdateError(err, user, applied, partial, providerText, totpDone);
        }
        if (applied.length === 0 && !turnOff) {
            // The password goes first, so a refused one means nothing was changed: the old state stays right.
            throw userError(
                user,
                isHistoryRefusal(err) ? "could not be updated, and nothing was changed" : "could not be updated",
                err,
                secrets,
            );
        }
        const partial = partialOutputs(olds, user, applied, storedSub || foundSub || "");
        throw partialUpdateError(userError(user, "was updated only in part", err, secrets), user, applied, partial, providerText, totpDone);
    }
    return { outs: { ...outputsOf(user, storedSub || foundSub, Boolean(olds.adopted)), ...totpOuts } };
}

/**
 * An update that failed after some of its calls went through: the engine stores `properties` as
 * the resource's outputs (the dynamic-provider host's partial-failure answer), so the state says
 * exactly what Cognito holds and the next `pulumi up` sends only the rest (the CLI prints the
 * `reasons`, not the message). They keep the `__provider` the inputs carry, which the host needs
 * to read and delete the resource later.
 */
function partialUpdateError(
    error: Error,
    user: CognitoUserInputs,
    applied: CognitoCall[],
    outputs: CognitoUserOutputs,
    providerText: unknown,
    before: string[] = [],
) {
    const done = [...before, ...applied.map((call) => call.action)].join(", ");
    error.message += ` (sent before it failed: ${done}; the stack's state records exactly that, so the next \`pulumi up\` sends the rest)`;
    return partialError(error, user, outputs, providerText);
}

/**
 * The dynamic host's partial-failure answer, for create as for update: the engine stores
 * `properties` as the resource's outputs, with the `__provider` the inputs carry.
 */
function partialError(error: Error, user: CognitoUserInputs, outputs: CognitoUserOutputs, providerText: unknown) {
    const properties = { ...outputs, ...(providerText === undefined ? {} : { [providerKey]: providerText }) };
    return Object.assign(error, { id: idOf(user), properties, reasons: [error.message] });
}

/**
 * AdminDeleteUser of this stack's user only. Already gone is success. A user under the name with
 * another `sub` is someone else's, and so is one that a create of this run met under another name
 * (see `MetUsers`): neither is deleted, and the delete succeeds, saying so on stderr. A pool that
 * cannot be found fails. Look-up then delete is not atomic (Cognito has no conditional delete).
 */
async function deleteUser(
    client: CognitoIdentityProviderClient,
    id: string,
    props: Partial<CognitoUserOutputs> | undefined,
    met: MetUsers,
) {
    const key = keyFromId(id, props);
    const secrets = [props?.password];
    const storedSub = props?.sub || "";
    const takenBy = storedSub ? met.usernameOf(key.UserPoolId, storedSub) : undefined;
    if (takenBy !== undefined && takenBy !== key.Username) {
        console.error(keptNotice(refOf(key), takenBy));
        return;
    }
    const found = await getUser(client, key, "could not be looked up before deleting it", secrets);
    if (!found) return;
    const foundSub = subOf(found.UserAttributes);
    if (storedSub && foundSub && foundSub !== storedSub) {
        console.error(namesakeNotice(refOf(key), "delete", storedSub, foundSub));
        return;
    }
    try {
        await client.send(new AdminDeleteUserCommand(key));
    } catch (err) {
        if (isUserMissing(err)) return;
        throw await failure(client, key, "could not be deleted", err, secrets);
    }
}
