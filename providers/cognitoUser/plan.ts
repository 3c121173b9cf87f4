// The pure half of the user provider: the shape of its inputs and outputs, how they are
// normalized, what counts as a change, and which Cognito calls take a user from its current state
// to the desired one, and the provider's check. No I/O here, so tests call these functions directly,
// and the loader answers check and diff without loading the AWS SDK.

import { PasswordRules, caseFolded, cognitoDefaultPasswordRules, userProblems } from "../rules";

/** What the engine sends in place of a value that is not known yet (during preview). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The version of the outputs this code writes, stored with every user as `stateVersion`.
 * - 1 (no `stateVersion`): written by the provider that was serialized into state by value
 *   (cognito-auth 0.1); its outputs also held `passwordPolicy` and `adoptExisting`.
 * - 2: written through the loader; outputs hold only what the next diff, read and delete need.
 * Resources are read, updated and deleted by the current code whatever version wrote them, so
 * every function here accepts outputs of every version.
 */
export const stateVersion = 2;

/** What inputs and outputs share: the user and the state the provider keeps it in. */
interface UserFields {
    userPoolId: string;
    username: string;
    /** Secret. In the outputs too, so that the next diff can see a rotation. */
    password: string;
    /** In the outputs: the managed attributes (those named in the inputs), as last written or read. */
    attributes: Record<string, string>;
    enabled: boolean;
    groups: string[];
}

/** Inputs of the provider, as the engine passes them (secrets already unwrapped). */
export interface CognitoUserInputs extends UserFields {
    /** Rules of the pool's password policy, checked at preview. */
    passwordPolicy: PasswordRules;
    /** Manage a user that already exists instead of failing with "already exists". */
    adoptExisting: boolean;
    /**
     * Plain: one more each time the password changes, set by the provider's `check` (see
     * `passwordRevision` below) so that a preview names the change. Absent in inputs
     * stored by versions without it.
     */
    passwordRevision?: number;
    /** "TOTP": enrol the user in TOTP after its password is set. Absent for users without it (and in older inputs). */
    mfa?: "TOTP";
    /** With `mfa`: a new number enrols again with a new secret. */
    totpGeneration?: number;
    /** With `mfa`: the app client the provider signs in through (USER_PASSWORD_AUTH). */
    clientId?: string;
}

/** What the stored outputs say of a TOTP enrolment this stack made (no secret in it). */
export interface TotpEnrolment {
    /** The `totpGeneration` it was made for. */
    generation: number;
    /** The app client it signed in through: removal signs in through it again (the inputs then have none). */
    clientId: string;
}

/** What the provider stores. */
export interface CognitoUserOutputs extends UserFields {
    /** The user's immutable `sub` attribute. */
    sub: string;
    /** Cognito's UserStatus; CONFIRMED after every create and update. */
    status: string;
    /** True when the user existed before this stack managed it (it is then never rolled back). */
    adopted: boolean;
    stateVersion: number;
    /**
     * Secret (additionalSecretOutputs): the TOTP secret Cognito made, kept while the user has `mfa`.
     * Also kept when Cognito lost the enrolment (drift) or it was left half-made: a sign-in may
     * still meet a challenge for it.
     */
    totpSecret?: string;
    /** Present while the user is enrolled in TOTP by this stack, at that generation. */
    totp?: TotpEnrolment;
    /**
     * With `totpSecret` but no `totp` (drift, or a half-made enrolment): the app client to sign in
     * through to turn that TOTP off once `mfa` is removed (the inputs then name no client).
     */
    totpClientId?: string;
}

/** A user as Cognito holds it, limited to what the provider manages. */
export interface UserState {
    attributes: Record<string, string>;
    enabled: boolean;
    groups: string[];
}

/** One Cognito call of a plan, as data. The password is not in it: the executor adds it. */
export type CognitoCall =
    | { action: "AdminUpdateUserAttributes"; attributes: Record<string, string> }
    | { action: "AdminDeleteUserAttributes"; names: string[] }
    | { action: "AdminSetUserPassword" }
    | { action: "AdminAddUserToGroup"; group: string }
    | { action: "AdminRemoveUserFromGroup"; group: string }
    | { action: "AdminEnableUser" }
    | { action: "AdminDisableUser" };

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

/** The TOTP outputs to carry: only those present (a user without TOTP has none). */
export type TotpOutputs = Pick<CognitoUserOutputs, "totpSecret" | "totp" | "totpClientId">;

export function totpOutputs(from: Partial<TotpOutputs>): TotpOutputs {
    return {
        ...(from.totpSecret === undefined ? {} : { totpSecret: from.totpSecret }),
        ...(from.totp === undefined ? {} : { totp: from.totp }),
        ...(from.totpClientId === undefined ? {} : { totpClientId: from.totpClientId }),
    };
}

/**
 * What an update (or create) does about TOTP: "enrol" when the user has `mfa` and is not enrolled
 * at its generation (new, bumped, or lost in Cognito), "disable" when `mfa` was removed from a
 * user whose state holds a TOTP secret (enrolled, or lost or half-made: Cognito may still have it);
 * nothing otherwise (a user the stack never enrolled keeps its MFA).
 */
export function totpAction(olds: Partial<CognitoUserOutputs>, news: CognitoUserInputs): "enrol" | "disable" | undefined {
    if (news.mfa !== undefined) return olds.totp?.generation === (news.totpGeneration ?? 1) ? undefined : "enrol";
    return olds.totp || olds.totpSecret !== undefined ? "disable" : undefined;
}

/**
 * Whether an enrolled user's app client changed (another client id, or a replaced client): an
 * update that only records the new id, for a later removal to sign in through.
 */
export function clientMoved(olds: Partial<CognitoUserOutputs>, news: CognitoUserInputs): boolean {
    return news.mfa !== undefined && olds.totp !== undefined && news.clientId !== olds.totp.clientId;
}

/** Why a preview's update touches TOTP, for its diff reason; never the secret. Undefined when it does not. */
export function totpReason(olds: Partial<CognitoUserOutputs>, news: CognitoUserInputs): string | undefined {
    const action = totpAction(olds, news);
    if (action === "disable") return "turns TOTP off (mfa removed)";
    if (action !== "enrol") return undefined;
    if (isUnknown(news.mfa) || isUnknown(news.totpGeneration)) return undefined;
    if (olds.totp) return `re-enrols TOTP (new secret): totpGeneration ${olds.totp.generation} -> ${news.totpGeneration ?? 1}`;
    if (olds.totpSecret !== undefined)
        return "re-enrols TOTP (new secret): Cognito no longer has the enrolment this stack made (removed or reset outside Pulumi, or left half-made)";
    return "enrols TOTP (new secret)";
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

/** Why a new user's check touches TOTP: a create has no diff, so its check says it (only for a create: no old inputs). */
export function createTotpReason(olds: Partial<CognitoUserInputs>, news: CognitoUserInputs): string | undefined {
    return Object.keys(olds ?? {}).length === 0 && news.mfa === "TOTP" ? "enrols TOTP (new secret)" : undefined;
}

/** The line a preview prints for a user whose update touches TOTP (the engine shows no reason of a dynamic resource's diff). */
export function totpNotice(news: CognitoUserInputs, reason: string): string {
    return `cognito-auth: Cognito user "${isUnknown(news.username) ? "<unknown>" : news.username}": ${reason}`;
}

/** The TOTP inputs' rules (the component checks them at preview too; these guard the provider's own inputs). */
function totpProblems(news: CognitoUserInputs): [string, string][] {
    const problems: [string, string][] = [];
    if (news.mfa === undefined || isUnknown(news.mfa)) return problems;
    if (news.mfa !== "TOTP") problems.push(["mfa", `mfa must be "TOTP" (the only kind the stack enrols), not ${JSON.stringify(news.mfa)}`]);
    const generation = news.totpGeneration;
    if (generation !== undefined && !isUnknown(generation) && !(Number.isInteger(generation) && generation >= 1))
        problems.push(["totpGeneration", `totpGeneration must be a whole number of at least 1, not ${JSON.stringify(generation)}`]);
    if (!news.clientId)
        problems.push([
            "clientId",
            "mfa TOTP needs the app client to sign in through to enrol (clientId; cognito-auth:userPoolClientId for an existing pool)",
        ]);
    if (news.enabled === false) problems.push(["mfa", "mfa TOTP needs an enabled user: a disabled user cannot sign in to enrol"]);
    return problems;
}

export function isUnknown(value: unknown): boolean {
    return value === unknownValue;
}
