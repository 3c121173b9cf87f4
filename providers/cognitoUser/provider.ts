// The Cognito user provider: check, diff, create, read, update and delete of one user, as the
// engine's dynamic-provider host calls them (through the loader in ./loader). The pure parts live
// in ./plan.ts, error texts in ./errors.ts and the client factory in ./client.ts.

import type * as pulumi from "@pulumi/pulumi";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserAttributesCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminEnableUserCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    AdminListGroupsForUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminSetUserPasswordCommand,
    AdminUpdateUserAttributesCommand,
    AttributeType,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { cognitoDefaultPasswordRules, userProblems } from "../rules";
import { ClientSettings, operationClient } from "./client";
import { alreadyExistsError, describe, goneError, isNotFound, userError } from "./errors";
import {
    CognitoCall,
    CognitoUserInputs,
    CognitoUserOutputs,
    UserState,
    diffUser,
    needsPassword,
    normalize,
    outputsOf,
    planChanges,
    storedState,
    unknownValue,
} from "./plan";

export type { CognitoUserInputs, CognitoUserOutputs } from "./plan";

export type CognitoUserProvider = pulumi.dynamic.ResourceProvider<CognitoUserInputs, CognitoUserOutputs>;

/**
 * How far Cognito's clock may be behind ours when create decides whether a user that appeared
 * during its own call can be the one its retried call made (see `createUser`).
 */
const clockSkewMs = 60_000;

/**
 * Creates a provider. The loader makes one per host process; tests make their own. Region and
 * profile come from `configure` (the stack's `aws:` config), the rest from the environment.
 */
export function createCognitoUserProvider(): CognitoUserProvider {
    let settings: ClientSettings = {};
    const cognito = () => operationClient(settings);
    return {
        async configure(req) {
            settings = { region: req.config.get("aws:region"), profile: req.config.get("aws:profile") };
        },
        async check(_olds, news) {
            return checkUser(news);
        },
        async diff(_id, olds, news) {
            return diffUser(olds, news);
        },
        async create(inputs) {
            return createUser(cognito(), normalize(inputs));
        },
        async read(id, props) {
            return readUser(cognito(), id, props);
        },
        async update(_id, olds, news) {
            return updateUser(cognito(), olds, normalize(news));
        },
        async delete(id, props) {
            return deleteUser(cognito(), id, props);
        },
    };
}

/** The shared rules of ../rules.ts, per property; values unknown during preview are skipped. */
export function checkUser(news: CognitoUserInputs) {
    const name = news.username === unknownValue ? "<unknown>" : news.username;
    const failures = userProblems(news, news.passwordPolicy ?? cognitoDefaultPasswordRules, undefined, unknownValue).map(
        ([property, problem]) => ({ property, reason: `Cognito user "${name}": ${problem}` }),
    );
    return { inputs: normalize(news), failures };
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
async function createUser(client: CognitoIdentityProviderClient, user: CognitoUserInputs) {
    const key = keyOf(user);
    const lookedUpAt = Date.now();
    const before = await findUser(client, user, "could not be looked up before creating it");
    if (before) {
        if (!user.adoptExisting) throw alreadyExistsError(user, { status: before.UserStatus, createdAt: before.UserCreateDate });
        return adoptUser(client, user, before);
    }
    let sub: string | undefined;
    try {
        const created = await client.send(
            new AdminCreateUserCommand({ ...key, UserAttributes: attributeList(user.attributes), MessageAction: "SUPPRESS" }),
        );
        sub = subOf(created.User?.Attributes);
    } catch (err) {
        if ((err as Error)?.name !== "UsernameExistsException") throw userError(user, "could not be created", err, [user.password]);
        const appeared = await findUser(client, user, "already exists and could not be read");
        if (!appeared) throw userError(user, "could not be created", err, [user.password]);
        if (!madeByOwnRetry(err, appeared, user, lookedUpAt)) {
            if (!user.adoptExisting) throw alreadyExistsError(user, { status: appeared.UserStatus, createdAt: appeared.UserCreateDate });
            return adoptUser(client, user, appeared);
        }
        sub = subOf(appeared.UserAttributes);
    }
    try {
        await send(client, user, planChanges({ attributes: user.attributes, enabled: true, groups: [] }, user, true));
    } catch (err) {
        const cleanup = await removeUser(client, key).then(
            () => "the user was deleted again",
            (e) => `deleting the half-made user failed too (${describe(e, [user.password])}); delete it by hand`,
        );
        throw userError(user, `was created but could not be completed; ${cleanup}`, err, [user.password]);
    }
    return { id: idOf(user), outs: outputsOf(user, sub, false) };
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
async function adoptUser(client: CognitoIdentityProviderClient, user: CognitoUserInputs, existing: AdminGetUserCommandOutput) {
    try {
        const current: UserState = {
            attributes: managedAttributes(existing.UserAttributes, Object.keys(user.attributes)),
            enabled: existing.Enabled ?? true,
            groups: await listGroups(client, keyOf(user)),
        };
        await send(client, user, planChanges(current, user, true));
    } catch (err) {
        throw userError(user, "exists and could not be adopted (it was not deleted)", err, [user.password]);
    }
    return { id: idOf(user), outs: outputsOf(user, subOf(existing.UserAttributes), true) };
}

/**
 * AdminGetUser: the managed attributes (those the stored outputs name), enabled, groups and status,
 * so drift shows in the next preview. A user deleted outside Pulumi, or with its pool, reads as gone.
 */
async function readUser(client: CognitoIdentityProviderClient, id: string, props?: Partial<CognitoUserOutputs>) {
    const key = keyFromId(id, props);
    let found: AdminGetUserCommandOutput;
    let groups: string[];
    try {
        found = await client.send(new AdminGetUserCommand(key));
        groups = await listGroups(client, key);
    } catch (err) {
        if (isNotFound(err)) return { id: "" };
        throw userError({ userPoolId: key.UserPoolId, username: key.Username }, "could not be read", err, [props?.password]);
    }
    const outs: CognitoUserOutputs = {
        ...outputsOf(
            { ...normalize({ ...props } as CognitoUserInputs), userPoolId: key.UserPoolId, username: key.Username },
            subOf(found.UserAttributes) ?? props?.sub,
            Boolean(props?.adopted),
        ),
        attributes: managedAttributes(found.UserAttributes, Object.keys(props?.attributes ?? {})),
        enabled: found.Enabled ?? true,
        groups: groups.sort(),
        status: found.UserStatus ?? "UNKNOWN",
    };
    return { id, props: outs };
}

/** Only the calls that differ; the password also when the status drifted from CONFIRMED. */
async function updateUser(client: CognitoIdentityProviderClient, olds: CognitoUserOutputs, user: CognitoUserInputs) {
    try {
        await send(client, user, planChanges(storedState(olds), user, needsPassword(olds, user)));
    } catch (err) {
        // Not-found also means a missing group: say "gone" only when the user itself is.
        const lookUp = isNotFound(err)
            ? await client.send(new AdminGetUserCommand(keyOf(user))).then(
                  () => undefined,
                  (e) => e,
              )
            : undefined;
        if (isNotFound(lookUp)) throw goneError(user, lookUp);
        throw userError(user, "could not be updated", err, [user.password, olds.password]);
    }
    return { outs: outputsOf(user, olds.sub, Boolean(olds.adopted)) };
}

/** AdminDeleteUser; a user (or pool) already gone counts as deleted. */
async function deleteUser(client: CognitoIdentityProviderClient, id: string, props?: Partial<CognitoUserOutputs>) {
    const key = keyFromId(id, props);
    await removeUser(client, key).catch((err) => {
        throw userError({ userPoolId: key.UserPoolId, username: key.Username }, "could not be deleted", err, [props?.password]);
    });
}

type Key = { UserPoolId: string; Username: string };

/** Sends a plan's calls in order; the first failure stops it. */
async function send(client: CognitoIdentityProviderClient, user: CognitoUserInputs, calls: CognitoCall[]): Promise<void> {
    const key = keyOf(user);
    // The commands differ in type; send accepts each of them, not their union.
    for (const call of calls) await client.send(commandOf(call, key, user.password) as Parameters<typeof client.send>[0]);
}

function commandOf(call: CognitoCall, key: Key, password: string) {
    switch (call.action) {
        case "AdminUpdateUserAttributes":
            return new AdminUpdateUserAttributesCommand({ ...key, UserAttributes: attributeList(call.attributes) });
        case "AdminDeleteUserAttributes":
            return new AdminDeleteUserAttributesCommand({ ...key, UserAttributeNames: call.names });
        case "AdminSetUserPassword":
            return new AdminSetUserPasswordCommand({ ...key, Password: password, Permanent: true });
        case "AdminAddUserToGroup":
            return new AdminAddUserToGroupCommand({ ...key, GroupName: call.group });
        case "AdminRemoveUserFromGroup":
            return new AdminRemoveUserFromGroupCommand({ ...key, GroupName: call.group });
        case "AdminEnableUser":
            return new AdminEnableUserCommand(key);
        case "AdminDisableUser":
            return new AdminDisableUserCommand(key);
    }
}

/** AdminGetUser, or undefined when the user does not exist. */
async function findUser(client: CognitoIdentityProviderClient, user: CognitoUserInputs, what: string) {
    try {
        return await client.send(new AdminGetUserCommand(keyOf(user)));
    } catch (err) {
        if ((err as Error)?.name === "UserNotFoundException") return undefined;
        throw userError(user, what, err, [user.password]);
    }
}

async function listGroups(client: CognitoIdentityProviderClient, key: Key): Promise<string[]> {
    const groups: string[] = [];
    let NextToken: string | undefined;
    do {
        const page = await client.send(new AdminListGroupsForUserCommand({ ...key, NextToken }));
        groups.push(...(page.Groups ?? []).map((g) => g.GroupName!));
        NextToken = page.NextToken;
    } while (NextToken);
    return groups;
}

function removeUser(client: CognitoIdentityProviderClient, key: Key): Promise<void> {
    return client.send(new AdminDeleteUserCommand(key)).then(
        () => undefined,
        (err) => {
            if (!isNotFound(err)) throw err;
        },
    );
}

function managedAttributes(attributes: AttributeType[] | undefined, names: string[]): Record<string, string> {
    return Object.fromEntries((attributes ?? []).filter((a) => names.includes(a.Name!)).map((a) => [a.Name!, a.Value ?? ""]));
}

function subOf(attributes: AttributeType[] | undefined): string | undefined {
    return attributes?.find((a) => a.Name === "sub")?.Value;
}

function keyOf(user: { userPoolId: string; username: string }): Key {
    return { UserPoolId: user.userPoolId, Username: user.username };
}

function idOf(user: CognitoUserInputs): string {
    return `${user.userPoolId}/${user.username}`;
}

/** The key from stored outputs, or from the id `<pool>/<username>` alone (usernames may contain "/"). */
function keyFromId(id: string, props?: Partial<CognitoUserOutputs>): Key {
    const slash = id.indexOf("/");
    return { UserPoolId: props?.userPoolId ?? id.slice(0, slash), Username: props?.username ?? id.slice(slash + 1) };
}

function attributeList(attributes: Record<string, string>): AttributeType[] {
    return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}
