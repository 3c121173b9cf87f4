// The user provider's read (`pulumi refresh`): the managed attributes, enabled, groups and status
// as Cognito holds them now, and whether it still has the TOTP this stack enrolled, so drift shows
// in the next preview; a user that is gone, or whose name another user now has, reads as gone. Also
// whether Cognito lists TOTP for a user, which update asks too.

import { AdminGetUserCommandOutput, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { failure, getUser, isUserMissing, keyFromId, listGroups, managedAttributes, refOf, subOf } from "./calls";
import { namesakeNotice } from "./errors";
import { CognitoUserInputs, CognitoUserOutputs, normalize, outputsOf, totpOutputs } from "./plan";

/**
 * AdminGetUser: the managed attributes (those the stored outputs name), enabled, groups and status,
 * so drift shows in the next preview. A user deleted outside Pulumi reads as gone, and so does one
 * whose name another user (another `sub`) now has: that one is someone else's, and is left alone.
 * A pool that cannot be found is an error: it may be a wrong region, account or endpoint.
 * State without a sub (older versions) gets the sub read here.
 */
export async function readUser(client: CognitoIdentityProviderClient, id: string, props?: Partial<CognitoUserOutputs>) {
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
export function hasTotp(found: AdminGetUserCommandOutput): boolean {
    return (found.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA");
}
