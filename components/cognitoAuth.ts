import type * as awsCognito from "@pulumi/aws/cognito";
import type * as awsIam from "@pulumi/aws/iam";
import type * as pulumi from "@pulumi/pulumi";
import { ComponentResource } from "../lib/sdk";
import { hasKey, keyedMap } from "../lib/maps";
import type { CognitoUser } from "../providers/cognitoUser";
import { IdentityTransforms, declareIdentity } from "./identity";
import { passwordRulesOf } from "./resolved";
import { UserPoolTransforms, declareUserPool } from "./userPool";
import { UsersTransforms, declareUsers } from "./users";
import { defaults, settings as allSettings } from "./settings";
import type { IdentitySettings, UserPoolSettings, UsersSettings } from "./types";
import { validateArgs } from "./validation";

// The whole of Cognito authentication for an app: the user pool and client (./userPool.ts), the
// identity pool and roles (./identity.ts), the users and groups (./users.ts). It declares the same
// parts as those three components, as its own children, rather than nesting the components: every
// resource keeps the URN it had in stacks made before they existed, and no bookkeeping resource is
// added to them (a nested component would be a new resource in each existing stack's preview).

/** Arguments of `CognitoAuth`: every setting of a stack that creates its pool, each described in ./types.ts. */
export interface CognitoAuthArgs extends UserPoolSettings, IdentitySettings, UsersSettings {
    /**
     * Changes to the children's arguments and options that the settings do not name.
     * @example { userPool: { tags: { team: "auth" } }, role: { maxSessionDuration: 7200 } }
     */
    transform?: UserPoolTransforms & IdentityTransforms & UsersTransforms;
}

/**
 * Cognito authentication as code: a user pool with secure defaults, an app client for password
 * sign-in, an identity pool handing out role credentials, and users with permanent passwords.
 * For the users of a pool made elsewhere, use `CognitoUsers` (./users.ts) alone.
 */
export class CognitoAuth extends ComponentResource {
    /** The created pool's id. */
    public readonly userPoolId: pulumi.Output<string>;
    /** The pool's region, from its endpoint. */
    public readonly region: pulumi.Output<string>;
    public readonly userPool: awsCognito.UserPool;
    public readonly userPoolClient: awsCognito.UserPoolClient;
    /** The client secret (a Pulumi secret); only when `generateClientSecret` is true. */
    public readonly clientSecret?: pulumi.Output<string>;
    public readonly identityPool: awsCognito.IdentityPool;
    public readonly authenticatedRole: awsIam.Role;
    /** Only when `allowUnauthenticatedIdentities` is true. */
    public readonly unauthenticatedRole?: awsIam.Role;
    public readonly roleAttachment: awsCognito.IdentityPoolRoleAttachment;
    /** The role of each group with `policyArns`, by group name (a map without a prototype: names come from config). */
    public readonly groupRoles: Record<string, awsIam.Role>;
    /** Groups by name (a map without a prototype: names come from config). */
    public readonly groups: Record<string, awsCognito.UserGroup>;
    /** Users by username (a map without a prototype: names come from config). */
    public readonly users: Record<string, CognitoUser>;

    constructor(name: string, args: CognitoAuthArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("cognito-auth:index:CognitoAuth", name, {}, opts);
        const { transform: _transform, ...settings } = args;
        // Every setting but an existing pool's id: for the users of a pool made elsewhere, CognitoUsers.
        const takes = Object.keys(allSettings).filter((key) => key !== "userPoolId" && key !== "userPoolClientId");
        const problems = validateArgs(settings, {
            component: { name: "CognitoAuth (for the users of a pool made elsewhere, use CognitoUsers)", takes },
        });
        if (problems.length > 0) {
            throw new Error(`CognitoAuth "${name}" has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        }
        const pool = declareUserPool(name, args, this, args.identityPoolName);
        this.userPool = pool.userPool;
        this.userPoolClient = pool.userPoolClient;
        this.clientSecret = pool.clientSecret;
        this.userPoolId = this.userPool.id;
        this.region = pool.region;
        const identity = declareIdentity(
            name,
            { ...args, userPool: { id: this.userPool.id, clientId: this.userPoolClient.id, providerName: this.userPool.endpoint } },
            this,
            pool.protect,
        );
        this.identityPool = identity.identityPool;
        this.authenticatedRole = identity.authenticatedRole;
        this.unauthenticatedRole = identity.unauthenticatedRole;
        this.roleAttachment = identity.roleAttachment;
        this.groupRoles = identity.groupRoles;
        // Each group with policies gets the role made for it: policyArns become the group's roleArn.
        const groups = keyedMap(
            Object.entries(args.groups ?? defaults.groups).map(([group, { policyArns: _policies, ...spec }]) => [
                group,
                hasKey(this.groupRoles, group) ? { ...spec, roleArn: this.groupRoles[group].arn } : spec,
            ]),
        );
        const users = declareUsers(
            name,
            { ...args, groups, userPoolId: this.userPoolId, userPoolClientId: this.userPoolClient.id },
            passwordRulesOf(args.passwordPolicy, false),
            this,
        );
        this.groups = users.groups;
        this.users = users.users;
        this.registerOutputs({
            userPoolId: this.userPoolId,
            userPoolClientId: this.userPoolClient.id,
            identityPoolId: this.identityPool.id,
            authenticatedRoleArn: this.authenticatedRole.arn,
            ...(this.unauthenticatedRole ? { unauthenticatedRoleArn: this.unauthenticatedRole.arn } : {}),
        });
    }
}
