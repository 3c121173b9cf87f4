import * as awsCognito from "@pulumi/aws/cognito";
import * as awsIam from "@pulumi/aws/iam";
import type * as pulumi from "@pulumi/pulumi";
import { ComponentResource, getProject, getStack, interpolate, output } from "../lib/sdk";
import { userPoolRegion } from "../providers/rules";
import { defaults } from "./settings";
import { transformed } from "./transform";
import type { GroupSpec, IdentitySettings, Transform, UsersSettings } from "./types";
import { keyedMap } from "../lib/maps";
import { validateArgs } from "./validation";

// An identity pool that hands out role credentials to a user pool's users, with its roles and
// their attachment. `declareIdentity` declares them under any parent: `CognitoIdentity` below and
// `CognitoAuth`. Guests are off unless asked for, and each role trusts only this identity pool and
// only identities of its kind (AWS CDK's aws-cognito-identitypool does the same).

/** Changes to the children's arguments and options that the settings do not name. */
export interface IdentityTransforms {
    identityPool?: Transform<awsCognito.IdentityPoolArgs>;
    /** Every role (`name` tells which: `<name>-authenticated`, `<name>-unauthenticated` or `<name>-group-<group>-role`). */
    role?: Transform<awsIam.RoleArgs>;
    /** Every managed-policy attachment of a role. */
    policyAttachment?: Transform<awsIam.RolePolicyAttachmentArgs>;
    roleAttachment?: Transform<awsCognito.IdentityPoolRoleAttachmentArgs>;
}

/** The user pool whose users get credentials: its id (from this stack, another, or `UserPool.get`) and an app client of it. */
export interface IdentityUserPool {
    /** The user pool's id, `<region>_<id>`. */
    id: pulumi.Input<string>;
    /** An app client of the pool, whose tokens are exchanged for credentials. */
    clientId: pulumi.Input<string>;
    /** The pool's `endpoint`. @default `cognito-idp.<region>.amazonaws.com/<id>` (the AWS partition; give the pool's `endpoint` elsewhere, e.g. in China) */
    providerName?: pulumi.Input<string>;
}

/** Arguments of `CognitoIdentity`: the identity settings of the stack, each described in ./types.ts. */
export interface CognitoIdentityArgs extends IdentitySettings, Pick<UsersSettings, "groups"> {
    userPool: IdentityUserPool;
    /** @example { role: { maxSessionDuration: 7200 } } */
    transform?: IdentityTransforms;
}

/** The settings `CognitoIdentity` takes (the compiler requires every key of IdentitySettings). */
const takes: { readonly [K in keyof IdentitySettings]-?: true } = {
    identityPoolName: true,
    allowUnauthenticatedIdentities: true,
    authenticatedPolicyArns: true,
    unauthenticatedPolicyArns: true,
    deletionProtection: true,
};

/** Beside its own settings, `CognitoIdentity` takes the groups, and makes a role for each with `policyArns`. */
const takesAlso = ["groups"];

/** What `declareIdentity` declared. */
export interface IdentityParts {
    identityPool: awsCognito.IdentityPool;
    authenticatedRole: awsIam.Role;
    /** Only when `allowUnauthenticatedIdentities` is true. */
    unauthenticatedRole?: awsIam.Role;
    roleAttachment: awsCognito.IdentityPoolRoleAttachment;
    /** The role of each group with `policyArns`, by group name (a map without a prototype: names come from config). */
    groupRoles: Record<string, awsIam.Role>;
}

/**
 * A role name prefix from the group's resource name: IAM allows letters, digits and `+=,.@_-` and
 * at most 38 characters for a prefix (AWS adds 26), where a group name may hold any printable
 * character and 128 of them.
 */
export function groupRoleNamePrefix(name: string, group: string): string {
    return `${`${name}-${group}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 37)}-`;
}

/**
 * Text IAM takes in a description (printable ASCII and Latin-1 only, where a group name may hold
 * any printable character): the name quoted, every other character as a `\u` escape.
 */
export function asciiText(text: string): string {
    return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The trust policy of an identity-pool role: only this identity pool (`aud`) and only identities
 * of the given kind (`amr`) may assume it. Without `aud` any identity pool could.
 */
export function roleTrustPolicy(identityPoolId: string, kind: "authenticated" | "unauthenticated") {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: "cognito-identity.amazonaws.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { "cognito-identity.amazonaws.com:aud": identityPoolId },
                    "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": kind },
                },
            },
        ],
    };
}

/**
 * The identity pool's name when `identityPoolName` is unset: from the project and stack, so that
 * renaming the user pool leaves it alone. For the program's default pool name (`<project>-<stack>`)
 * it is the name earlier versions gave it (`<userPoolName>-identities`).
 */
export function defaultIdentityPoolName(): string {
    return `${getProject()}-${getStack()}-identities`;
}

/**
 * The identity pool, its roles and their attachment as children of `parent`, named
 * `<name>-identities`, `<name>-authenticated`, `<name>-unauthenticated`, `<name>-<kind>-policy-<n>`
 * and `<name>-roles`. `protect` is what the identity pool takes beside `parent` (Pulumi's protect,
 * the pool guard).
 */
export function declareIdentity(
    name: string,
    args: CognitoIdentityArgs,
    parent: pulumi.Resource,
    protect: pulumi.CustomResourceOptions,
): IdentityParts {
    const providerName =
        args.userPool.providerName ?? output(args.userPool.id).apply((id) => `cognito-idp.${userPoolRegion(id)}.amazonaws.com/${id}`);
    const identityPool = new awsCognito.IdentityPool(
        ...transformed(
            args.transform?.identityPool,
            `${name}-identities`,
            {
                identityPoolName: args.identityPoolName ?? defaultIdentityPoolName(),
                allowUnauthenticatedIdentities: args.allowUnauthenticatedIdentities ?? defaults.allowUnauthenticatedIdentities,
                allowClassicFlow: false,
                cognitoIdentityProviders: [{ clientId: args.userPool.clientId, providerName, serverSideTokenCheck: true }],
            },
            // A new name replaces the identity pool (every identity id lost). Unless a name is set, keep
            // the one it was made with, whatever default an earlier version derived it from.
            { parent, ...protect, ...(args.identityPoolName === undefined ? { ignoreChanges: ["identityPoolName"] } : {}) },
            {
                identityPoolName: "the setting identityPoolName",
                allowUnauthenticatedIdentities: "the setting allowUnauthenticatedIdentities",
                cognitoIdentityProviders: "CognitoIdentity's userPool",
            },
        ),
    );
    /** A role trusted by this identity pool for `kind` identities, and its policies; `group` for a group's role. */
    const role = (
        kind: "authenticated" | "unauthenticated",
        policyArns: pulumi.Input<string>[],
        group?: { name: string; setting: string },
    ) => {
        const roleName = group ? `${name}-group-${group.name}-role` : `${name}-${kind}`;
        const created = new awsIam.Role(
            ...transformed(
                args.transform?.role,
                roleName,
                {
                    description: group
                        ? `Assumed by users of the group ${asciiText(group.name)} of the Cognito identity pool of ${name}`.slice(0, 1000)
                        : `Assumed by ${kind} identities of the Cognito identity pool of ${name}`,
                    assumeRolePolicy: identityPool.id.apply((id) => JSON.stringify(roleTrustPolicy(id, kind))),
                    ...(group ? { namePrefix: groupRoleNamePrefix(name, group.name) } : {}),
                },
                { parent },
                {
                    assumeRolePolicy: "CognitoIdentity (the trust policy: this identity pool, this kind of identity)",
                    ...(group ? { namePrefix: "CognitoIdentity (a name IAM takes for any group name)" } : {}),
                },
            ),
        );
        policyArns.forEach(
            (policyArn, index) =>
                new awsIam.RolePolicyAttachment(
                    ...transformed(
                        args.transform?.policyAttachment,
                        group ? `${name}-group-${group.name}-policy-${index}` : `${name}-${kind}-policy-${index}`,
                        { role: created.name, policyArn },
                        { parent },
                        { role: "CognitoIdentity", policyArn: group ? group.setting : `the setting ${kind}PolicyArns` },
                    ),
                ),
        );
        return created;
    };
    const authenticatedRole = role("authenticated", args.authenticatedPolicyArns ?? defaults.authenticatedPolicyArns);
    const unauthenticatedRole = args.allowUnauthenticatedIdentities
        ? role("unauthenticated", args.unauthenticatedPolicyArns ?? defaults.unauthenticatedPolicyArns)
        : undefined;
    const groupRoles = keyedMap(
        Object.entries(args.groups ?? defaults.groups)
            .filter(
                (entry): entry is [string, GroupSpec & { policyArns: pulumi.Input<string>[] }] => (entry[1].policyArns?.length ?? 0) > 0,
            )
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(
                ([group, spec]) =>
                    [
                        group,
                        role("authenticated", spec.policyArns, { name: group, setting: `the setting groups (${group}.policyArns)` }),
                    ] as const,
            ),
    );
    // Users of a group with a role get that role's credentials: the identity pool takes the role
    // from the ID token's cognito:preferred_role (the group of lowest precedence); without one, the
    // authenticated role. Only with group roles, so a stack without them shows no change.
    const tokenRoles = Object.keys(groupRoles).length > 0;
    const roleAttachment = new awsCognito.IdentityPoolRoleAttachment(
        ...transformed(
            args.transform?.roleAttachment,
            `${name}-roles`,
            {
                identityPoolId: identityPool.id,
                roles: {
                    authenticated: authenticatedRole.arn,
                    ...(unauthenticatedRole ? { unauthenticated: unauthenticatedRole.arn } : {}),
                },
                ...(tokenRoles
                    ? {
                          roleMappings: [
                              {
                                  identityProvider: interpolate`${providerName}:${args.userPool.clientId}`,
                                  type: "Token",
                                  ambiguousRoleResolution: "AuthenticatedRole",
                              },
                          ],
                      }
                    : {}),
            },
            // A change of its roles replaces it (terraform-provider-aws: `roles` is ForceNew), and deleting
            // an attachment sets the identity pool's roles to none: deleted after the new one was created,
            // it would leave the pool without roles.
            { parent, deleteBeforeReplace: true },
            {
                identityPoolId: "CognitoIdentity",
                roles: "CognitoIdentity",
                // A transform may add its own mappings (rules) where no group has a role.
                ...(tokenRoles ? { roleMappings: "the setting groups (roles by group)" } : {}),
            },
        ),
    );
    return { identityPool, authenticatedRole, unauthenticatedRole, roleAttachment, groupRoles };
}

/**
 * A Cognito identity pool for a user pool's users: authenticated users get the credentials of
 * the authenticated role (no permissions unless `authenticatedPolicyArns`), guests none unless
 * `allowUnauthenticatedIdentities`.
 * @example new CognitoIdentity("auth", { userPool: { id: pool.userPool.id, clientId: pool.userPoolClient.id, providerName: pool.userPool.endpoint } })
 */
export class CognitoIdentity extends ComponentResource {
    public readonly identityPool: awsCognito.IdentityPool;
    public readonly authenticatedRole: awsIam.Role;
    /** Only when `allowUnauthenticatedIdentities` is true. */
    public readonly unauthenticatedRole?: awsIam.Role;
    public readonly roleAttachment: awsCognito.IdentityPoolRoleAttachment;
    /** The role of each group with `policyArns`: give its `arn` to `CognitoUsers` as the group's `roleArn`. */
    public readonly groupRoles: Record<string, awsIam.Role>;

    constructor(name: string, args: CognitoIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cognito-auth:index:CognitoIdentity", name, {}, opts);
        const { transform: _transform, userPool: _userPool, ...settings } = args;
        const problems = validateArgs(settings, { component: { name: "CognitoIdentity", takes: [...Object.keys(takes), ...takesAlso] } });
        if (problems.length > 0) throw new Error(`CognitoIdentity "${name}" has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        const protection = args.deletionProtection ?? defaults.deletionProtection;
        const parts = declareIdentity(name, args, this, protection ? { protect: true } : {});
        this.identityPool = parts.identityPool;
        this.authenticatedRole = parts.authenticatedRole;
        this.unauthenticatedRole = parts.unauthenticatedRole;
        this.roleAttachment = parts.roleAttachment;
        this.groupRoles = parts.groupRoles;
        this.registerOutputs({ identityPoolId: this.identityPool.id, authenticatedRoleArn: this.authenticatedRole.arn });
    }
}
