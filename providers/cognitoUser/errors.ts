// Every error the provider raises names the user and pool and says what to do; none contains a
// password. Text that comes from AWS or the network is redacted before it is used.

import { redact } from "../../lib/redact";
import { commandLine, removeUserAdvice, setSecretAdvice } from "../../lib/shell";

/** An error's name and message, with the secrets cut out. */
export function describe(err: unknown, secrets: readonly (string | undefined)[]): string {
    const e = err as { name?: string; message?: string } | undefined;
    return redact(`${e?.name || "Error"}: ${e?.message ?? String(err)}`, secrets);
}

export interface UserRef {
    userPoolId: string;
    username: string;
}

/**
 * `Cognito user "<name>" in pool <id> <what>: <cause>`, without secrets. A password the pool's
 * password history refuses gets its own cause text (`historyRefusal`).
 */
export function userError(user: UserRef, what: string, cause: unknown, secrets: readonly (string | undefined)[]): Error {
    const text = isHistoryRefusal(cause) ? historyRefusal(user.username) : describe(cause, secrets);
    return new Error(`Cognito user "${user.username}" in pool ${user.userPoolId} ${what}: ${text}`);
}

/** What Cognito answers when a new password is one of the user's recent ones. */
export const historyViolation = "PasswordHistoryPolicyViolationException";

export function isHistoryRefusal(err: unknown): boolean {
    return (err as { name?: string } | undefined)?.name === historyViolation;
}

/**
 * Why Cognito refused the password and how to set another. Nothing of Cognito's own text is used:
 * only the rule, so nothing from or about the password can reach the message.
 */
export function historyRefusal(username: string): string {
    return (
        `Cognito refuses the new password (${historyViolation}): it is one of the user's recent passwords, which the ` +
        "user pool's password history forbids (passwordPolicy.passwordHistorySize). Choose a password the user has not had " +
        `recently; ${setSecretAdvice("passwords", username, "set it with")}, then run \`pulumi up\` again.`
    );
}

/** Names of the errors Cognito returns for a user, or its pool, that does not exist. */
export const notFound = ["UserNotFoundException", "ResourceNotFoundException"];

export function isNotFound(err: unknown): boolean {
    return notFound.includes((err as { name?: string } | undefined)?.name ?? "");
}

/** An update found the user gone: say so, and how Pulumi recreates it. */
export function goneError(user: UserRef): Error {
    return new Error(
        `Cognito user "${user.username}" no longer exists in user pool ${user.userPoolId} (deleted outside Pulumi), so it cannot be updated. ` +
            "Run `pulumi refresh` and then `pulumi up` (or `pulumi up --refresh`) to create it again.",
    );
}

/** What create found when the username was taken: who the user is, as far as Cognito says. */
export interface ExistingUser {
    status?: string;
    createdAt?: Date;
}

/**
 * Create met a user this stack does not manage, and adoption is off. The likeliest cause is an
 * interrupted `pulumi up` of this very stack (the user was made, the state never recorded it),
 * so the message says how to take it over, and what to do if it is someone else's.
 */
export function alreadyExistsError(user: UserRef, existing: ExistingUser): Error {
    const created = existing.createdAt ? `, created ${existing.createdAt.toISOString()}` : "";
    const halfMade =
        existing.status === "FORCE_CHANGE_PASSWORD"
            ? " It has no permanent password yet, which is what a `pulumi up` interrupted between creating it and setting its password leaves behind."
            : "";
    return new Error(
        `Cognito user "${user.username}" already exists in user pool ${user.userPoolId} (status ${existing.status ?? "unknown"}${created}) ` +
            `and this stack does not manage it, so it was left untouched.${halfMade} If an earlier \`pulumi up\` of this stack was interrupted, ` +
            "the user is this stack's own but missing from its state: take it over with `pulumi config set cognito-auth:adoptExistingUsers true` " +
            "and `pulumi up` (then set it back to false); this sets the configured password and attributes. If the user is someone else's, " +
            // One command a line, so that what to paste is unambiguous whatever the username holds.
            `stop managing it here:\n${removeUserAdvice(user.username)}\n` +
            `or delete it from the pool, then run \`pulumi up\` again:\n    ${deleteUserCommand(user)}`,
    );
}

/**
 * `aws cognito-idp admin-delete-user` for the user, quoted for the shell. A username that starts
 * with `-` is given as `--username=<name>`, so that the CLI does not read it as an option.
 */
export function deleteUserCommand(user: UserRef): string {
    const username = user.username.startsWith("-") ? [`--username=${user.username}`] : ["--username", user.username];
    return commandLine(["aws", "cognito-idp", "admin-delete-user", "--user-pool-id", user.userPoolId, ...username]);
}

/** Where the provider looked for a pool: the region and endpoint its client used. */
export interface Place {
    region: string;
    endpoint: string;
}

/**
 * The pool a user's state names cannot be found (ResourceNotFoundException). That says nothing
 * about the users: a wrong region, profile, account or endpoint gives the same answer as a pool
 * that was deleted. So the operation fails and the state keeps the user; forgetting users is an
 * explicit step of its own (`pulumi state delete`).
 */
export function poolNotFoundError(
    user: UserRef,
    what: string,
    place: Place,
    cause: unknown,
    secrets: readonly (string | undefined)[],
): Error {
    return new Error(
        `Cognito user "${user.username}" ${what}: user pool ${user.userPoolId} was not found in region ${place.region} ` +
            `at ${place.endpoint} (${describe(cause, secrets)}). Nothing was changed and the stack's state still lists the user. ` +
            "A wrong region, profile, account or endpoint looks the same as a deleted pool: check `pulumi config get aws:region`, " +
            "`pulumi config get aws:profile`, `aws sts get-caller-identity` and AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, " +
            `then run the command again. Only if the pool really was deleted, forget its users: list their URNs with ` +
            "`pulumi stack --show-urns`, then remove each from the state with `pulumi state delete --yes '<urn>'` " +
            '(README: "A user pool that cannot be found").',
    );
}

/**
 * One line for the provider host's stderr: the user under the stored name is another one (another
 * `sub`), so this stack's user is gone and the other one was left alone.
 */
export function namesakeNotice(user: UserRef, action: "refresh" | "delete", storedSub: string, foundSub: string): string {
    const outcome =
        action === "refresh"
            ? "this stack's user was deleted outside Pulumi; refresh forgets it and leaves the other user untouched"
            : "this stack's user was deleted outside Pulumi; the other user was not deleted, only this stack's record of its own";
    return (
        `cognito-auth: Cognito user "${user.username}" in user pool ${user.userPoolId} is not this stack's user ` +
        `(its sub is ${foundSub}, this stack's is ${storedSub}): ${outcome}.`
    );
}

/** Update found another user (another `sub`) under the name: it touches nothing. */
export function namesakeUpdateError(user: UserRef, storedSub: string, foundSub: string): Error {
    return new Error(
        `Cognito user "${user.username}" in user pool ${user.userPoolId} is not this stack's user (its sub is ${foundSub}, ` +
            `this stack's is ${storedSub}), so nothing was changed. This stack's user was deleted outside Pulumi and someone ` +
            "else's user now has its name. Run `pulumi refresh` to forget this stack's user; the next `pulumi up` then reports " +
            "that the user already exists. Take the other user over only if it is yours (`pulumi config set adoptExistingUsers true`); " +
            `otherwise stop managing the name:\n${removeUserAdvice(user.username)}`,
    );
}

/** A case-only rename in a pool where case matters: the new spelling is not this stack's user. */
export function caseRenameError(user: UserRef, oldUsername: string, storedSub: string, foundSub: string | undefined): Error {
    const found = foundSub
        ? `is another user (its sub is ${foundSub}, this stack's "${oldUsername}" has ${storedSub || "no recorded sub"})`
        : "does not exist";
    return new Error(
        `Cognito user "${user.username}" in user pool ${user.userPoolId} ${found}: the pool tells usernames apart by case, ` +
            `so renaming "${oldUsername}" to "${user.username}" is not the same user, and nothing was changed. Keep the ` +
            `old spelling in cognito-auth:users, or make a new user under the new one: remove "${oldUsername}" from ` +
            "cognito-auth:users and cognito-auth:passwords, run `pulumi up` (which deletes it), then add the new name.",
    );
}

/** A case-only rename of a user whose state has no sub (older versions): it cannot be checked to be the same user yet. */
export function unverifiedRenameError(user: UserRef, oldUsername: string): Error {
    return new Error(
        `Cognito user "${oldUsername}" in user pool ${user.userPoolId} has no recorded sub (state of an earlier version), so renaming it ` +
            `to "${user.username}" cannot be checked to be the same user, and nothing was changed. Run \`pulumi refresh\` (it records the sub), then \`pulumi up\` again.`,
    );
}

/** One line for stderr: a delete left a user alone because a create of the same run took it over under another name. */
export function keptNotice(user: UserRef, takenBy: string): string {
    return (
        `cognito-auth: Cognito user "${user.username}" in user pool ${user.userPoolId} was not deleted: ` +
        `it is the same user (same sub) that "${takenBy}" now manages, so only this stack's old record of it was removed.`
    );
}
