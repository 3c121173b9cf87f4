// The Cognito calls the provider makes for one user, and the small conversions around them: a
// plan's calls sent in order, look-ups that tell "no such user" from "no such pool", group
// listing, and keys and ids. The provider's lifecycle (./provider.ts) decides what to call.

import {
    AdminAddUserToGroupCommand,
    AdminDeleteUserAttributesCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminEnableUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminSetUserPasswordCommand,
    AdminUpdateUserAttributesCommand,
    AttributeType,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { Place, isNotFound, poolNotFoundError, userError } from "./errors";
import { CognitoCall, CognitoUserInputs, CognitoUserOutputs } from "./plan";

export type Key = { UserPoolId: string; Username: string };

/** Sends a plan's calls in order; the first failure stops it. `applied` gets each call that went through. */
export async function send(
    client: CognitoIdentityProviderClient,
    user: CognitoUserInputs,
    calls: CognitoCall[],
    applied: CognitoCall[] = [],
): Promise<void> {
    const key = keyOf(user);
    for (const call of calls) {
        // The commands differ in type; send accepts each of them, not their union.
        await client.send(commandOf(call, key, user.password) as Parameters<typeof client.send>[0]);
        applied.push(call);
    }
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

/** AdminGetUser, or undefined when no user has the name; a missing pool and other failures throw. */
export async function getUser(client: CognitoIdentityProviderClient, key: Key, what: string, secrets: readonly (string | undefined)[]) {
    try {
        return await client.send(new AdminGetUserCommand(key));
    } catch (err) {
        if (isUserMissing(err)) return undefined;
        throw await failure(client, key, what, err, secrets);
    }
}

/** The error for a failed call on a user: the pool-not-found error (with region and endpoint), or the call's own. */
export async function failure(
    client: CognitoIdentityProviderClient,
    key: Key,
    what: string,
    err: unknown,
    secrets: readonly (string | undefined)[],
): Promise<Error> {
    if (isPoolMissing(err)) return poolNotFoundError(refOf(key), what, await placeOf(client), err, secrets);
    return userError(refOf(key), what, err, secrets);
}

/** For calls on a user (not a group), ResourceNotFoundException means the pool is not there. */
export function isPoolMissing(err: unknown): boolean {
    return (err as { name?: string } | undefined)?.name === "ResourceNotFoundException";
}

export function isUserMissing(err: unknown): boolean {
    return (err as { name?: string } | undefined)?.name === "UserNotFoundException";
}

/** The region the client signs for and the endpoint it sends to, as the SDK resolves them. */
async function placeOf(client: CognitoIdentityProviderClient): Promise<Place> {
    let region = "";
    try {
        region = (await client.config.region()) ?? "";
    } catch {
        /* no region configured: named as such below */
    }
    const endpoint =
        process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ||
        process.env.AWS_ENDPOINT_URL ||
        (region ? `https://cognito-idp.${region}.amazonaws.com` : "(no endpoint: no region)");
    return { region: region || "(none set)", endpoint };
}

export async function listGroups(client: CognitoIdentityProviderClient, key: Key): Promise<string[]> {
    const groups: string[] = [];
    let NextToken: string | undefined;
    do {
        const page = await client.send(new AdminListGroupsForUserCommand({ ...key, NextToken }));
        groups.push(...(page.Groups ?? []).map((g) => g.GroupName!));
        NextToken = page.NextToken;
    } while (NextToken);
    return groups;
}

export function removeUser(client: CognitoIdentityProviderClient, key: Key): Promise<void> {
    return client.send(new AdminDeleteUserCommand(key)).then(
        () => undefined,
        (err) => {
            if (!isNotFound(err)) throw err;
        },
    );
}

export function managedAttributes(attributes: AttributeType[] | undefined, names: string[]): Record<string, string> {
    return Object.fromEntries((attributes ?? []).filter((a) => names.includes(a.Name!)).map((a) => [a.Name!, a.Value ?? ""]));
}

export function subOf(attributes: AttributeType[] | undefined): string | undefined {
    return attributes?.find((a) => a.Name === "sub")?.Value;
}

export function refOf(key: Key) {
    return { userPoolId: key.UserPoolId, username: key.Username };
}

export function keyOf(user: { userPoolId: string; username: string }): Key {
    return { UserPoolId: user.userPoolId, Username: user.username };
}

export function idOf(user: CognitoUserInputs): string {
    return `${user.userPoolId}/${user.username}`;
}

/** The key from stored outputs, or from the id `<pool>/<username>` alone (usernames may contain "/"). */
export function keyFromId(id: string, props?: Partial<CognitoUserOutputs>): Key {
    const slash = id.indexOf("/");
    return { UserPoolId: props?.userPoolId ?? id.slice(0, slash), Username: props?.username ?? id.slice(slash + 1) };
}

export function attributeList(attributes: Record<string, string>): AttributeType[] {
    return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}
