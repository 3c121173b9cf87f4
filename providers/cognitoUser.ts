import * as pulumi from "@pulumi/pulumi";
import type * as sdk from "@aws-sdk/client-cognito-identity-provider";
import { PasswordRules, cognitoDefaultPasswordRules, userProblems } from "./rules";

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
        /** Stack config (`aws:region`, `aws:profile`) wins over the environment, as for the aws provider. */
        async configure(req) {
            this.settings = { region: req.config.get("aws:region"), profile: req.config.get("aws:profile") };
        },
        check: async (_olds, news) => userOperations({}).check(news),
        diff: async (_id, olds, news) => userOperations({}).diff(olds, news),
        async create(inputs) { return userOperations(this.settings).create(inputs); },
        async read(id, props) { return userOperations(this.settings).read(id, props); },
        async update(_id, olds, news) { return userOperations(this.settings).update(olds, news); },
        async delete(id, props) { return userOperations(this.settings).remove(id, props); },
    };
}

/**
 * What the provider does. It is one function with nested helpers because its text is stored in
 * every user's state, and each separately captured function would be stored with a wrapper of its
 * own; for the same reason there are no comments inside (they would be stored too). In short:
 * - check: the pure rules of ./rules.ts; values unknown during preview are skipped.
 * - create: AdminCreateUser (no invitation) then AdminSetUserPassword Permanent (-> CONFIRMED);
 *   any failure once the user exists deletes it again. "Already exists" is the SDK retrying our
 *   own create whose response was lost (a brand-new user without password: finish it), or a user
 *   made elsewhere, which is managed only with `adoptExisting`.
 * - read: a user deleted outside (or with its pool) is gone (empty id); attributes are read back
 *   for the managed names only, with enabled, groups and status, so drift shows in previews.
 * - update: attributes, password (also when the status drifted from CONFIRMED), groups, enabled.
 *   Changing email or phone resets its *_verified flag unless the same call sets it: re-sent.
 * - delete: already gone counts as deleted.
 * - errors name the user and the cause; the password is cut out of any text from AWS.
 * The client is built per operation from the standard credential chain. Per region, profile and
 * endpoint the process shares one connection pool, credential provider and adaptive rate limiter
 * (on `globalThis`, so never serialized), but each operation gets its own retry strategy: one
 * shared strategy's retry budget (500 tokens) is drained by hundreds of throttled users, and then
 * the SDK stops retrying.
 */
function userOperations(settings: ProviderSettings) {
    type Key = { UserPoolId: string; Username: string };
    type Current = Pick<CognitoUserInputs, "attributes" | "enabled" | "groups">;
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const gone = ["UserNotFoundException", "ResourceNotFoundException"];
    const api = () => require("@aws-sdk/client-cognito-identity-provider") as typeof sdk;
    let client: sdk.CognitoIdentityProviderClient | undefined;
    const send = (command: any): Promise<any> => (client ??= newClient()).send(command);

    function newClient(): sdk.CognitoIdentityProviderClient {
        const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
        const endpoint = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? process.env.AWS_ENDPOINT_URL ?? "";
        const cacheKey = JSON.stringify([region, settings.profile, endpoint]);
        const cache = ((globalThis as any).__cognitoAuthClients ??= new Map());
        if (!cache.has(cacheKey)) {
            const retry = require(require.resolve("@smithy/core/retry", { paths: [require.resolve("@aws-sdk/client-cognito-identity-provider")] }));
            const first = new (api().CognitoIdentityProviderClient)({
                region, profile: settings.profile, requestHandler: { connectionTimeout: 5000, requestTimeout: 30000 },
            });
            cache.set(cacheKey, { first, rateLimiter: new retry.DefaultRateLimiter(), Strategy: retry.AdaptiveRetryStrategy });
        }
        const { first, rateLimiter, Strategy } = cache.get(cacheKey);
        return new (api().CognitoIdentityProviderClient)({
            region, credentials: first.config.credentials, requestHandler: first.config.requestHandler,
            retryStrategy: new Strategy(10, { rateLimiter }),
        });
    }

    function normalize(inputs: CognitoUserInputs): CognitoUserInputs {
        const { attributes, groups } = inputs;
        return {
            userPoolId: inputs.userPoolId,
            username: inputs.username,
            password: inputs.password ?? "",
            attributes: (attributes as unknown) === unknown ? attributes : { ...attributes },
            enabled: inputs.enabled ?? true,
            groups: Array.isArray(groups) ? [...new Set(groups)].sort() : (groups ?? []),
            passwordPolicy: inputs.passwordPolicy ?? cognitoDefaultPasswordRules,
            adoptExisting: inputs.adoptExisting ?? false,
        };
    }

    function check(news: CognitoUserInputs) {
        const name = news.username === unknown ? "<unknown>" : news.username;
        const failures = userProblems(news, news.passwordPolicy ?? cognitoDefaultPasswordRules, undefined, unknown)
            .map(([property, problem]) => ({ property, reason: `Cognito user "${name}": ${problem}` }));
        return { inputs: normalize(news), failures };
    }

    function diff(olds: CognitoUserOutputs, inputs: CognitoUserInputs) {
        const news = normalize(inputs);
        const replaces = ["userPoolId", "username"].filter((k) => (olds as any)[k] !== (news as any)[k]);
        const a = olds.attributes ?? {}, b = news.attributes;
        const changed = (olds.password !== news.password || olds.status !== "CONFIRMED")
            || Object.keys(a).length !== Object.keys(b).length || Object.keys(a).some((k) => a[k] !== b[k])
            || (olds.enabled ?? true) !== news.enabled || [...(olds.groups ?? [])].sort().join("\n") !== news.groups.join("\n");
        const caseOnly = olds.userPoolId === news.userPoolId && olds.username?.toLowerCase() === news.username?.toLowerCase();
        return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: replaces.length > 0 && caseOnly };
    }

    async function create(inputs: CognitoUserInputs) {
        const user = normalize(inputs);
        const key = keyOf(user);
        const startedAt = Date.now();
        let created: sdk.AdminCreateUserCommandOutput;
        try {
            created = await send(new (api().AdminCreateUserCommand)({ ...key, UserAttributes: attributeList(user.attributes), MessageAction: "SUPPRESS" }));
        } catch (err: any) {
            if (err?.name !== "UsernameExistsException") throw userError(user, "could not be created", err);
            return createExisting(user, err, startedAt);
        }
        try {
            await apply(user, { attributes: user.attributes, enabled: true, groups: [] }, true);
        } catch (err) {
            const cleanup = await deleteUser(key).then(() => "the user was deleted again",
                (e) => `deleting the half-made user failed too (${describe(e, user.password)}); delete it by hand`);
            throw userError(user, `was created but could not be completed; ${cleanup}`, err);
        }
        return outputs(user, created.User?.Attributes, false);
    }

    async function createExisting(user: CognitoUserInputs, createErr: any, startedAt: number) {
        const key = keyOf(user);
        const existing: sdk.AdminGetUserCommandOutput = await send(new (api().AdminGetUserCommand)(key)).catch((err) => {
            throw userError(user, "already exists and could not be read", err);
        });
        const createdAt = existing.UserCreateDate?.getTime() ?? 0;
        const ownRetry = (createErr?.$metadata?.attempts ?? 1) > 1 && existing.UserStatus === "FORCE_CHANGE_PASSWORD"
            && createdAt >= startedAt - 120_000;
        if (!user.adoptExisting && !ownRetry) {
            throw new Error(`Cognito user "${user.username}" already exists in user pool ${user.userPoolId} (status ${existing.UserStatus}`
                + `${createdAt ? `, created ${new Date(createdAt).toISOString()}` : ""}) and this stack does not manage it. To manage it with the `
                + `configured password and attributes, set cognito-auth:adoptExistingUsers to true; or remove the user from config; or delete it from the pool.`);
        }
        const attributes = Object.fromEntries((existing.UserAttributes ?? []).filter((a) => a.Name! in user.attributes).map((a) => [a.Name, a.Value ?? ""]));
        try {
            await apply(user, { attributes, enabled: existing.Enabled ?? true, groups: await listGroups(key) }, true);
        } catch (err) {
            if (ownRetry) await deleteUser(key).catch(() => undefined);
            throw userError(user, ownRetry ? "could not be completed; the user was deleted again" : "exists and could not be adopted", err);
        }
        return outputs(user, existing.UserAttributes, !ownRetry);
    }

    async function read(id: string, props?: CognitoUserOutputs) {
        const key = keyFromId(id, props);
        let found: sdk.AdminGetUserCommandOutput;
        let groups: string[];
        try {
            found = await send(new (api().AdminGetUserCommand)(key));
            groups = await listGroups(key);
        } catch (err: any) {
            if (gone.includes(err?.name)) return { id: "" };
            throw new Error(`Cognito user "${key.Username}" in pool ${key.UserPoolId} could not be read: ${describe(err, props?.password)}`);
        }
        const managed = Object.keys(props?.attributes ?? {});
        const base = normalize({ ...props, userPoolId: key.UserPoolId, username: key.Username } as CognitoUserInputs);
        const { outs } = outputs(base, found.UserAttributes, Boolean(props?.adopted));
        return {
            id,
            props: {
                ...outs,
                attributes: Object.fromEntries((found.UserAttributes ?? []).filter((a) => managed.includes(a.Name!)).map((a) => [a.Name, a.Value ?? ""])),
                enabled: found.Enabled ?? true,
                groups: groups.sort(),
                status: found.UserStatus ?? "UNKNOWN",
            },
        };
    }

    async function update(olds: CognitoUserOutputs, news: CognitoUserInputs) {
        const user = normalize(news);
        try {
            await apply(user, olds, olds.password !== user.password || olds.status !== "CONFIRMED");
        } catch (err) {
            throw userError(user, "could not be updated", err);
        }
        return { outs: { ...user, sub: olds.sub ?? "", status: "CONFIRMED", adopted: Boolean(olds.adopted) } };
    }

    async function remove(id: string, props?: CognitoUserOutputs) {
        const key = keyFromId(id, props);
        await deleteUser(key).catch((err) => {
            throw new Error(`Cognito user "${key.Username}" in pool ${key.UserPoolId} could not be deleted: ${describe(err, props?.password)}`);
        });
    }

    async function apply(user: CognitoUserInputs, current: Current, setPassword: boolean) {
        const c = api(), key = keyOf(user);
        const before = current.attributes ?? {}, after = user.attributes, groupsBefore = current.groups ?? [];
        const changed = Object.keys(after).filter((n) => before[n] !== after[n]);
        for (const [contact, verified] of [["email", "email_verified"], ["phone_number", "phone_number_verified"]]) {
            if (changed.includes(contact) && !changed.includes(verified) && verified in after) changed.push(verified);
        }
        const removed = Object.keys(before).filter((n) => !(n in after));
        const commands = [
            changed.length && new c.AdminUpdateUserAttributesCommand({ ...key, UserAttributes: attributeList(Object.fromEntries(changed.map((n) => [n, after[n]]))) }),
            removed.length && new c.AdminDeleteUserAttributesCommand({ ...key, UserAttributeNames: removed }),
            setPassword && new c.AdminSetUserPasswordCommand({ ...key, Password: user.password, Permanent: true }),
            ...user.groups.filter((g) => !groupsBefore.includes(g)).map((GroupName) => new c.AdminAddUserToGroupCommand({ ...key, GroupName })),
            ...groupsBefore.filter((g) => !user.groups.includes(g)).map((GroupName) => new c.AdminRemoveUserFromGroupCommand({ ...key, GroupName })),
            (current.enabled ?? true) !== user.enabled && (user.enabled ? new c.AdminEnableUserCommand(key) : new c.AdminDisableUserCommand(key)),
        ];
        for (const command of commands) if (command) await send(command);
    }

    async function listGroups(key: Key): Promise<string[]> {
        const groups: string[] = [];
        let NextToken: string | undefined;
        do {
            const page: sdk.AdminListGroupsForUserCommandOutput = await send(new (api().AdminListGroupsForUserCommand)({ ...key, NextToken }));
            groups.push(...(page.Groups ?? []).map((g) => g.GroupName!));
            NextToken = page.NextToken;
        } while (NextToken);
        return groups;
    }

    function deleteUser(key: Key): Promise<void> {
        return send(new (api().AdminDeleteUserCommand)(key)).then(() => undefined, (err) => {
            if (!gone.includes(err?.name)) throw err;
        });
    }

    function outputs(user: CognitoUserInputs, attributes: sdk.AttributeType[] | undefined, adopted: boolean) {
        const sub = attributes?.find((a) => a.Name === "sub")?.Value ?? "";
        return { id: `${user.userPoolId}/${user.username}`, outs: { ...user, sub, status: "CONFIRMED", adopted } };
    }

    function keyOf(user: CognitoUserInputs): Key {
        return { UserPoolId: user.userPoolId, Username: user.username };
    }

    function keyFromId(id: string, props?: Partial<CognitoUserOutputs>): Key {
        const slash = id.indexOf("/");
        return { UserPoolId: props?.userPoolId ?? id.slice(0, slash), Username: props?.username ?? id.slice(slash + 1) };
    }

    function attributeList(attributes: Record<string, string>): sdk.AttributeType[] {
        return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
    }

    function userError(user: CognitoUserInputs, what: string, cause: unknown): Error {
        return new Error(`Cognito user "${user.username}" in pool ${user.userPoolId} ${what}: ${describe(cause, user.password)}`);
    }

    function describe(err: any, password?: string): string {
        const text = `${err?.name || "Error"}: ${err?.message ?? err}`;
        return password ? text.split(password).join("[secret]") : text;
    }

    return { check, diff, create, read, update, remove };
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
