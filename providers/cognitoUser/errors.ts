// Every error the provider raises names the user and pool and says what to do; none contains a
// password. Text that comes from AWS or the network is redacted before it is used.

import { redact } from "../../lib/redact";
import { commandLine, removeCommand } from "../../lib/shell";

/** An error's name and message, with the secrets cut out. */
export function describe(err: unknown, secrets: readonly (string | undefined)[]): string {
    const e = err as { name?: string; message?: string } | undefined;
    return redact(`${e?.name || "Error"}: ${e?.message ?? String(err)}`, secrets);
}

export interface UserRef {
    userPoolId: string;
    username: string;
}

/** `Cognito user "<name>" in pool <id> <what>: <cause>`, without secrets. */
export function userError(user: UserRef, what: string, cause: unknown, secrets: readonly (string | undefined)[]): Error {
    return new Error(`Cognito user "${user.username}" in pool ${user.userPoolId} ${what}: ${describe(cause, secrets)}`);
}

/** Names of the errors Cognito returns for a user, or its pool, that does not exist. */
export const notFound = ["UserNotFoundException", "ResourceNotFoundException"];

export function isNotFound(err: unknown): boolean {
    return notFound.includes((err as { name?: string } | undefined)?.name ?? "");
}

/** An update found the user (or its pool) gone: say so, and how Pulumi recreates it. */
export function goneError(user: UserRef, cause: unknown): Error {
    const what =
        (cause as { name?: string }).name === "ResourceNotFoundException"
            ? `user pool ${user.userPoolId} no longer exists`
            : `Cognito user "${user.username}" no longer exists in user pool ${user.userPoolId}`;
    return new Error(
        `${what} (deleted outside Pulumi), so it cannot be updated. Run \`pulumi refresh\` and then \`pulumi up\` ` +
            `(or \`pulumi up --refresh\`) to create it again.`,
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
            `stop managing it here:\n    ${removeCommand("users", user.username)}\n    ${removeCommand("passwords", user.username)}\n` +
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
