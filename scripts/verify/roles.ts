// Which role a signed-in user's credentials should be for, by Cognito's rule for
// `cognito:preferred_role` (CreateGroup, Precedence): among the user's groups that have a role, the
// one of lowest precedence wins, and unset precedence loses to any number; groups tied at the best
// precedence give their role when they share it and no preferred role when their roles differ. The
// identity pool maps the user pool's tokens with `type: Token` and `ambiguousRoleResolution:
// AuthenticatedRole`, so no preferred role means the authenticated role. Pure: data in, data out.

/** The part of a `cognito-auth:groups` entry the rule reads. */
export interface GroupSetting {
    /** 0..2^31-1; undefined when unset (Cognito's null). */
    precedence?: number;
}

/** The role a user's credentials should be for, and why, in a few words. */
export interface ExpectedRole {
    roleArn: string;
    /** "group admins (precedence 1)", "no group with a role", "groups a and b tie at precedence 2 with different roles"... */
    reason: string;
    /** "group": a group's role; "authenticated": the identity pool's authenticated role. */
    kind: "group" | "authenticated";
}

/** "a", "a and b", "a, b and c". */
function listOf(names: string[]): string {
    return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

const precedenceText = (p: number | undefined) => (p === undefined ? "no precedence" : `precedence ${p}`);

/**
 * The role Cognito's rule gives a user of `userGroups`, from the groups' settings and the stack's
 * `groupRoleArns` output (group -> role ARN, only groups that have a role); else the
 * authenticated role. A group missing from `groups` has no precedence.
 */
export function expectedRole(
    userGroups: string[],
    groups: Record<string, GroupSetting>,
    groupRoleArns: Record<string, string>,
    authenticatedRoleArn: string,
): ExpectedRole {
    const withRole = [...new Set(userGroups)].filter((g) => Object.hasOwn(groupRoleArns, g)).sort();
    if (withRole.length === 0) return { roleArn: authenticatedRoleArn, reason: "no group with a role", kind: "authenticated" };
    const precedenceOf = (g: string) => (Object.hasOwn(groups, g) ? groups[g].precedence : undefined);
    // Lower wins; unset (undefined) ranks after every number.
    const rank = (g: string) => precedenceOf(g) ?? Infinity;
    const best = Math.min(...withRole.map(rank));
    const top = withRole.filter((g) => rank(g) === best);
    const at = precedenceText(precedenceOf(top[0]));
    if (top.length === 1) return { roleArn: groupRoleArns[top[0]], reason: `group ${top[0]} (${at})`, kind: "group" };
    const roles = new Set(top.map((g) => groupRoleArns[g]));
    if (roles.size === 1) {
        return { roleArn: groupRoleArns[top[0]], reason: `groups ${listOf(top)} (${at}, the same role)`, kind: "group" };
    }
    const tie = precedenceOf(top[0]) === undefined ? "have no precedence and different roles" : `tie at ${at} with different roles`;
    return { roleArn: authenticatedRoleArn, reason: `groups ${listOf(top)} ${tie}`, kind: "authenticated" };
}
