// The commands the program and the provider suggest, pasted into bash as a user would: the real
// CLI (harness/engine.ts) in existing-pool mode against cognito-local, usernames that break
// naive quoting or `--path` syntax. A suggested command must do what it says (the next preview
// passes, the user signs in with the password it set) and nothing else (no `$(...)` or backtick
// in a name or password ever runs). Skipped, with one line saying why, when no CLI is found.

import { expect } from "chai";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AdminCreateUserCommand, AdminDeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { configPath, singleQuote } from "../lib/shell";
import { listUsers, signIn } from "../harness/cognitoLocal";
import { EngineProject, existingPoolSuite } from "../harness/engine";
import { expectNoLeak } from "../harness/leaks";

/** Files a name or password would create if the shell ran what it holds. */
const markers = ["pwned-user", "pwned-tick", "pwned-password"];

/** Usernames Cognito accepts that a shell or Pulumi's path parser would misread. */
const usernames = [
    "john.doe",
    "o'brien$(id)",
    "x$(touch${IFS}pwned-user)",
    "y`touch${IFS}pwned-tick`",
    "jöhn",
    'say"hi"',
    "back\\slash",
    "$HOME",
];
/** Not a valid Cognito username (no spaces): the preview refuses it, but its command must still address it. */
const spaced = "a b";

const passwords: string[] = [];
/** A password with quotes, `$(...)` and a leading `-` (taken as a flag without the suggested `--`). */
function newPassword(): string {
    const password = `-Pw'"$(touch pwned-password)\`id\`${crypto.randomBytes(4).toString("hex")}Q7`;
    passwords.push(password);
    return password;
}

/** Runs a pasted command line with bash in the project, with the engine's environment; never throws. */
function bash(project: EngineProject, line: string): { code: number; output: string } {
    try {
        const output = execFileSync("bash", ["-c", line], { cwd: project.dir, env: project.env, encoding: "utf8", stdio: "pipe" });
        return { code: 0, output };
    } catch (err) {
        const e = err as { status?: number; stdout?: string; stderr?: string };
        return { code: e.status ?? -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

/** The command after "<prefix>" on the line that holds it (messages end a suggested command with the line). */
function commandAfter(output: string, prefix: string): string {
    const line = output.split("\n").find((l) => l.includes(prefix));
    expect(line, `a line with ${JSON.stringify(prefix)} in:\n${output.slice(-4000)}`).to.not.equal(undefined);
    return line!.slice(line!.indexOf(prefix) + prefix.length).trimEnd();
}

/** The placeholder replaced by a password, still single-quoted as a whole word. */
function withPassword(command: string, password: string): string {
    expect(command.endsWith(" '<password>'"), command).to.equal(true);
    return `${command.slice(0, -"'<password>'".length)}${singleQuote(password)}`;
}

describe("the real Pulumi engine: suggested commands pasted into bash", function () {
    this.timeout(900_000);
    const suite = existingPoolSuite("commands");
    let project: EngineProject | undefined;

    function expectNothingRan(output: string, where: string) {
        expect(output, `${where}: $(id) or \`id\` ran`).to.not.match(/uid=\d+/);
        for (const marker of markers) expect(fs.existsSync(path.join(project!.dir, marker)), `${where}: ${marker} exists`).to.equal(false);
    }

    it("'has no password' commands set the right key for each name, the preview then passes and each user signs in; 'already exists' quotes the username", async () => {
        const stack = await suite.newStack();
        const pool = { userPoolId: stack.userPoolId, clientId: stack.clientId };
        project = stack.project;
        for (const [i, name] of [...usernames, spaced].entries()) {
            await project.ok(["config", "set", "--path", configPath("users", name, "email"), `user${i}@example.com`]);
        }

        // Every user lacks a password: the preview names each one with the command that sets it.
        const first = await project.run(["preview"]);
        expect(first.code, first.output).to.not.equal(0);
        const chosen = new Map<string, string>();
        for (const name of [...usernames, spaced]) {
            const command = commandAfter(first.output, `cognito-auth:users.${name}: has no password; set one with: `);
            const password = newPassword();
            chosen.set(name, password);
            const pasted = bash(project, withPassword(command, password));
            expect(pasted.code, `${name}: ${pasted.output}`).to.equal(0);
            expectNothingRan(pasted.output, `the command for ${name}`);
            expectNoLeak(pasted.output, passwords, `the command's output for ${name}`);
        }
        // Each password sits under its user's own key, as one value (not split at a dot).
        const config = JSON.parse((await project.ok(["config", "--json", "--show-secrets"])).stdout);
        const stored = JSON.parse(config["cognito-auth:passwords"].value);
        expect(Object.keys(stored).sort()).to.deep.equal([...usernames, spaced].sort());
        for (const [name, password] of chosen) expect(stored[name] === password, `${name}'s stored password`).to.equal(true);
        expect(config["cognito-auth:passwords"].secret).to.equal(true);

        // The spaced name is refused for its own rule only; its removal commands, pasted, drop it.
        const second = await project.run(["preview"]);
        expect(second.code).to.not.equal(0);
        expect(second.output).to.not.include("has no password");
        expect(second.output).to.include(`cognito-auth:users.${spaced}: username may contain only letters`);
        for (const key of ["users", "passwords"]) {
            const removed = bash(project, `pulumi config rm --path ${singleQuote(configPath(key, spaced))}`);
            expect(removed.code, removed.output).to.equal(0);
        }
        const preview = await project.run(["preview"]);
        expect(preview.code, preview.output).to.equal(0);
        expectNoLeak(preview.output, passwords, "pulumi preview");

        // The user the suggested command set a password for signs in with exactly that password.
        const taken = "o'brien$(id)";
        await suite.local.client.send(
            new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: taken, MessageAction: "SUPPRESS" }),
        );
        // One step at a time: cognito-local can lose one of two writes that reach its data file at once
        // (harness/emulator.ts), which here once undid a user's password. The taken name fails;
        // the engine goes on with the other users.
        const up = await project.run(["up", "--yes", "--parallel", "1", "--continue-on-error"]);
        expectNoLeak(up.output, passwords, "pulumi up");
        expect(up.code, "the taken name fails the up").to.not.equal(0);
        for (const name of usernames.filter((n) => n !== taken)) {
            expect(await signIn(suite.local, pool.clientId, name, chosen.get(name)!), `${name} signs in`).to.equal(true);
        }

        // "already exists": its aws command, its words read back by bash (no aws CLI here), names the user exactly.
        expect(up.output).to.include(`Cognito user "${taken}" already exists`);
        const deleteCommand = commandAfter(up.output, "    aws cognito-idp admin-delete-user ");
        const words = bash(project, `printf '%s\\0' ${deleteCommand}`);
        expect(words.code, words.output).to.equal(0);
        expect(words.output.split("\0").slice(0, -1)).to.deep.equal(["--user-pool-id", pool.userPoolId, "--username", taken]);
        expectNothingRan(words.output, "the aws command's arguments");
        // Doing what it says (through the SDK) clears the way: the next up creates the user.
        await suite.local.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: taken }));
        const again = await project.run(["up", "--yes", "--parallel", "1"]);
        expect(again.code, again.output.slice(-4000)).to.equal(0);
        expect(await signIn(suite.local, pool.clientId, taken, chosen.get(taken)!), `${taken} signs in`).to.equal(true);
        expect((await listUsers(suite.local, pool.userPoolId)).map((u) => u.Username).sort()).to.deep.equal([...usernames].sort());
        expectNothingRan(again.output, "pulumi up");
    });
});
