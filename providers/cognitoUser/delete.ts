// The user provider's delete (`pulumi destroy`, a user removed from the program), and the record
// of the users this provider's creates met, by which a delete leaves alone a user that a create
// of the same run took under another name. Only this stack's user is ever deleted.

import { AdminDeleteUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { failure, getUser, isUserMissing, keyFromId, refOf, subOf } from "./calls";
import { keptNotice, namesakeNotice } from "./errors";
import { CognitoUserOutputs } from "./plan";

/**
 * The users a create of this provider made or found, by pool and `sub`, with the username it used
 * (one provider per host process: the loader makes one). The engine deletes a resource that left
 * the program after it made the new ones, through the same host: so when a create under another
 * name met a user (a case-only rename, in a case-insensitive pool, that reached the engine as a new
 * resource), the old resource's delete finds the sub here and leaves that user alone.
 */
export class MetUsers {
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
 * AdminDeleteUser of this stack's user only. Already gone is success. A user under the name with
 * another `sub` is someone else's, and so is one that a create of this run met under another name
 * (see `MetUsers`): neither is deleted, and the delete succeeds, saying so on stderr. A pool that
 * cannot be found fails. Look-up then delete is not atomic (Cognito has no conditional delete).
 */
export async function deleteUser(
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
