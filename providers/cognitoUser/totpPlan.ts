// The pure TOTP planning of the user provider: which TOTP outputs are carried, what an update
// does about TOTP (enrol, turn off, or nothing), the reason and the line a preview prints for it,
// and the rules of the TOTP inputs. Kept apart from the user diff in ./plan.ts, which asks these
// functions; no I/O, so the loader answers check and diff with them without the AWS SDK.

import { CognitoUserInputs, CognitoUserOutputs, TotpOutputs, isUnknown } from "./shapes";

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

/** Why a new user's check touches TOTP: a create has no diff, so its check says it (only for a create: no old inputs). */
export function createTotpReason(olds: Partial<CognitoUserInputs>, news: CognitoUserInputs): string | undefined {
    return Object.keys(olds ?? {}).length === 0 && news.mfa === "TOTP" ? "enrols TOTP (new secret)" : undefined;
}

/** The line a preview prints for a user whose update touches TOTP (the engine shows no reason of a dynamic resource's diff). */
export function totpNotice(news: CognitoUserInputs, reason: string): string {
    return `cognito-auth: Cognito user "${isUnknown(news.username) ? "<unknown>" : news.username}": ${reason}`;
}

/** The TOTP inputs' rules (the component checks them at preview too; these guard the provider's own inputs). */
export function totpProblems(news: CognitoUserInputs): [string, string][] {
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
