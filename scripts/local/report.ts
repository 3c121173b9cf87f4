// What `npm run local` prints after the sign-in check: the table, what an app needs, the CLI
// commands for the local stack, and the one-line summary. Passwords are redacted from the table.

import { configPath, shellQuote } from "../../lib/shell";
import { localRegion, PoolAndClient, SignInResult } from "./cognito";
import { cliCommand } from "./failures";
import { Redactor, say, table } from "./output";
import { LocalPaths, stackName } from "./paths";
import { LocalConfig } from "./stack";

export function printSignIns(results: SignInResult[], redactor: Redactor): void {
    process.stdout.write(
        "\n" +
            redactor.redact(
                table(
                    ["user", "sign-in", "status"],
                    results.map((r) => [r.user, r.signIn, r.status]),
                ),
            ),
    );
}

export function printHowToUse(endpoint: string, ids: PoolAndClient, config: LocalConfig, cli: string, paths: LocalPaths): void {
    const newUser = ["alice", "bob", "carol", "dave"].find((name) => !(name in config.users)) ?? "newuser";
    process.stdout.write(
        "\n" +
            [
                "What an app needs (no AWS account; any credentials work against the emulator):",
                `  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=${endpoint}`,
                `  region      ${localRegion}`,
                `  userPoolId  ${ids.userPoolId}`,
                `  clientId    ${ids.clientId}   (no client secret; flows USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH)`,
                "",
                "The Pulumi CLI on the local stack (a password, a new user):",
                `  export PULUMI_BACKEND_URL=${shellQuote(`file://${paths.stateDir}`)} PULUMI_CONFIG_PASSPHRASE_FILE=${shellQuote(paths.passphrase)}`,
                `  ${cliCommand(cli, ["config", "get", "--path", configPath("passwords", Object.keys(config.users)[0] ?? "<user>"), "-s", stackName])}`,
                `  ${cliCommand(cli, ["config", "set", "--path", configPath("users", newUser, "email"), `${newUser}@example.com`, "-s", stackName])}   # then npm run local again`,
                "",
            ].join("\n"),
    );
}

/** "n of m user(s) signed in, k failed, j not tried (t s)". */
export function printSummary(results: SignInResult[], started: number): void {
    const failed = results.filter((r) => !r.ok).length;
    const signedIn = results.filter((r) => r.ok && !r.skipped).length;
    say(
        `${signedIn} of ${results.length} user(s) signed in${failed ? `, ${failed} failed` : ""}${results.length - signedIn - failed ? `, ${results.length - signedIn - failed} not tried` : ""} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
}
