import { redact } from "../../lib/redact";
import { VerifyInputs, secretsOf } from "./inputs";
import { Outcome, passed } from "./outcome";

// Rendering: outcomes -> the table and one "user: step failed: reason (AWS error)" line per
// failure, the progress line, and the redaction every printed report goes through.

const columns = ["user", "sign-in", "identity", "credentials", "expiry"];

const signInText = { ok: "OK", "refused-as-expected": "refused (disabled in config, as expected)", "not-applicable": "n/a (guest)" };

/** "authenticated role", or with group roles "role admins-role: group admins (precedence 1)". */
function credentialsText(c: NonNullable<Outcome["credentials"]>): string {
    if (!c.roleName) return `${c.role} role`;
    return `${c.role === "group" ? "role" : `${c.role} role`} ${c.roleName}: ${c.reason}`;
}

/** The table's cells for one outcome. */
export function row(o: Outcome): string[] {
    const failedAt = o.failure?.step;
    return [
        o.user ?? "(guest)",
        o.signIn ? `${signInText[o.signIn]}${o.mfa ? ` (${o.mfa})` : ""}` : failedAt === "sign-in" ? "FAILED" : "-",
        o.identityId ?? (failedAt === "identity" ? "FAILED" : "-"),
        o.credentials ? `OK (${credentialsText(o.credentials)})` : failedAt === "credentials" ? "FAILED" : "-",
        o.credentials?.expiration ? o.credentials.expiration.toISOString() : "-",
    ];
}

/** "user: step failed: reason (Name: message)", or undefined when the check passed. */
export function failureLine(o: Outcome): string | undefined {
    if (!o.failure) return undefined;
    const { step, reason, error } = o.failure;
    return `${o.user ?? "(guest)"}: ${step} failed: ${reason}${error ? ` (${error.name}: ${error.message})` : ""}`;
}

/** The result table plus one failure line per failed check. */
export function formatTable(outcomes: Outcome[]): string {
    const rows = outcomes.map(row);
    const widths = columns.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((cell, i) => cell.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    const lines = [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
    const failures = outcomes.map(failureLine).filter((l): l is string => l !== undefined);
    if (failures.length > 0) lines.push("", ...failures);
    return lines.join("\n");
}

/** "admins arn:...:role/admins-role (precedence 1); readers arn:...:role/readers-role (no precedence)". */
function groupRolesText(inputs: VerifyInputs): string {
    return Object.entries(inputs.groupRoleArns ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([group, arn]) => {
            const p = inputs.groups && Object.hasOwn(inputs.groups, group) ? inputs.groups[group].precedence : undefined;
            return `${group} ${arn} (${p === undefined ? "no precedence" : `precedence ${p}`})`;
        })
        .join("; ");
}

/** The whole report printed on stdout: the stack, then the table. Secrets redacted. */
export function formatReport(inputs: VerifyInputs, outcomes: Outcome[]): string {
    return redact(
        [
            `Stack: user pool ${inputs.userPoolId}, app client ${inputs.clientId}${inputs.clientSecret ? " (with secret)" : ""}, identity pool ${inputs.identityPoolId}, region ${inputs.region}`,
            `Roles: authenticated ${inputs.authenticatedRoleArn}; unauthenticated ${inputs.unauthenticatedRoleArn ?? "(guests not allowed)"}`,
            ...(inputs.groupRoleArns ? [`Group roles: ${groupRolesText(inputs)}`] : []),
            "",
            outcomes.length > 0
                ? formatTable(outcomes)
                : "No users in config (cognito-auth:users) and guests not allowed: nothing to verify.",
        ].join("\n"),
        secretsOf(inputs),
    );
}

/** The closing line: "verify: all N checks passed" or "verify: F of N checks failed". */
export function summary(outcomes: Outcome[]): { failed: number; line?: string } {
    const failed = outcomes.filter((o) => !passed(o)).length;
    if (failed > 0) return { failed, line: `verify: ${failed} of ${outcomes.length} checks failed` };
    return { failed, line: outcomes.length > 0 ? `verify: all ${outcomes.length} checks passed` : undefined };
}

/** Users between progress lines when stderr is not a terminal (CI logs). */
export const progressEvery = 10;

/**
 * The progress line after `done` of `total` users were checked, or undefined when none is due:
 * after every user on a terminal, every `progressEvery` users otherwise (so a run of a few users
 * in CI prints none). Counts only: no username, password or result.
 */
export function progressLine(done: number, total: number, isTTY: boolean): string | undefined {
    return isTTY || done % progressEvery === 0 ? `verify: ${done} of ${total} users checked` : undefined;
}
