import * as pulumi from "@pulumi/pulumi";
import type * as sdk from "@aws-sdk/client-cognito-identity-provider";
import { PasswordRules, attributeProblems, cognitoDefaultPasswordRules, groupNameProblems, passwordProblems, usernameProblems } from "./rules";

// A Cognito user whose permanent password comes from a Pulumi secret.
//
// The provider object below is serialized by value (function text plus what it captures) into
// every user's state and run by the engine's dynamic-provider host, which has no TypeScript and
// no access to this folder. So the methods require the AWS SDK at call time, build clients from
// the standard credential chain at call time, and capture nothing but the small pure rules.

/** Inputs of the provider, as the engine passes them (secrets already unwrapped). */
export interface CognitoUserInputs {
    userPoolId: string;
    username: string;
    password: string;
    attributes: Record<string, string>;
    enabled: boolean;
    groups: string[];
    /** Rules of the pool's password policy, checked at preview. */
    passwordPolicy: PasswordRules;
    /** Manage a user that already exists instead of failing with "already exists". */
    adoptExisting: boolean;
}

/** Outputs: the inputs plus what Cognito reports. `password` stays so a rotation can be seen. */
export interface CognitoUserOutputs extends CognitoUserInputs {
    /** The user's immutable `sub` attribute. */
    sub: string;
    /** Cognito's UserStatus; CONFIRMED after every create and update. */
    status: string;
    /** True when the user existed before Pulumi managed it (it is then never rolled back). */
    adopted: boolean;
}

/** Names of the Cognito API errors the provider acts on. */
const userNotFound = "UserNotFoundException";
const poolNotFound = "ResourceNotFoundException";
const userExists = "UsernameExistsException";
/** What the engine sends for a value not known until apply (e.g. a new pool's id during preview). */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The provider's runtime settings, set by `configure` from the stack's `aws:` config. */
interface ProviderSettings {
    region?: string;
    profile?: string;
}

export interface CognitoUserProvider extends pulumi.dynamic.ResourceProvider<CognitoUserInputs, CognitoUserOutputs> {
    settings: ProviderSettings;
}

/**
 * Creates the dynamic provider for Cognito users. The program uses one shared instance (see
 * `CognitoUser`); tests create their own so that none of their state reaches a serialized one.
 */
export function createCognitoUserProvider(): CognitoUserProvider {
    return {
        settings: {},

        async configure(req) {
            // Stack config wins over the environment, as it does for the aws provider.
            this.settings = { region: req.config.get("aws:region"), profile: req.config.get("aws:profile") };
        },

        async check(_olds, news) {
            return { inputs: normalizeInputs(news), failures: checkFailures(news) };
        },

        async diff(_id, olds, news) {
            const replaces = ["userPoolId", "username"].filter((key) => (olds as any)[key] !== (news as any)[key]);
            const changes = changedProperties(olds, normalizeInputs(news));
            return {
                changes: replaces.length > 0 || changes.length > 0,
                replaces,
                // With case-insensitive usernames a rename that only changes case is the same user.
                deleteBeforeReplace: replaces.length > 0 && olds.userPoolId === news.userPoolId
                    && String(olds.username).toLowerCase() === String(news.username).toLowerCase(),
            };
        },

        async create(inputs) {
            const user = normalizeInputs(inputs);
            const cognito = cognitoClient(this.settings);
            const sdk = cognitoSdk();
            const key = { UserPoolId: user.userPoolId, Username: user.username };
            let created: sdk.AdminCreateUserCommandOutput;
            try {
                created = await cognito.send(new sdk.AdminCreateUserCommand({
                    ...key,
                    UserAttributes: toAttributeList(user.attributes),
                    MessageAction: "SUPPRESS", // no invitation mail: the password comes from config
                }));
            } catch (err) {
                if (errorName(err) !== userExists) throw userError(user, "could not be created", err);
                return adoptUser(cognito, user, err);
            }
            const sub = attributeValue(created.User?.Attributes, "sub");
            try {
                await applyUser(cognito, user, { attributes: user.attributes, enabled: true, groups: [] }, true);
            } catch (err) {
                // Leave nothing half-made: a user without its permanent password is removed again.
                const cleanup = await deleteUser(cognito, key).then(() => "the user was deleted again",
                    (deleteErr) => `deleting the half-made user failed too (${describeError(deleteErr, user.password)}); delete it by hand`);
                throw userError(user, `was created but could not be completed; ${cleanup}`, err);
            }
            return { id: `${user.userPoolId}/${user.username}`, outs: { ...user, sub, status: "CONFIRMED", adopted: false } };
        },

        async read(id, props) {
            const [userPoolId, username] = splitId(id, props);
            const cognito = cognitoClient(this.settings);
            const sdk = cognitoSdk();
            const key = { UserPoolId: userPoolId, Username: username };
            let found: sdk.AdminGetUserCommandOutput;
            let groups: string[];
            try {
                found = await cognito.send(new sdk.AdminGetUserCommand(key));
                groups = await listGroups(cognito, key);
            } catch (err) {
                // Deleted outside Pulumi (or with its pool): an empty id tells the engine it is gone.
                if ([userNotFound, poolNotFound].includes(errorName(err))) return { id: "" };
                throw new Error(`Cognito user "${username}" in pool ${userPoolId} could not be read: ${describeError(err, props?.password)}`);
            }
            const managed = Object.keys(props?.attributes ?? {});
            const attributes: Record<string, string> = {};
            for (const { Name, Value } of found.UserAttributes ?? []) {
                if (Name && Value !== undefined && managed.includes(Name)) attributes[Name] = Value;
            }
            const outs: CognitoUserOutputs = {
                ...normalizeInputs({ ...props, userPoolId, username } as CognitoUserInputs),
                attributes,
                enabled: found.Enabled ?? true,
                groups: groups.sort(),
                sub: attributeValue(found.UserAttributes, "sub"),
                status: found.UserStatus ?? "UNKNOWN",
                adopted: Boolean(props?.adopted),
            };
            return { id, props: outs };
        },

        async update(_id, olds, news) {
            const user = normalizeInputs(news);
            const cognito = cognitoClient(this.settings);
            try {
                // A status other than CONFIRMED (an admin reset) is repaired by re-applying the password.
                await applyUser(cognito, user, olds, olds.password !== user.password || olds.status !== "CONFIRMED");
            } catch (err) {
                throw userError(user, "could not be updated", err);
            }
            return { outs: { ...user, sub: olds.sub ?? "", status: "CONFIRMED", adopted: Boolean(olds.adopted) } };
        },

        async delete(id, props) {
            const [userPoolId, username] = splitId(id, props);
            try {
                await deleteUser(cognitoClient(this.settings), { UserPoolId: userPoolId, Username: username });
            } catch (err) {
                throw new Error(`Cognito user "${username}" in pool ${userPoolId} could not be deleted: ${describeError(err, props?.password)}`);
            }
        },
    };
}

/** Fills defaults so that outputs never hold `undefined` (the host cannot encode it). */
function normalizeInputs(inputs: CognitoUserInputs): CognitoUserInputs {
    return {
        userPoolId: inputs.userPoolId,
        username: inputs.username,
        password: inputs.password ?? "",
        attributes: { ...(inputs.attributes ?? {}) },
        enabled: inputs.enabled ?? true,
        groups: [...new Set(inputs.groups ?? [])].sort(),
        passwordPolicy: inputs.passwordPolicy ?? cognitoDefaultPasswordRules,
        adoptExisting: inputs.adoptExisting ?? false,
    };
}

/** Preview-time validation. Unknown values (computed ids during preview) are not strings and are skipped. */
function checkFailures(news: CognitoUserInputs): pulumi.dynamic.CheckFailure[] {
    const known = (value: unknown) => value !== unknownValue;
    const name = typeof news.username === "string" && known(news.username) ? news.username : "<unknown>";
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const add = (property: string, problems: string[]) => {
        if (known((news as any)[property])) problems.forEach((problem) => failures.push({ property, reason: `Cognito user "${name}": ${problem}` }));
    };
    add("username", usernameProblems(news.username));
    add("password", passwordProblems(news.password, news.passwordPolicy ?? cognitoDefaultPasswordRules));
    add("attributes", attributeProblems(news.attributes));
    if (news.groups !== undefined && !Array.isArray(news.groups)) add("groups", ["groups must be a list of group names"]);
    else (news.groups ?? []).forEach((group) => add("groups", groupNameProblems(group)));
    if (news.enabled !== undefined && typeof news.enabled !== "boolean") add("enabled", ["enabled must be true or false"]);
    return failures;
}

/** Names of the properties that differ between the stored outputs and the new inputs. */
function changedProperties(olds: CognitoUserOutputs, news: CognitoUserInputs): string[] {
    const changes: string[] = [];
    if (olds.password !== news.password || olds.status !== "CONFIRMED") changes.push("password");
    if (!sameMap(olds.attributes ?? {}, news.attributes)) changes.push("attributes");
    if ((olds.enabled ?? true) !== news.enabled) changes.push("enabled");
    if ([...(olds.groups ?? [])].sort().join("\n") !== news.groups.join("\n")) changes.push("groups");
    return changes;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Brings an existing user from `current` to `user`: attributes, password, groups, then enabled.
 * The password call is what moves the user to CONFIRMED.
 */
async function applyUser(
    cognito: sdk.CognitoIdentityProviderClient,
    user: CognitoUserInputs,
    current: Pick<CognitoUserInputs, "attributes" | "enabled" | "groups">,
    setPassword: boolean,
): Promise<void> {
    const sdk = cognitoSdk();
    const key = { UserPoolId: user.userPoolId, Username: user.username };
    const before = current.attributes ?? {};
    const changed = Object.keys(user.attributes).filter((name) => before[name] !== user.attributes[name]);
    // Changing email or phone resets its *_verified flag unless the same call sets it.
    for (const [contact, verified] of [["email", "email_verified"], ["phone_number", "phone_number_verified"]]) {
        if (changed.includes(contact) && !changed.includes(verified) && verified in user.attributes) changed.push(verified);
    }
    if (changed.length > 0) {
        const set = Object.fromEntries(changed.map((name) => [name, user.attributes[name]]));
        await cognito.send(new sdk.AdminUpdateUserAttributesCommand({ ...key, UserAttributes: toAttributeList(set) }));
    }
    const removed = Object.keys(before).filter((name) => !(name in user.attributes));
    if (removed.length > 0) {
        await cognito.send(new sdk.AdminDeleteUserAttributesCommand({ ...key, UserAttributeNames: removed }));
    }
    if (setPassword) {
        await cognito.send(new sdk.AdminSetUserPasswordCommand({ ...key, Password: user.password, Permanent: true }));
    }
    const groupsBefore = current.groups ?? [];
    for (const group of user.groups.filter((g) => !groupsBefore.includes(g))) {
        await cognito.send(new sdk.AdminAddUserToGroupCommand({ ...key, GroupName: group }));
    }
    for (const group of groupsBefore.filter((g) => !user.groups.includes(g))) {
        await cognito.send(new sdk.AdminRemoveUserFromGroupCommand({ ...key, GroupName: group }));
    }
    if ((current.enabled ?? true) !== user.enabled) {
        await cognito.send(user.enabled ? new sdk.AdminEnableUserCommand(key) : new sdk.AdminDisableUserCommand(key));
    }
}

/**
 * AdminCreateUser said the username is taken. That is either a user made outside this stack
 * (adopt it only when asked) or our own create whose response was lost and retried by the SDK
 * (the retry then meets the user it made, still without a password: finish it).
 */
async function adoptUser(cognito: sdk.CognitoIdentityProviderClient, user: CognitoUserInputs, createErr: unknown) {
    const sdk = cognitoSdk();
    const key = { UserPoolId: user.userPoolId, Username: user.username };
    const existing = await cognito.send(new sdk.AdminGetUserCommand(key));
    const ownRetry = ((createErr as any)?.$metadata?.attempts ?? 1) > 1 && existing.UserStatus === "FORCE_CHANGE_PASSWORD";
    if (!user.adoptExisting && !ownRetry) {
        const created = existing.UserCreateDate ? `, created ${existing.UserCreateDate.toISOString()}` : "";
        throw new Error(`Cognito user "${user.username}" already exists in user pool ${user.userPoolId} `
            + `(status ${existing.UserStatus}${created}) and this stack does not manage it. To manage it with the `
            + `configured password and attributes, set cognito-auth:adoptExistingUsers to true; or remove the user `
            + `from config; or delete it from the pool.`);
    }
    const current = {
        attributes: Object.fromEntries((existing.UserAttributes ?? [])
            .filter((a) => a.Name && a.Name !== "sub" && a.Value !== undefined && a.Name in user.attributes)
            .map((a) => [a.Name!, a.Value!])),
        enabled: existing.Enabled ?? true,
        groups: await listGroups(cognito, key),
    };
    try {
        await applyUser(cognito, user, current, true);
    } catch (err) {
        if (ownRetry) await deleteUser(cognito, key).catch(() => undefined);
        throw userError(user, ownRetry ? "could not be completed; the user was deleted again" : "exists and could not be adopted", err);
    }
    return {
        id: `${user.userPoolId}/${user.username}`,
        outs: { ...user, sub: attributeValue(existing.UserAttributes, "sub"), status: "CONFIRMED", adopted: !ownRetry },
    };
}

async function listGroups(cognito: sdk.CognitoIdentityProviderClient, key: { UserPoolId: string; Username: string }) {
    const sdk = cognitoSdk();
    const groups: string[] = [];
    let NextToken: string | undefined;
    do {
        const page = await cognito.send(new sdk.AdminListGroupsForUserCommand({ ...key, NextToken }));
        groups.push(...(page.Groups ?? []).map((g) => g.GroupName!).filter(Boolean));
        NextToken = page.NextToken;
    } while (NextToken);
    return groups;
}

/** Deletes a user; one that is already gone (or whose pool is gone) counts as deleted. */
async function deleteUser(cognito: sdk.CognitoIdentityProviderClient, key: { UserPoolId: string; Username: string }) {
    const sdk = cognitoSdk();
    try {
        await cognito.send(new sdk.AdminDeleteUserCommand(key));
    } catch (err) {
        if (![userNotFound, poolNotFound].includes(errorName(err))) throw err;
    }
}

function splitId(id: string, props?: Partial<CognitoUserOutputs>): [string, string] {
    if (props?.userPoolId && props.username) return [props.userPoolId, props.username];
    const slash = id.indexOf("/"); // pool ids never contain "/", usernames may
    if (slash < 0) throw new Error(`Cognito user id "${id}" is not of the form <userPoolId>/<username>`);
    return [id.slice(0, slash), id.slice(slash + 1)];
}

function toAttributeList(attributes: Record<string, string>): sdk.AttributeType[] {
    return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

function attributeValue(attributes: sdk.AttributeType[] | undefined, name: string): string {
    return attributes?.find((a) => a.Name === name)?.Value ?? "";
}

function errorName(err: unknown): string {
    return (err as any)?.name ?? "";
}

/** An error message that names the user and the cause and never contains the password. */
function userError(user: CognitoUserInputs, what: string, cause: unknown): Error {
    return new Error(`Cognito user "${user.username}" in pool ${user.userPoolId} ${what}: ${describeError(cause, user.password)}`);
}

function describeError(err: unknown, password?: string): string {
    const text = `${errorName(err) || "Error"}: ${(err as any)?.message ?? String(err)}`;
    return password ? text.split(password).join("[secret]") : text;
}

function cognitoSdk(): typeof sdk {
    return require("@aws-sdk/client-cognito-identity-provider");
}

/**
 * One client per region, profile and endpoint per process, kept on `globalThis` so that it is
 * never part of a serialized provider. Adaptive retries absorb throttling (TooManyRequests),
 * 5xx and dropped connections; timeouts stop a silent connection from hanging `pulumi up`.
 */
function cognitoClient(settings: ProviderSettings): sdk.CognitoIdentityProviderClient {
    const sdk = cognitoSdk();
    const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    const endpoint = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? process.env.AWS_ENDPOINT_URL ?? "";
    const cacheKey = JSON.stringify([region, settings.profile, endpoint]);
    const cache: Map<string, sdk.CognitoIdentityProviderClient> = ((globalThis as any).__cognitoAuthClients ??= new Map());
    let client = cache.get(cacheKey);
    if (!client) {
        client = new sdk.CognitoIdentityProviderClient({
            region,
            profile: settings.profile,
            retryMode: "adaptive",
            maxAttempts: 10,
            requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
        });
        cache.set(cacheKey, client);
    }
    return client;
}

/** The one provider object all users share (the SDK serializes a provider once per object). */
const sharedProvider = createCognitoUserProvider();

/** Arguments of a `CognitoUser`; names follow `aws.cognito.User`. */
export interface CognitoUserArgs {
    /** The user pool's id. Changing it replaces the user. */
    userPoolId: pulumi.Input<string>;
    /** The username. Changing it replaces the user. */
    username: pulumi.Input<string>;
    /** The permanent password; always stored as a secret. */
    password: pulumi.Input<string>;
    /** Cognito attributes, name -> value (e.g. `email`). @default {} */
    attributes?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Whether the user may sign in. @default true */
    enabled?: pulumi.Input<boolean>;
    /** Groups the user belongs to (they must exist in the pool). @default [] */
    groups?: pulumi.Input<pulumi.Input<string>[]>;
    /** The pool's password policy, checked at preview. @default Cognito's default policy */
    passwordPolicy?: pulumi.Input<PasswordRules>;
    /** Manage a user that already exists (e.g. made by hand) instead of failing. @default false */
    adoptExisting?: pulumi.Input<boolean>;
}

/** A Cognito user in status CONFIRMED with a permanent password from a Pulumi secret. */
export class CognitoUser extends pulumi.dynamic.Resource {
    declare public readonly userPoolId: pulumi.Output<string>;
    declare public readonly username: pulumi.Output<string>;
    declare public readonly attributes: pulumi.Output<Record<string, string>>;
    declare public readonly enabled: pulumi.Output<boolean>;
    declare public readonly groups: pulumi.Output<string[]>;
    declare public readonly sub: pulumi.Output<string>;
    declare public readonly status: pulumi.Output<string>;

    constructor(name: string, args: CognitoUserArgs, opts?: pulumi.CustomResourceOptions) {
        super(sharedProvider, name, {
            userPoolId: args.userPoolId,
            username: args.username,
            password: pulumi.secret(args.password),
            attributes: args.attributes ?? {},
            enabled: args.enabled ?? true,
            groups: args.groups ?? [],
            passwordPolicy: args.passwordPolicy ?? cognitoDefaultPasswordRules,
            adoptExisting: args.adoptExisting ?? false,
            sub: undefined,
            status: undefined,
            adopted: undefined,
        }, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }), "cognito-auth", "CognitoUser");
    }
}
