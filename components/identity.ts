import * as awsCognito from "@pulumi/aws/cognito";
import * as awsIam from "@pulumi/aws/iam";
import type * as pulumi from "@pulumi/pulumi";
import { ComponentResource, getProject, getStack, output } from "../lib/sdk";
import { userPoolRegion } from "../providers/rules";
import { defaults } from "./settings";
import { transformed } from "./transform";
import type { IdentitySettings, Transform } from "./types";
import { validateArgs } from "./validation";

// An identity pool that hands out role credentials to a user pool's users, with its roles and
// their attachment. `declareIdentity` declares them under any parent: `CognitoIdentity` below and
// `CognitoAuth`. Guests are off unless asked for, and each role trusts only this identity pool and
// only identities of its kind (AWS CDK's aws-cognito-identitypool does the same).

/** Changes to the children's arguments and options that the settings do not name. */
export interface IdentityTransforms {
    identityPool?: Transform<awsCognito.IdentityPoolArgs>;
    /** Both roles (`name` tells which: `<name>-authenticated` or `<name>-unauthenticated`). */
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
export interface CognitoIdentityArgs extends IdentitySettings {
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

/** What `declareIdentity` declared. */
export interface IdentityParts {
    identityPool: awsCognito.IdentityPool;
    authenticatedRole: awsIam.Role;
    /** Only when `allowUnauthenticatedIdentities` is true. */
    unauthenticatedRole?: awsIam.Role;
    roleAttachment: awsCognito.IdentityPoolRoleAttachment;
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
    const role = (kind: "authenticated" | "unauthenticated", policyArns: pulumi.Input<string>[]) => {
        const created = new awsIam.Role(
            ...transformed(
                args.transform?.role,
                `${name}-${kind}`,
                {
                    description: `Assumed by ${kind} identities of the Cognito identity pool of ${name}`,
                    assumeRolePolicy: identityPool.id.apply((id) => JSON.stringify(roleTrustPolicy(id, kind))),
                },
                { parent },
                { assumeRolePolicy: "CognitoIdentity (the trust policy: this identity pool, this kind of identity)" },
            ),
        );
        policyArns.forEach(
            (policyArn, index) =>
                new awsIam.RolePolicyAttachment(
                    ...transformed(
                        args.transform?.policyAttachment,
                        `${name}-${kind}-policy-${index}`,
                        { role: created.name, policyArn },
                        { parent },
                        { role: "CognitoIdentity", policyArn: `the setting ${kind}PolicyArns` },
                    ),
                ),
        );
        return created;
    };
    const authenticatedRole = role("authenticated", args.authenticatedPolicyArns ?? defaults.authenticatedPolicyArns);
    const unauthenticatedRole = args.allowUnauthenticatedIdentities
        ? role("unauthenticated", args.unauthenticatedPolicyArns ?? defaults.unauthenticatedPolicyArns)
        : undefined;
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
            },
            // A change of its roles replaces it (terraform-provider-aws: `roles` is ForceNew), and deleting
            // an attachment sets the identity pool's roles to none: deleted after the new one was created,
            // it would leave the pool without roles.
            { parent, deleteBeforeReplace: true },
            { identityPoolId: "CognitoIdentity", roles: "CognitoIdentity" },
        ),
    );
    return { identityPool, authenticatedRole, unauthenticatedRole, roleAttachment };
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

    constructor(name: string, args: CognitoIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cognito-auth:index:CognitoIdentity", name, {}, opts);
        const { transform: _transform, userPool: _userPool, ...settings } = args;
        const problems = validateArgs(settings, { component: { name: "CognitoIdentity", takes: Object.keys(takes) } });
        if (problems.length > 0) throw new Error(`CognitoIdentity "${name}" has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        const protection = args.deletionProtection ?? defaults.deletionProtection;
        const parts = declareIdentity(name, args, this, protection ? { protect: true } : {});
        this.identityPool = parts.identityPool;
        this.authenticatedRole = parts.authenticatedRole;
        this.unauthenticatedRole = parts.unauthenticatedRole;
        this.roleAttachment = parts.roleAttachment;
        this.registerOutputs({ identityPoolId: this.identityPool.id, authenticatedRoleArn: this.authenticatedRole.arn });
    }
}
