// The pure half of the user provider: how inputs are normalized, what counts as a change, which
// Cognito calls take a user from its current state to the desired one, and the provider's check.
// The shapes live in ./shapes.ts and the TOTP planning in ./totpPlan.ts; both are re-exported
// here, so this stays the one module the loader and the tests take the pure provider from. No I/O
// here, so tests call these functions directly, and the loader answers check and diff without
// loading the AWS SDK.

import { caseFolded, cognitoDefaultPasswordRules, userProblems } from "../rules";
import { CognitoCall, CognitoUserInputs, CognitoUserOutputs, UserState, isUnknown, stateVersion, unknownValue } from "./shapes";
import { clientMoved, totpAction, totpProblems, totpReason } from "./totpPlan";

export * from "./shapes";
export * from "./totpPlan";

/** Inputs with every optional field filled, groups sorted and deduplicated; unknown values kept as they are. */
export function normalize(inputs: CognitoUserInputs): CognitoUserInputs {
    const { attributes, groups } = inputs;
    return {
        userPoolId: inputs.userPoolId,
        username: inputs.username,
        password: inputs.password ?? "",
        attributes: isUnknown(attributes) ? attributes : { ...attributes },
        enabled: inputs.enabled ?? true,
        groups: Array.isArray(groups) ? [...new Set(groups)].sort() : (groups ?? []),
        passwordPolicy: inputs.passwordPolicy ?? cognitoDefaultPasswordRules,
        adoptExisting: inputs.adoptExisting ?? false,
        // Absent stays absent: the engine cannot encode an undefined input.
        ...(inputs.passwordRevision === undefined ? {} : { passwordRevision: inputs.passwordRevision }),
        ...(inputs.mfa === undefined
            ? {}
            : {
                  mfa: inputs.mfa,
                  totpGeneration: inputs.totpGeneration ?? 1,
                  ...(inputs.clientId === undefined ? {} : { clientId: inputs.clientId }),
              }),
    };
}

/** The outputs to store for a user that now matches `user` and is CONFIRMED. Never holds `undefined`. */
export function outputsOf(user: CognitoUserInputs, sub: string | undefined, adopted: boolean): CognitoUserOutputs {
    return {
        userPoolId: user.userPoolId,
        username: user.username,
        password: user.password,
        attributes: user.attributes,
        enabled: user.enabled,
        groups: user.groups,
        sub: sub ?? "",
        status: "CONFIRMED",
        adopted,
        stateVersion,
    };
}

/** The state of a user as stored outputs (of any version) describe it. */
export function storedState(olds: Partial<CognitoUserOutputs>): UserState {
    return { attributes: olds.attributes ?? {}, enabled: olds.enabled ?? true, groups: olds.groups ?? [] };
}

/** The password must be set again when it changed, or when the user's status drifted (an admin reset). */
export function needsPassword(olds: Partial<CognitoUserOutputs>, news: CognitoUserInputs): boolean {
    return olds.password !== news.password || olds.status !== "CONFIRMED";
}

/**
 * The Cognito calls that take a user from `current` to `desired`, in the order they are sent:
 * password first, so that a password Cognito refuses (its policy, or the pool's password history)
 * leaves the user as it was; then attributes, groups, and enabled last so a user is disabled only
 * once it is complete.
 * Changing `email` or `phone_number` resets its `*_verified` flag in Cognito unless the same call
 * sets it, so a configured flag is re-sent with its contact attribute.
 */
export function planChanges(current: UserState, desired: CognitoUserInputs, setPassword: boolean): CognitoCall[] {
    const before = current.attributes,
        after = desired.attributes;
    const changed = Object.keys(after).filter((name) => before[name] !== after[name]);
    for (const [contact, verified] of [
        ["email", "email_verified"],
        ["phone_number", "phone_number_verified"],
    ]) {
        if (changed.includes(contact) && !changed.includes(verified) && verified in after) changed.push(verified);
    }
    const removed = Object.keys(before).filter((name) => !(name in after));
    const calls: CognitoCall[] = [];
    if (setPassword) calls.push({ action: "AdminSetUserPassword" });
    if (changed.length)
        calls.push({ action: "AdminUpdateUserAttributes", attributes: Object.fromEntries(changed.map((n) => [n, after[n]])) });
    if (removed.length) calls.push({ action: "AdminDeleteUserAttributes", names: removed });
    for (const group of desired.groups) if (!current.groups.includes(group)) calls.push({ action: "AdminAddUserToGroup", group });
    for (const group of current.groups) if (!desired.groups.includes(group)) calls.push({ action: "AdminRemoveUserFromGroup", group });
    if (current.enabled !== desired.enabled) calls.push({ action: desired.enabled ? "AdminEnableUser" : "AdminDisableUser" });
    return calls;
}

/**
 * The outputs to store when an update sent only `applied` (the first calls of its plan) before a
 * call failed: the stored outputs with exactly those calls' effects. The password is the new one
 * only once AdminSetUserPassword went through, so the next `pulumi up` sends it again only if it
 * was not set (with a password history, Cognito would refuse to set the current one again).
 */
export function partialOutputs(olds: CognitoUserOutputs, user: CognitoUserInputs, applied: CognitoCall[], sub: string): CognitoUserOutputs {
    const attributes = { ...(olds.attributes ?? {}) };
    let groups = [...(olds.groups ?? [])];
    let enabled = olds.enabled ?? true;
    let passwordSet = false;
    for (const call of applied) {
        if (call.action === "AdminSetUserPassword") passwordSet = true;
        else if (call.action === "AdminUpdateUserAttributes") Object.assign(attributes, call.attributes);
        else if (call.action === "AdminDeleteUserAttributes") for (const name of call.names) delete attributes[name];
        else if (call.action === "AdminAddUserToGroup") groups = [...new Set([...groups, call.group])];
        else if (call.action === "AdminRemoveUserFromGroup") groups = groups.filter((g) => g !== call.group);
        else enabled = call.action === "AdminEnableUser";
    }
    return {
        ...outputsOf(user, sub, Boolean(olds.adopted)),
        password: passwordSet ? user.password : (olds.password ?? ""),
        status: passwordSet ? "CONFIRMED" : (olds.status ?? "UNKNOWN"),
        attributes,
        groups: groups.sort(),
        enabled,
    };
}

/**
 * The engine's view of a change: replace on a new pool or a new username, else update in place. A
 * username that differs only in case is an update: in a case-insensitive pool it is the same user
 * (the update checks the sub before it sends anything), and a replace would create the "new" user,
 * which finds the old one, and then delete the old one, which is the same user.
 */
export interface UserDiff {
    changes: boolean;
    replaces: string[];
    /** Always false: no replacement needs the old user gone first. Kept for the engine's diff shape. */
    deleteBeforeReplace: boolean;
    /** What the update does about TOTP, for the line the provider prints at preview (the engine's diff has no reason field). */
    totpReason?: string;
}

/**
 * Compares stored outputs (of any version) with new inputs. Outputs of an older version always
 * count as a change, so that the next `pulumi up` rewrites them in the current (smaller) form;
 * that update sends Cognito nothing unless something else changed too.
 */
export function diffUser(olds: Partial<CognitoUserOutputs>, inputs: CognitoUserInputs): UserDiff {
    const news = normalize(inputs);
    const caseOnlyRename =
        olds.userPoolId === news.userPoolId &&
        typeof olds.username === "string" &&
        typeof news.username === "string" &&
        olds.username !== news.username &&
        caseFolded(olds.username) === caseFolded(news.username);
    const replaces = (["userPoolId", "username"] as const).filter(
        (key) => olds[key] !== news[key] && !(key === "username" && caseOnlyRename),
    );
    const unknownInput = [news.attributes, news.groups, news.enabled, news.password, news.mfa, news.totpGeneration].some(isUnknown);
    const changes =
        replaces.length > 0 ||
        caseOnlyRename ||
        unknownInput ||
        olds.stateVersion !== stateVersion ||
        needsPassword(olds, news) ||
        totpAction(olds, news) !== undefined ||
        clientMoved(olds, news) ||
        planChanges(storedState(olds), news, false).length > 0;
    // A replace creates a new user, which is enrolled afresh.
    const reason =
        replaces.length > 0
            ? news.mfa === "TOTP"
                ? `enrols TOTP (new secret): the user is replaced (${replaces.join(", ")} changed), and the new one gets its own secret`
                : undefined
            : totpReason(olds, news);
    return { changes, replaces, deleteBeforeReplace: false, ...(reason === undefined ? {} : { totpReason: reason }) };
}

/** The shared rules of ../rules.ts, per property; values unknown during preview are skipped. */
export function checkUser(news: CognitoUserInputs, olds: Partial<CognitoUserInputs> = {}) {
    const name = news.username === unknownValue ? "<unknown>" : news.username;
    const failures = [
        ...userProblems(news, news.passwordPolicy ?? cognitoDefaultPasswordRules, undefined, unknownValue),
        ...totpProblems(news),
    ].map(([property, problem]) => ({ property, reason: `Cognito user "${name}": ${problem}` }));
    const inputs = normalize(news);
    const revision = passwordRevision(olds, inputs);
    if (revision === undefined) delete inputs.passwordRevision;
    else inputs.passwordRevision = revision;
    return { inputs, failures };
}

/**
 * The input `passwordRevision`: a plain counter that goes up by one when the password changes.
 * The engine shows a secret as `[secret]` on both sides of a diff and the Node host reports no
 * changed keys, so without it a preview could not say that a password changes. It is derived only
 * from whether the old and new inputs' passwords are equal: it tells nothing about either value.
 * - create (no old inputs): 1;
 * - password unchanged: the old revision; none when the old inputs have none (stored by an earlier
 *   version), so that upgrading changes no input;
 * - password changed: the old revision + 1 (2 after an earlier version's 1, which it never stored);
 * - password not known yet (preview): the old revision; the check at `pulumi up` counts it.
 */
export function passwordRevision(olds: Partial<CognitoUserInputs>, news: CognitoUserInputs): number | undefined {
    const old = typeof olds.passwordRevision === "number" ? olds.passwordRevision : undefined;
    if (olds.password === undefined) return 1;
    if (news.password === unknownValue || news.password === olds.password) return old;
    return (old ?? 1) + 1;
}
