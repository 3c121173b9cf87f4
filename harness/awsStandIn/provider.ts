import * as crypto from "crypto";
import * as path from "path";
import * as provider from "@pulumi/pulumi/provider";

// A stand-in for the `aws` resource plugin, for engine tests only: the real one cannot be built or
// downloaded here (docs/testing.md, "The stand-in aws plugin"). It answers for the resource types
// the program declares, keeps nothing (each pulumi command starts it afresh: read returns what it
// is given), and makes nothing anywhere. Outputs are the inputs plus the ids, ARNs and endpoint
// AWS computes, in AWS's formats. Its diff replaces on the properties terraform-provider-aws marks
// ForceNew (which pulumi-aws wraps), each list below citing its source file.

/** The version @pulumi/aws asks for, so the engine takes this plugin for it. */
const version: string = require(path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), "package.json")).version;

/** A user pool id to return for a pool of that name (JSON, name -> id): a pool made in cognito-local first, so users can be made in it. */
export const poolIdsVariable = "AWS_STANDIN_POOL_IDS";

/**
 * A Cognito endpoint (cognito-local's) where the UserGroup makes, updates and deletes its group,
 * so a test can ask Cognito for it; unset, the UserGroup makes nothing.
 */
export const cognitoEndpointVariable = "AWS_STANDIN_COGNITO_ENDPOINT";

const account = "123456789012";
const secretSig = "4dabf18193072939515e22adb298388d";

interface TypeRules {
    /** Properties whose change replaces the resource. */
    replaces: string[];
    /** Outputs the stand-in adds (not inputs), left out when comparing old outputs with new inputs. */
    computed: string[];
    create(name: string, inputs: Record<string, any>, region: string): { id: string; outs: Record<string, unknown> };
    /** Refuses an update as the real provider does, or undefined. */
    updateProblem?(olds: Record<string, any>, news: Record<string, any>): string | undefined;
    /** What the type does beyond the stand-in's state, with inputs without secret wrappers (never in a preview). */
    effects?: {
        create(inputs: Record<string, any>): Promise<void>;
        update(olds: Record<string, any>, news: Record<string, any>): Promise<void>;
        delete(props: Record<string, any>): Promise<void>;
    };
    /** Fills inputs the real provider's check fills (auto-names). */
    check?(name: string, olds: Record<string, any>, news: Record<string, any>): Record<string, any>;
}

const random = (length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789") =>
    Array.from(crypto.randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join("");
const now = () => new Date().toISOString();

let uniqueIdCounter = 0;
/** terraform-plugin-sdk's id.PrefixedUniqueId: `prefix`, the UTC time as yyyymmddhhmmss and 4 digits of the second, an 8-digit hex counter. */
function prefixedUniqueId(prefix: string): string {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 17) + random(1, "0123456789");
    uniqueIdCounter += 1;
    return `${prefix}${stamp}${uniqueIdCounter.toString(16).padStart(8, "0")}`;
}

type CognitoSdk = typeof import("@aws-sdk/client-cognito-identity-provider");
const cognitoSdk = (): CognitoSdk => require("@aws-sdk/client-cognito-identity-provider");
let cognitoClient: InstanceType<CognitoSdk["CognitoIdentityProviderClient"]> | undefined;
/** A client of the Cognito at `cognitoEndpointVariable`, or undefined when it is unset. */
function cognito() {
    const endpoint = process.env[cognitoEndpointVariable];
    if (!endpoint) return undefined;
    cognitoClient ??= new (cognitoSdk().CognitoIdentityProviderClient)({
        endpoint,
        region: process.env.AWS_REGION ?? "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    return cognitoClient;
}

const types: Record<string, TypeRules> = {
    // internal/service/cognitoidp/user_pool.go: name, alias_attributes, username_attributes and
    // username_configuration.case_sensitive are ForceNew; schema is not (an added attribute is
    // AddCustomAttributes, a removed or changed one fails: "cannot modify or remove schema items").
    "aws:cognito/userPool:UserPool": {
        replaces: ["name", "aliasAttributes", "usernameAttributes", "usernameConfiguration"],
        computed: ["arn", "endpoint", "creationDate", "lastModifiedDate", "estimatedNumberOfUsers", "region", "tagsAll"],
        create(_name, inputs, region) {
            const known = JSON.parse(process.env[poolIdsVariable] || "{}") as Record<string, string>;
            const id = known[inputs.name] ?? `${region}_${random(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`;
            const arn = `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`;
            const endpoint = `cognito-idp.${region}.amazonaws.com/${id}`;
            return {
                id,
                outs: { arn, endpoint, creationDate: now(), lastModifiedDate: now(), estimatedNumberOfUsers: 0, region, tagsAll: {} },
            };
        },
        updateProblem(olds, news) {
            const kept = new Set((news.schemas ?? []).map((item: unknown) => JSON.stringify(item)));
            const lost = (olds.schemas ?? []).some((item: unknown) => !kept.has(JSON.stringify(item)));
            return lost ? "updating Cognito User Pool: cannot modify or remove schema items" : undefined;
        },
    },
    // internal/service/cognitoidp/user_pool_client.go: user_pool_id and generate_secret ForceNew.
    "aws:cognito/userPoolClient:UserPoolClient": {
        replaces: ["userPoolId", "generateSecret"],
        computed: ["clientSecret", "region"],
        create(_name, inputs, region) {
            return { id: random(26), outs: { clientSecret: inputs.generateSecret ? random(51) : "", region } };
        },
    },
    // internal/service/cognitoidentity/pool.go: identity_pool_name ForceNew.
    "aws:cognito/identityPool:IdentityPool": {
        replaces: ["identityPoolName"],
        computed: ["arn", "region", "tagsAll"],
        create(_name, _inputs, region) {
            const id = `${region}:${crypto.randomUUID()}`;
            return { id, outs: { arn: `arn:aws:cognito-identity:${region}:${account}:identitypool/${id}`, region, tagsAll: {} } };
        },
    },
    // internal/service/cognitoidentity/pool_roles_attachment.go: identity_pool_id and roles ForceNew.
    "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": {
        replaces: ["identityPoolId", "roles"],
        computed: ["region"],
        create(_name, inputs, region) {
            return { id: inputs.identityPoolId, outs: { region } };
        },
    },
    // internal/service/cognitoidp/user_group.go: name and user_pool_id ForceNew; its update sends
    // only the fields that changed (a removed one as "" or 0).
    "aws:cognito/userGroup:UserGroup": {
        replaces: ["name", "userPoolId"],
        computed: ["region"],
        create(_name, inputs, region) {
            return { id: `${inputs.userPoolId}/${inputs.name}`, outs: { region } };
        },
        effects: {
            async create(inputs) {
                const { CreateGroupCommand } = cognitoSdk();
                await cognito()?.send(
                    new CreateGroupCommand({
                        UserPoolId: inputs.userPoolId,
                        GroupName: inputs.name,
                        Description: inputs.description,
                        Precedence: inputs.precedence,
                        RoleArn: inputs.roleArn,
                    }),
                );
            },
            async update(olds, news) {
                const { UpdateGroupCommand } = cognitoSdk();
                const changed = (key: string) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]);
                await cognito()?.send(
                    new UpdateGroupCommand({
                        UserPoolId: news.userPoolId,
                        GroupName: news.name,
                        ...(changed("description") ? { Description: news.description ?? "" } : {}),
                        ...(changed("precedence") ? { Precedence: news.precedence ?? 0 } : {}),
                        ...(changed("roleArn") ? { RoleArn: news.roleArn ?? "" } : {}),
                    }),
                );
            },
            async delete(props) {
                const { DeleteGroupCommand } = cognitoSdk();
                await cognito()?.send(new DeleteGroupCommand({ UserPoolId: props.userPoolId, GroupName: props.name }));
            },
        },
    },
    // internal/service/iam/role.go: name, name_prefix and path ForceNew. Pulumi names the role
    // `<resource name>-<7 random characters>` when neither is given, and keeps the name it gave. A
    // name_prefix conflicts with name, so Pulumi gives none: AWS's name is made at create, the
    // prefix and 26 characters (terraform's id.PrefixedUniqueId), and is not known in a preview.
    "aws:iam/role:Role": {
        replaces: ["name", "namePrefix", "path"],
        computed: ["arn", "uniqueId", "createDate", "tagsAll", "name"],
        check(name, olds, news) {
            if (news.name !== undefined || news.namePrefix !== undefined) return news;
            return { ...news, name: olds.name ?? `${name}-${random(7, "0123456789abcdef")}` };
        },
        create(_name, inputs) {
            const name = inputs.name ?? prefixedUniqueId(inputs.namePrefix);
            const outs = {
                name,
                arn: `arn:aws:iam::${account}:role/${name}`,
                uniqueId: `AROA${random(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
            };
            return { id: name, outs: { ...outs, createDate: now(), tagsAll: {} } };
        },
    },
    // internal/service/iam/role_policy_attachment.go: role and policy_arn ForceNew (no update at all).
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        replaces: ["role", "policyArn"],
        computed: [],
        create(_name, inputs) {
            return { id: `${inputs.role}-${random(26, "0123456789")}`, outs: {} };
        },
    },
};

function rulesOf(urn: string): TypeRules {
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    const rules = types[type];
    if (!rules) throw new Error(`the stand-in aws plugin does not know ${type} (harness/awsStandIn/provider.ts)`);
    return rules;
}

const nameOf = (urn: string) => urn.split("::").pop()!;

/** A value with Pulumi's secret wrapper removed, everywhere in it, for comparing. */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[secretSig] !== undefined) return plain(record.value);
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, plain(inner)]));
    }
    return value;
}

/** The region of the provider's configuration (`aws:region`), set by Configure. */
let region = "us-east-1";

/** The properties whose change the diff reports: every input, and what create added when it is no longer computed. */
function changedKeys(rules: TypeRules, olds: Record<string, any>, news: Record<string, any>): string[] {
    // Old outputs are the old inputs plus what create added.
    const keys = new Set([...Object.keys(news), ...Object.keys(olds).filter((key) => !rules.computed.includes(key))]);
    return [...keys].filter((key) => JSON.stringify(plain(olds[key])) !== JSON.stringify(plain(news[key])));
}

/** An update's outputs: what create computed, kept, and the new inputs (what the real provider plans, too). */
function updatedOutputs(rules: TypeRules, olds: Record<string, any>, news: Record<string, any>): Record<string, unknown> {
    const computed = Object.fromEntries(rules.computed.filter((key) => key in olds).map((key) => [key, olds[key]]));
    return { ...computed, ...news, ...("lastModifiedDate" in olds ? { lastModifiedDate: now() } : {}) };
}

export const standInProvider: provider.Provider = {
    version,
    async check(urn, olds, news) {
        const rules = rulesOf(urn);
        return { inputs: rules.check ? rules.check(nameOf(urn), olds ?? {}, news) : news };
    },
    async diff(_id, urn, olds, news) {
        const rules = rulesOf(urn);
        const changed = changedKeys(rules, olds, news);
        return { changes: changed.length > 0, replaces: changed.filter((key) => rules.replaces.includes(key)) };
    },
    async create(urn, inputs) {
        const rules = rulesOf(urn);
        const { id, outs } = rules.create(nameOf(urn), inputs, region);
        await rules.effects?.create(plain(inputs) as Record<string, any>);
        return { id, outs: { ...inputs, ...outs } };
    },
    async read(id, _urn, props) {
        return { id, props };
    },
    async update(_id, urn, olds, news) {
        const rules = rulesOf(urn);
        const problem = rules.updateProblem?.(plain(olds) as Record<string, any>, plain(news) as Record<string, any>);
        if (problem) throw new Error(problem);
        await rules.effects?.update(plain(olds) as Record<string, any>, plain(news) as Record<string, any>);
        return { outs: updatedOutputs(rules, olds, news) };
    },
    async delete(_id, urn, props) {
        // AWS refuses to delete a user pool with deletion protection on (InvalidParameterException).
        if (props.deletionProtection === "ACTIVE") throw new Error("deleting Cognito User Pool: deletion protection is active");
        await rulesOf(urn).effects?.delete(plain(props) as Record<string, any>);
    },
};

/**
 * The SDK's provider server leaves the provider's own configuration to the engine (CheckConfig and
 * DiffConfig unimplemented, Configure ignored); the stand-in answers them itself, and keeps the
 * region that computed ids, ARNs and endpoints name. It also answers as the real (bridged) plugin
 * does where the SDK's server cannot: it supports previews, so a previewed update keeps what
 * create computed (an updated pool's endpoint stays known, and what names it shows no change),
 * and a previewed create or update does nothing; its diff names the changed properties (a
 * preview's diffReasons).
 */
function answerEngine(grpc: any, provproto: any, structproto: any): void {
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, implementation: any) {
        const wrapped = Object.create(implementation);
        wrapped.configure = (call: any, callback: any) => {
            const args = call.request.getArgs()?.toJavaScript() ?? {};
            region = args.region ?? call.request.getVariablesMap().get("aws:config:region") ?? region;
            implementation.configure(call, (err: unknown, response: any) => {
                response?.setSupportspreview(true);
                callback(err, response);
            });
        };
        wrapped.checkConfig = (call: any, callback: any) => {
            const response = new provproto.CheckResponse();
            response.setInputs(call.request.getNews());
            callback(undefined, response);
        };
        wrapped.diffConfig = (call: any, callback: any) => {
            const [olds, news] = [call.request.getOlds().toJavaScript(), call.request.getNews().toJavaScript()];
            delete olds.version;
            delete news.version;
            const response = new provproto.DiffResponse();
            const same = JSON.stringify(plain(olds)) === JSON.stringify(plain(news));
            response.setChanges(same ? provproto.DiffResponse.DiffChanges.DIFF_NONE : provproto.DiffResponse.DiffChanges.DIFF_SOME);
            callback(undefined, response);
        };
        wrapped.diff = (call: any, callback: any) => {
            try {
                const rules = rulesOf(call.request.getUrn());
                const changed = changedKeys(rules, call.request.getOlds().toJavaScript(), call.request.getNews().toJavaScript());
                const response = new provproto.DiffResponse();
                response.setChanges(
                    changed.length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE,
                );
                response.setDiffsList(changed);
                response.setReplacesList(changed.filter((key) => rules.replaces.includes(key)));
                callback(undefined, response);
            } catch (err) {
                callback(err, undefined);
            }
        };
        wrapped.create = (call: any, callback: any) => {
            if (!call.request.getPreview()) return implementation.create(call, callback);
            const response = new provproto.CreateResponse();
            response.setProperties(call.request.getProperties());
            callback(undefined, response);
        };
        wrapped.update = (call: any, callback: any) => {
            if (!call.request.getPreview()) return implementation.update(call, callback);
            try {
                const rules = rulesOf(call.request.getUrn());
                const outs = updatedOutputs(rules, call.request.getOlds().toJavaScript(), call.request.getNews().toJavaScript());
                const response = new provproto.UpdateResponse();
                response.setProperties(structproto.Struct.fromJavaScript(outs));
                callback(undefined, response);
            } catch (err) {
                callback(err, undefined);
            }
        };
        return addService.call(this, service, wrapped);
    };
}

/** Serves the stand-in on the address the engine gives (the launcher's arguments). */
export function serve(args: string[]): Promise<void> {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    // The same module instances the SDK's server uses.
    answerEngine(
        require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })),
        require(path.join(pulumiDir, "proto", "provider_pb")),
        require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] })),
    );
    return provider.main(standInProvider, args);
}
