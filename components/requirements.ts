import { hasKey, isMap } from "../lib/maps";
import { defaults, featurePlans, isDeferred } from "./settings";
import type { FeaturePlan, StackSettings } from "./types";

// What a setting needs of the others: the feature plan it is part of, the email sender or passkey
// settings a sign-in factor uses, a precedence for every group with a role. Checked at preview,
// as AWS would refuse them only at `pulumi up`, after other resources were changed. Called by
// ./validation.ts on values its table already accepted: a malformed value is reported there.

/** Reports one problem at a key path; `prefix` is what names keys in messages (`cognito-auth:`). */
export interface Say {
    (path: string, problem: string): void;
}

/** Whether `plan` has every feature of `needed` (plans are ordered: each has all of the one before). */
const reaches = (plan: FeaturePlan, needed: FeaturePlan) => featurePlans.indexOf(plan) >= featurePlans.indexOf(needed);

/** The lowest plan of `needed` or above, as the message says it: "PLUS", or "ESSENTIALS or PLUS". */
const plansFrom = (needed: FeaturePlan) => featurePlans.slice(featurePlans.indexOf(needed)).join(" or ");

/** Problems of a created pool's settings with one another (an existing pool's are refused before). */
export function poolRequirementProblems(args: StackSettings, prefix: string, say: Say): void {
    const plan = featurePlans.includes(args.featurePlan as FeaturePlan) ? (args.featurePlan as FeaturePlan) : defaults.featurePlan;
    const planIs = `${prefix}featurePlan is ${plan}${args.featurePlan === undefined ? " by default" : ""}`;
    const needsPlan = (path: string, what: string, needed: FeaturePlan, otherwise: string) => {
        if (!reaches(plan, needed))
            say(
                path,
                `${what} needs ${prefix}featurePlan ${plansFrom(needed)} (${planIs}); set ${prefix}featurePlan to ${needed}, or ${otherwise}`,
            );
    };
    if (args.threatProtection !== undefined && args.threatProtection !== "OFF") {
        needsPlan("threatProtection", `${args.threatProtection}`, "PLUS", `set ${prefix}threatProtection to OFF`);
    }
    const history =
        isMap(args.passwordPolicy) && hasKey(args.passwordPolicy, "passwordHistorySize") ? args.passwordPolicy.passwordHistorySize : 0;
    if (typeof history === "number" && history > 0) {
        needsPlan(
            "passwordPolicy.passwordHistorySize",
            "password history",
            "ESSENTIALS",
            `set ${prefix}passwordPolicy.passwordHistorySize to 0`,
        );
    }
    const factors = Array.isArray(args.signInFactors) ? args.signInFactors : defaults.signInFactors;
    for (const factor of factors.filter((item) => item !== "PASSWORD")) {
        needsPlan("signInFactors", `the sign-in factor ${factor}`, "ESSENTIALS", `remove ${factor} from ${prefix}signInFactors`);
    }
    if (factors.includes("EMAIL_OTP") && args.emailSender === undefined) {
        say(
            "signInFactors",
            `EMAIL_OTP needs ${prefix}emailSender (an SES identity): Cognito sends one-time codes only through Amazon SES; set ${prefix}emailSender, or remove EMAIL_OTP from ${prefix}signInFactors`,
        );
    }
    if (factors.includes("WEB_AUTHN") && args.webAuthn === undefined) {
        say(
            "signInFactors",
            `WEB_AUTHN needs ${prefix}webAuthn ({ "relyingPartyId": "<your domain>" }); set it, or remove WEB_AUTHN from ${prefix}signInFactors`,
        );
    }
    // AWS: "Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA is
    // enabled", and WEB_AUTHN then only as a passkey that verifies the user as a second factor
    // (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION), which @pulumi/aws cannot set.
    if (args.mfa === "ON") {
        for (const factor of factors.filter((item) => item !== "PASSWORD")) {
            say(
                "signInFactors",
                factor === "WEB_AUTHN"
                    ? `WEB_AUTHN cannot be a first factor while ${prefix}mfa is ON: AWS then takes passkeys only as multi-factor passkeys, which @pulumi/aws cannot configure; set ${prefix}mfa to OPTIONAL, or remove WEB_AUTHN from ${prefix}signInFactors`
                    : `${factor} cannot be a first factor while ${prefix}mfa is ON (AWS allows only PASSWORD and passkeys then); set ${prefix}mfa to OPTIONAL, or remove ${factor} from ${prefix}signInFactors`,
            );
        }
    }
    if (args.webAuthn !== undefined && !factors.includes("WEB_AUTHN")) {
        say("webAuthn", `applies only with WEB_AUTHN in ${prefix}signInFactors; add WEB_AUTHN there, or remove ${prefix}webAuthn`);
    }
}

/**
 * Groups with a role (the one `roleFrom` gives them: this stack's, or one made elsewhere): each needs a precedence, and no two may share one. A user in two groups of the
 * same precedence with different roles gets neither (Cognito sets no preferred role), which is
 * never what a stack means.
 */
export function groupRoleProblems(groups: Record<string, unknown>, roleFrom: "policyArns" | "roleArn", prefix: string, say: Say): void {
    const byPrecedence = new Map<number, { name: string; role: unknown }>();
    for (const [name, spec] of Object.entries(groups)) {
        if (!isMap(spec)) continue;
        const hasRole =
            roleFrom === "policyArns"
                ? Array.isArray(spec.policyArns) && spec.policyArns.length > 0
                : spec.roleArn !== undefined && spec.roleArn !== null;
        if (!hasRole) continue;
        const precedence = spec.precedence;
        if (precedence === undefined) {
            say(
                `groups.${name}`,
                `has a role but no precedence; set ${prefix}groups.${name}.precedence (0 is the highest priority), so a user in several groups gets a known role`,
            );
        } else if (typeof precedence === "number" && !isDeferred(precedence)) {
            const other = byPrecedence.get(precedence);
            // Each group's role made here is its own; two roleArns that are the same text are one role,
            // which Cognito gives a user of either group (CreateGroup: "the same role ARN").
            const sameRole = roleFrom === "roleArn" && typeof spec.roleArn === "string" && spec.roleArn === other?.role;
            if (other !== undefined && !sameRole) {
                say(
                    `groups.${name}.precedence`,
                    `${precedence} is also the precedence of ${prefix}groups.${other.name}, which has another role: a user in both would get neither role; give them different precedences`,
                );
            } else if (other === undefined) byPrecedence.set(precedence, { name, role: spec.roleArn });
        }
    }
}

/**
 * Users the stack enrols in TOTP: it signs each in with its password to do so, so the user must be
 * enabled, the pool's MFA on, and, for an existing pool, an app client named to sign in through.
 */
export function totpProblems(args: StackSettings, existingPool: boolean, prefix: string, say: Say): void {
    const users = isMap(args.users) ? args.users : {};
    const enrolled: string[] = [];
    for (const [username, spec] of Object.entries(users)) {
        if (!isMap(spec)) continue;
        const where = `users.${username}`;
        if (spec.mfa !== "TOTP") {
            if (spec.mfa === undefined && spec.totpGeneration !== undefined)
                say(`${where}.totpGeneration`, `applies only with ${prefix}${where}.mfa set to TOTP`);
            continue;
        }
        enrolled.push(`${prefix}${where}.mfa`);
        if (spec.enabled === false) {
            say(
                `${where}.mfa`,
                `TOTP needs the user enabled (the stack signs the user in to enrol it); set ${prefix}${where}.enabled to true, or remove ${prefix}${where}.mfa`,
            );
        }
        if (!existingPool && args.mfa === "OFF") {
            say(
                `${where}.mfa`,
                `TOTP needs the pool's MFA, and ${prefix}mfa is OFF; set ${prefix}mfa to OPTIONAL or ON, or remove ${prefix}${where}.mfa`,
            );
        }
    }
    if (existingPool && enrolled.length > 0 && args.userPoolClientId === undefined) {
        say(
            "userPoolClientId",
            `needed by ${enrolled.join(", ")}: the stack signs users in through an app client of the pool to enrol them in TOTP; set one that allows USER_PASSWORD_AUTH: pulumi config set userPoolClientId '<client id>'`,
        );
    }
    if (!existingPool && args.userPoolClientId !== undefined) {
        say(
            "userPoolClientId",
            `applies only to an existing pool (${prefix}userPoolId): a pool this stack creates uses its own app client; remove it`,
        );
    }
}
