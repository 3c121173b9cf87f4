// The real Pulumi engine on the passwords map: every password must be stored as a secret, leaf by
// leaf (the engine tells the program only whether the whole key holds a secret, so the program
// also reads the stack file); an empty map (the last user removed) is fine; and a preview names a
// password change (`[diff: ~passwordRevision]`) without anything derived from the password.
// Existing-pool mode against cognito-local, as test/engine.test.ts. Skipped when no CLI is found.

import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { createPoolWithClient, listUsers, signIn } from "../harness/cognitoLocal";
import { EngineProject, existingPoolSuite } from "../harness/engine";
import { expectNoLeak } from "../harness/leaks";
import { userType } from "../harness/users";

const projectRoot = path.resolve(__dirname, "..");

/** Every password this file uses; any text is checked for all of them. */
const passwords: string[] = [];
function newPassword(tag: string): string {
    const password = `Pw${tag}-${crypto.randomBytes(5).toString("hex")}#Q7`;
    passwords.push(password);
    return password;
}
const expectNoPassword = (text: string, what: string) => expectNoLeak(text, passwords, what);

/** The line the CLI prints for a user's step in a preview without --diff. */
function userLine(output: string, username: string): string | undefined {
    return output.split("\n").find((line) => line.includes(`${userType} cognito-auth-user-${username} `));
}

describe("the real Pulumi engine: passwords stored as secrets, leaf by leaf, and previews that name a password change", function () {
    this.timeout(600_000);
    const suite = existingPoolSuite("pw");
    const newStack = () => suite.newStack();
    const stackFile = (project: EngineProject) => path.join(project.dir, `Pulumi.${project.stack}.yaml`);
    async function addUser(project: EngineProject, username: string, password: string, how: "--secret" | "--plaintext" = "--secret") {
        await project.ok(["config", "set", "--path", `users["${username}"].email`, `${username.replace(/\W/g, "")}@example.com`]);
        await project.ok(["config", "set", how, "--path", `passwords["${username}"]`, password]);
    }
    async function userStates(project: EngineProject): Promise<any[]> {
        const exported = JSON.parse((await project.ok(["stack", "export"])).stdout);
        return (exported.deployment.resources ?? []).filter((r: any) => r.type === userType);
    }
    const poolUsers = async (userPoolId: string) => (await listUsers(suite.local, userPoolId)).map((u) => u.Username).sort();

    /**
     * The preview fails naming exactly `plain` as stored in plain text, never a password; `up`
     * fails the same way and creates nothing. Returns the suggested fix for each user.
     */
    async function expectPlainRefused(project: EngineProject, userPoolId: string, plain: string[], secret: string[]) {
        const preview = await project.run(["preview"]);
        expect(preview.code, preview.output).to.not.equal(0);
        expectNoPassword(preview.output, "failed preview");
        const fixes = new Map<string, string>();
        for (const name of plain) {
            const segment = /^\w+$/.test(name) ? `.${name}` : `["${name}"]`;
            const line = preview.output.split("\n").find((l) => l.includes(`cognito-auth:passwords${segment}: is stored in plain text`));
            expect(line, `a line for ${name}:\n${preview.output}`).to.not.equal(undefined);
            fixes.set(name, line!.slice(line!.indexOf("pulumi config set")).trim());
        }
        for (const name of secret)
            expect(preview.output, `${name} is stored as a secret`).to.not.match(new RegExp(`${name}\\W+: is stored in plain`));
        expect(preview.output.match(/is stored in plain text/g) ?? [], "one line per plain password").to.have.length(plain.length);
        const up = await project.run(["up", "--yes"]);
        expect(up.code).to.not.equal(0);
        expectNoPassword(up.output, "failed up");
        expect(await poolUsers(userPoolId), "nothing created").to.deep.equal([]);
        return fixes;
    }
    /** Runs a suggested command in bash, the placeholder replaced inside its quotes by the password. */
    function paste(project: EngineProject, command: string, password: string) {
        expect(command).to.include("'<password>'");
        const run = spawnSync("bash", ["-c", command.replace("<password>", password)], {
            cwd: project.dir,
            env: project.env,
            encoding: "utf8",
        });
        expect(run.status, run.stderr).to.equal(0);
    }

    it("`--plaintext --path` beside a secret (alice secret, bob plain): the preview names bob, not alice; the suggested command makes it a secret", async () => {
        const { project, userPoolId } = await newStack();
        const alice = newPassword("Alice"),
            bob = newPassword("Bob");
        await addUser(project, "alice", alice);
        await addUser(project, "bob", bob, "--plaintext");
        expect(fs.readFileSync(stackFile(project), "utf8"), "bob's password is plain in the stack file").to.include(`bob: ${bob}`);

        const fixes = await expectPlainRefused(project, userPoolId, ["bob"], ["alice"]);
        expect(fixes.get("bob")).to.equal(`pulumi config set --secret --path 'passwords.bob' -- '<password>'`);
        paste(project, fixes.get("bob")!, bob);
        expect(fs.readFileSync(stackFile(project), "utf8")).to.not.include(bob);
        await project.ok(["up", "--yes"]);
        expect(await poolUsers(userPoolId)).to.deep.equal(["alice", "bob"]);
    });

    it("a hand-edited stack file (john.doe's secure value replaced by plain text): the preview names john.doe with a --path that addresses the key", async () => {
        const { project, userPoolId, clientId } = await newStack();
        const alice = newPassword("Alice"),
            john = newPassword("John");
        await addUser(project, "alice", alice);
        await addUser(project, "john.doe", newPassword("Old"));
        const text = fs.readFileSync(stackFile(project), "utf8");
        const edited = text.replace(/( {4}john\.doe:)\n {6}secure: \S+/, `$1 ${john}`);
        expect(edited, "the edit applied").to.not.equal(text);
        fs.writeFileSync(stackFile(project), edited);

        const fixes = await expectPlainRefused(project, userPoolId, ["john.doe"], ["alice"]);
        expect(fixes.get("john.doe")).to.equal(`pulumi config set --secret --path 'passwords["john.doe"]' -- '<password>'`);
        paste(project, fixes.get("john.doe")!, john);
        await project.ok(["up", "--yes"]);
        expect(
            await signIn(suite.local, clientId, "john.doe", john),
            "john.doe signs in with the password now stored as a secret",
        ).to.equal(true);
    });

    it("a fully plain map (every password --plaintext): the preview names each user", async () => {
        const { project, userPoolId } = await newStack();
        await addUser(project, "alice", newPassword("Alice"), "--plaintext");
        await addUser(project, "bob", newPassword("Bob"), "--plaintext");
        await expectPlainRefused(project, userPoolId, ["alice", "bob"], []);
    });

    it("removing the last user with the README's commands (`passwords: {}` left in plain text): preview and up pass, the user is deleted", async () => {
        const { project, userPoolId } = await newStack();
        await addUser(project, "alice", newPassword("Alice"));
        await project.ok(["up", "--yes"]);
        expect(await poolUsers(userPoolId)).to.deep.equal(["alice"]);

        await project.ok(["config", "rm", "--path", "users.alice"]);
        await project.ok(["config", "rm", "--path", "passwords.alice"]);
        const file = fs.readFileSync(stackFile(project), "utf8");
        expect(file, "the CLI leaves an empty, plain map").to.match(/cognito-auth:passwords: \{\}/);

        const preview = await project.ok(["preview"]);
        expect(userLine(preview.stdout, "alice")).to.match(
            /^ - +pulumi-nodejs:dynamic\/cognito-auth:CognitoUser cognito-auth-user-alice delete\s*$/,
        );
        await project.ok(["up", "--yes"]);
        expect(await poolUsers(userPoolId), "alice deleted").to.deep.equal([]);
        expect(await userStates(project)).to.deep.equal([]);
        await project.ok(["preview", "--expect-no-changes"]);
    });

    it("a preview (without --diff) names what changes: [diff: ~passwordRevision] for a new password, ~attributes, ~enabled, and a new pool's replace; state holds a counter, nothing derived from the password", async () => {
        const { project, userPoolId, clientId } = await newStack();
        const other = await createPoolWithClient(suite.local, `pw-other-${crypto.randomBytes(3).toString("hex")}`);
        // Passwords of different lengths: the counter must be the same for both.
        await addUser(project, "alice", newPassword("Alice"));
        await addUser(project, "bob", newPassword("Bob-with-a-much-longer-password"));
        await project.ok(["up", "--yes"]);
        const revisions = async () =>
            Object.fromEntries((await userStates(project)).map((r) => [r.inputs.username, r.inputs.passwordRevision]));
        expect(await revisions()).to.deep.equal({ alice: 1, bob: 1 });

        const prefix = " ~  pulumi-nodejs:dynamic/cognito-auth:CognitoUser cognito-auth-user-alice update";
        const preview = async (what: string) => {
            const result = await project.ok(["preview"]);
            expectNoPassword(result.output, `preview (${what})`);
            expect(userLine(result.stdout, "bob"), `bob unchanged (${what})`).to.equal(undefined);
            return userLine(result.stdout, "alice")?.trimEnd();
        };

        const rotated = newPassword("Rotated");
        await project.ok(["config", "set", "--secret", "--path", "passwords.alice", rotated]);
        expect(await preview("password")).to.equal(`${prefix} [diff: ~passwordRevision]`);
        const withDiff = await project.ok(["preview", "--diff"]);
        expectNoPassword(withDiff.output, "preview --diff (password)");
        expect(withDiff.stdout)
            .to.match(/~ passwordRevision: 1 => 2\n/)
            .and.match(/\n {8}password {8}: \[secret\]\n/);
        await project.ok(["up", "--yes"]);
        expect(await revisions()).to.deep.equal({ alice: 2, bob: 1 });
        expect(await signIn(suite.local, clientId, "alice", rotated)).to.equal(true);
        // The same password set again is no change.
        await project.ok(["config", "set", "--secret", "--path", "passwords.alice", rotated]);
        await project.ok(["preview", "--expect-no-changes"]);

        await project.ok(["config", "set", "--path", "users.alice.attributes.name", "Alice A"]);
        expect(await preview("attributes")).to.equal(`${prefix} [diff: ~attributes]`);
        await project.ok(["up", "--yes"]);

        await project.ok(["config", "set", "--path", "users.alice.enabled", "false"]);
        expect(await preview("enabled")).to.equal(`${prefix} [diff: ~enabled]`);
        await project.ok(["config", "set", "--secret", "--path", "passwords.alice", newPassword("Third")]);
        expect(await preview("enabled and password")).to.equal(`${prefix} [diff: ~enabled,passwordRevision]`);
        await project.ok(["up", "--yes"]);
        expect(await revisions()).to.deep.equal({ alice: 3, bob: 1 });

        // A new pool replaces every user; the new users' counters start again at 1.
        await project.ok(["config", "set", "userPoolId", other.userPoolId]);
        const replace = await project.ok(["preview"]);
        expect(userLine(replace.stdout, "alice")?.trimEnd()).to.equal(
            " ++ pulumi-nodejs:dynamic/cognito-auth:CognitoUser cognito-auth-user-alice create replacement [diff: ~passwordRevision,userPoolId]",
        );
        expect(userLine(replace.stdout, "bob")?.trimEnd()).to.equal(
            " ++ pulumi-nodejs:dynamic/cognito-auth:CognitoUser cognito-auth-user-bob create replacement [diff: ~userPoolId]",
        );
        expect(replace.stdout).to.include(
            " +- pulumi-nodejs:dynamic/cognito-auth:CognitoUser cognito-auth-user-alice replace [diff: ~passwordRevision,userPoolId]",
        );

        // What the state holds besides the (encrypted) password: no property derived from it.
        const [state] = await userStates(project);
        expect(state.inputs.password).to.have.property("ciphertext");
        expect(state.outputs.password).to.have.property("ciphertext");
        const plainKeys = (o: Record<string, unknown>) =>
            Object.keys(o)
                .filter((k) => k !== "password")
                .sort();
        expect(plainKeys(state.inputs)).to.deep.equal([
            "__provider",
            "adoptExisting",
            "attributes",
            "enabled",
            "groups",
            "passwordPolicy",
            "passwordRevision",
            "userPoolId",
            "username",
        ]);
        expect(plainKeys(state.outputs), "outputs keep no counter either").to.not.include("passwordRevision");
        expect(await poolUsers(userPoolId)).to.deep.equal(["alice", "bob"]);
    });

    it("a stack made by the code before passwordRevision: the first preview after the upgrade shows no change; a rotation then shows the counter", async function () {
        const introduced = spawnSync(
            "git",
            ["log", "--reverse", "--format=%H", "-S", "passwordRevision", "--", "providers/cognitoUser/provider.ts"],
            {
                cwd: projectRoot,
                encoding: "utf8",
            },
        );
        const commit = introduced.status === 0 ? introduced.stdout.split("\n")[0] : "";
        if (!commit) {
            console.log("      skipped: no git history with the commit that added passwordRevision");
            this.skip();
        }
        const { project, userPoolId, clientId } = await newStack();
        useCode(project, `${commit}^`);
        const alice = newPassword("Alice");
        await addUser(project, "alice", alice);
        await addUser(project, "bob", newPassword("Bob"));
        await project.ok(["up", "--yes"]);
        for (const state of await userStates(project))
            expect(state.inputs, "the old code stores no counter").to.not.have.property("passwordRevision");

        useCode(project, undefined);
        const preview = await project.ok(["preview", "--expect-no-changes"]);
        expect(userLine(preview.stdout, "alice")).to.equal(undefined);
        await project.ok(["up", "--yes", "--expect-no-changes"]);

        const rotated = newPassword("Rotated");
        await project.ok(["config", "set", "--secret", "--path", "passwords.alice", rotated]);
        const rotation = await project.ok(["preview"]);
        expect(userLine(rotation.stdout, "alice")?.trimEnd()).to.equal(
            " ~  pulumi-nodejs:dynamic/cognito-auth:CognitoUser cognito-auth-user-alice update [diff: +passwordRevision]",
        );
        await project.ok(["up", "--yes"]);
        expect(await signIn(suite.local, clientId, "alice", rotated)).to.equal(true);
        expect(await poolUsers(userPoolId)).to.deep.equal(["alice", "bob"]);
        const states = Object.fromEntries((await userStates(project)).map((r) => [r.inputs.username, r.inputs.passwordRevision]));
        expect(states).to.deep.equal({ alice: 2, bob: undefined });
    });
});

/**
 * Puts the program and provider of `commit` (undefined: this work tree) into the project. The
 * provider loader resolves the provider from the folder that holds its node_modules copy, so an
 * old commit gets a node_modules of its own: links to this project's packages, and a real copy of
 * that commit's loader.
 */
function useCode(project: EngineProject, commit: string | undefined) {
    const files = ["Pulumi.yaml", "package.json", "index.ts", "lib", "components", "providers"];
    for (const name of files) fs.rmSync(path.join(project.dir, name), { recursive: true, force: true });
    const modules = path.join(project.dir, "node_modules");
    fs.rmSync(modules, { recursive: true, force: true });
    if (commit === undefined) {
        for (const name of files) fs.cpSync(path.join(projectRoot, name), path.join(project.dir, name), { recursive: true });
        fs.symlinkSync(path.join(projectRoot, "node_modules"), modules, "dir");
        return;
    }
    const archive = execFileSync("git", ["archive", commit, ...files], { cwd: projectRoot });
    execFileSync("tar", ["-x", "-C", project.dir], { input: archive });
    fs.mkdirSync(modules);
    for (const name of fs.readdirSync(path.join(projectRoot, "node_modules"))) {
        if (name !== "@cognito-auth") fs.symlinkSync(path.join(projectRoot, "node_modules", name), path.join(modules, name));
    }
    fs.mkdirSync(path.join(modules, "@cognito-auth"));
    fs.cpSync(path.join(project.dir, "providers", "cognitoUser", "loader"), path.join(modules, "@cognito-auth", "user-provider-loader"), {
        recursive: true,
    });
}
