// TOTP in `npm run local`: which users of the local stack have `mfa: TOTP`, their secrets from the
// stack output `totpSecrets` (kept in memory, for the sign-in check and redaction), the line printed
// after up for each of them, and `--totp <user>`, the one command that prints a secret (as a QR
// code and an otpauth:// URI for an authenticator app).

import * as fs from "fs";
import * as QRCode from "qrcode";
import { commandLine, configPath } from "../../lib/shell";
import { otpauthUri } from "../../lib/totp";
import { SignInResult } from "./cognito";
import { stackCommand } from "./failures";
import { say } from "./output";
import { LocalPaths, poolName, stackName } from "./paths";
import { LocalConfig, PulumiRunner } from "./stack";

/** The command that shows a user's QR code and URI. */
export function totpCommand(user: string): string {
    return commandLine(["npm", "run", "local", "--", "--totp", user]);
}

/** Users of the local stack's config with `mfa: TOTP`. */
export function totpUsers(users: LocalConfig["users"]): string[] {
    return Object.entries(users)
        .filter(([, spec]) => spec?.mfa === "TOTP")
        .map(([name]) => name);
}

/**
 * The stack output `totpSecrets` (username -> secret), decrypted; {} when the stack has none.
 * The whole outputs are read so that a stack without that output is not an error.
 */
export async function readTotpSecrets(pulumi: PulumiRunner): Promise<Record<string, string>> {
    const result = await pulumi.ok(["stack", "output", "--json", "--show-secrets", "-s", stackName]);
    const outputs = JSON.parse(result.stdout || "{}") as Record<string, unknown>;
    const secrets = outputs.totpSecrets;
    if (typeof secrets !== "object" || secrets === null) return {};
    return Object.fromEntries(Object.entries(secrets).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** After the sign-in table: one line per user with mfa TOTP, enrolled or why not. Never a secret. */
export function printTotpLines(results: SignInResult[]): void {
    for (const r of results) {
        if (!r.totp) continue;
        say(
            r.totp.enrolled
                ? `${r.user}: TOTP enrolled (signed in with a code from its secret); add it to an authenticator app with: ${totpCommand(r.user)}`
                : `${r.user}: TOTP sign-in failed: ${r.totp.why} (pulumi up's output above says what it did)`,
        );
    }
}

/** What `--totp <user>` needs, faked in tests. */
export interface TotpSources {
    /** The local stack's users (from its config). */
    users(): Promise<LocalConfig["users"]>;
    /** The stack output totpSecrets. */
    secrets(): Promise<Record<string, string>>;
    /** Where the QR code, the URI and the notes go (stdout). */
    write(text: string): void;
    /** Where a refusal goes (stderr). */
    warn(line: string): void;
    /** A pasteable Pulumi CLI command on the local stack. */
    command(args: string[]): string;
}

/**
 * `npm run local -- --totp <user>`: the QR code and the otpauth:// URI (issuer: the local pool's
 * name; account: the username). Exit 0; 2 when the user is unknown, has no TOTP or is not enrolled
 * yet, with the command that fixes it.
 */
export async function showTotp(user: string, sources: TotpSources): Promise<number> {
    const users = await sources.users();
    const setTotp = sources.command(["config", "set", "--path", configPath("users", user, "mfa"), "TOTP", "-s", stackName]);
    if (!Object.prototype.hasOwnProperty.call(users, user)) {
        const known = Object.keys(users);
        sources.warn(
            `error: ${JSON.stringify(user)} is not a user of the local stack (${known.length ? `its users: ${known.join(", ")}` : "it has no users"}). ` +
                `To add it with TOTP: ${sources.command(["config", "set", "--path", configPath("users", user, "email"), `${user}@example.com`, "-s", stackName])} && ${setTotp}; then npm run local`,
        );
        return 2;
    }
    if (users[user]?.mfa !== "TOTP") {
        sources.warn(`error: ${user} has no TOTP in the local stack (no mfa: TOTP). Turn it on with: ${setTotp}; then npm run local`);
        return 2;
    }
    const secret = (await sources.secrets())[user];
    if (secret === undefined) {
        sources.warn(
            `error: ${user} has mfa: TOTP in the local stack but is not enrolled yet (no secret for it in the stack output totpSecrets). ` +
                `Run npm run local (its pulumi up enrols it), then ${totpCommand(user)} again`,
        );
        return 2;
    }
    sources.write(await renderTotp(user, secret));
    return 0;
}

/** The QR code and the URI, with what they are. Holds the secret: printed only by --totp. */
export async function renderTotp(user: string, secret: string): Promise<string> {
    const uri = otpauthUri(secret, poolName, user);
    const qr = await QRCode.toString(uri, { type: "terminal", small: true });
    return (
        `local: TOTP of ${user} in the local pool ${poolName}: scan the QR code with an authenticator app, or add the URI below\n` +
        `${qr.endsWith("\n") ? qr : `${qr}\n`}` +
        `${uri}\n` +
        `local: this shows ${user}'s TOTP secret (the URI's secret=); keep it like a password. It is the local stack's output totpSecrets\n`
    );
}

/** `--totp`'s sources on the real local stack. */
export function stackTotpSources(pulumi: PulumiRunner, cli: string, paths: LocalPaths, read: () => Promise<LocalConfig>): TotpSources {
    return {
        users: async () => (await read()).users,
        secrets: () => readTotpSecrets(pulumi),
        write: (text) => process.stdout.write(text),
        warn: (line) => process.stderr.write(`local: ${line}\n`),
        command: (args) => stackCommand(cli, paths, args),
    };
}

/** Whether there is a local stack to read: its passphrase and its config file. */
export function localStackExists(paths: LocalPaths): boolean {
    return fs.existsSync(paths.passphrase) && fs.existsSync(paths.stackConfig);
}
