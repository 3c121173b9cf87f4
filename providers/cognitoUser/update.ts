// The user provider's update: only the calls that differ, after checking that the user under the
// name is still this stack's (its `sub`), and the TOTP enrolment or turning off that the change
// asks for. A failure after some calls went through answers with the state Cognito now holds
// (./partial.ts). Apart from create: the two share only the enrolment (./totpEnrol.ts) and that
// partial-failure answer.

import { AdminGetUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { failure, getUser, isPoolMissing, isUserMissing, keyOf, send, subOf } from "./calls";
import { caseRenameError, goneError, isHistoryRefusal, isNotFound, namesakeUpdateError, unverifiedRenameError, userError } from "./errors";
import {
    CognitoCall,
    CognitoUserInputs,
    CognitoUserOutputs,
    clientMoved,
    needsPassword,
    outputsOf,
    partialOutputs,
    planChanges,
    storedState,
    totpAction,
    totpOutputs,
    TotpOutputs,
} from "./plan";
import { TotpFailure } from "./totp";
import { enrolled, enrolmentClient } from "./totpEnrol";
import { disableTotp, removalClient } from "./totpRemoval";
import { partialUpdateError } from "./partial";
import { hasTotp } from "./read";

/**
 * Only the calls that differ; the password also when the status drifted from CONFIRMED. The user
 * is looked up first and nothing is sent unless it is this stack's (the stored `sub`; state
 * without one gets it recorded). A case-only rename is an update: in a case-insensitive pool the
 * new spelling finds the same sub; where case matters it does not, and the update stops.
 */
export async function updateUser(
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
