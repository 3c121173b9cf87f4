import * as pulumi from "@pulumi/pulumi";

// A bookkeeping resource that stops a change which would replace the user pool or the identity
// pool while deletion protection is on, with a message that says what would be lost and how to do
// it on purpose. Pulumi's `protect` on those pools refuses such a change too, but its message
// ("remove the `protect` flag from the resource in your Pulumi program") names neither the loss
// nor this stack's setting. The pools depend on this resource, so its failing diff stops the
// preview (and `up`) before either pool is registered. It makes nothing in AWS.

/** What the guard stores: the settings whose change replaces a pool, and the protection. */
export interface PoolGuardInputs {
    /** The user pool's name (a new name replaces the pool). */
    userPoolName: string;
    /** The identity pool's name when `identityPoolName` is set (unset: its stored name is kept). */
    identityPoolName?: string;
    deletionProtection: boolean;
}

/**
 * Why the change from `olds` to `news` must not be made, or undefined. Protection counts when it
 * is on before or after the change, so turning it off in the same `pulumi up` does not let a
 * rename through. Self-contained: it runs inside the serialized provider.
 */
export function replacementRefusal(olds: Partial<PoolGuardInputs>, news: PoolGuardInputs): string | undefined {
    if (!olds.deletionProtection && !news.deletionProtection) return undefined;
    const problems: string[] = [];
    if (olds.userPoolName !== undefined && olds.userPoolName !== news.userPoolName) {
        problems.push(
            `renaming the user pool from "${olds.userPoolName}" to "${news.userPoolName}" replaces it: a new, empty pool is made and ` +
                "the old one deleted with every user in it (this stack's users are made again with their configured passwords; " +
                "anyone else's, sign-in sessions, refresh tokens, MFA devices and self-service changes are lost), and the app " +
                "client gets a new id, so apps must be reconfigured; the identity pool stays",
        );
    }
    if (olds.identityPoolName && news.identityPoolName && olds.identityPoolName !== news.identityPoolName) {
        problems.push(
            `renaming the identity pool from "${olds.identityPoolName}" to "${news.identityPoolName}" replaces it: every ` +
                "identity id is lost (apps' cached ids and data keyed by cognito-identity.amazonaws.com:sub)",
        );
    }
    if (problems.length === 0) return undefined;
    return (
        `cognito-auth: ${problems.join("; and ")}. Refused while deletionProtection is on, before anything is changed. ` +
        "To do it on purpose: first turn protection off in a pulumi up of its own (pulumi config set deletionProtection false, " +
        "with the old name still set, then pulumi up), then make the change and run pulumi up, then turn protection on again. " +
        "To keep the pool, set the old name again."
    );
}

/** The guard's provider: it stores its inputs; its diff refuses a replacing change (see above). */
export const poolGuardProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: PoolGuardInputs) {
        return { id: "pool-guard", outs: inputs };
    },
    async diff(_id: string, olds: PoolGuardInputs, news: PoolGuardInputs) {
        const refusal = replacementRefusal(olds, news);
        if (refusal) throw new Error(refusal);
        const changes = (["userPoolName", "identityPoolName", "deletionProtection"] as const).some((key) => olds[key] !== news[key]);
        return { changes };
    },
    async update(_id: string, _olds: PoolGuardInputs, news: PoolGuardInputs) {
        return { outs: news };
    },
};

/** The guard of the pools of a created pool (see above); the pools take it in `dependsOn`. */
export class PoolGuard extends pulumi.dynamic.Resource {
    constructor(name: string, inputs: PoolGuardInputs, opts?: pulumi.CustomResourceOptions) {
        super(poolGuardProvider, name, inputs, opts, "cognito-auth", "PoolGuard");
    }
}
