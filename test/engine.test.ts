// The real Pulumi engine (`pulumi` CLI, Node.js language host, dynamic-provider host) running
// the real program in existing-pool mode against cognito-local, with the README's own commands.
// Existing-pool mode without groups declares no @pulumi/aws resource, so no AWS provider plugin
// is needed (it cannot be built here). Skipped, with one line saying why, when no CLI is found.

import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AdminDeleteUserCommand, AdminGetUserCommand, AdminGetUserCommandOutput } from "@aws-sdk/client-cognito-identity-provider";
import { listUsers as listAllUsers, signIn as signInAs } from "../harness/cognitoLocal";
import { EngineProject, existingPoolSuite, killProcessesIn } from "../harness/engine";
import { startFaultProxy } from "../harness/faultProxy";
import { expectNoLeak } from "../harness/leaks";
import { userType } from "../harness/users";

/** Every password this file uses; any text is checked for all of them. */
const passwords: string[] = [];
function newPassword(tag: string): string {
    const password = `En${tag}-${crypto.randomBytes(5).toString("hex")}#Q7`;
    passwords.push(password);
    return password;
}
function expectNoPassword(text: string, what: string): void {
    expectNoLeak(text, passwords, what);
}

describe("the real Pulumi engine: existing-pool mode against cognito-local", function () {
    this.timeout(600_000);
    const suite = existingPoolSuite("engine");
    const newStack = suite.newStack;

    /** The README's commands for one user: email in plain config, password as a secret. */
    async function addUser(project: EngineProject, username: string, email: string, password: string) {
        await project.ok(["config", "set", "--path", `users.${username}.email`, email]);
        await project.ok(["config", "set", "--secret", "--path", `passwords.${username}`, password]);
    }

    function getUser(userPoolId: string, username: string): Promise<AdminGetUserCommandOutput> {
        return suite.local.client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    }
    const listUsers = (userPoolId: string) => listAllUsers(suite.local, userPoolId);
    const signIn = (clientId: string, username: string, password: string) => signInAs(suite.local, clientId, username, password);
    function attributesOf(user: AdminGetUserCommandOutput): Record<string, string> {
        return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
    }
    /** Everything the stack stores, as the CLI exports it and as the backend keeps it on disk. */
    async function storedText(project: EngineProject): Promise<string> {
        const exported = await project.ok(["stack", "export", "--show-secrets=false"]);
        return (
            exported.stdout +
            project
                .stateFiles()
                .map((file) => fs.readFileSync(file, "utf8"))
                .join("\n")
        );
    }
    async function userStates(project: EngineProject): Promise<any[]> {
        const exported = JSON.parse((await project.ok(["stack", "export"])).stdout);
        return (exported.deployment.resources ?? []).filter((r: any) => r.type === userType);
    }

    it("README commands: preview shows the creates without a password; up makes CONFIRMED users who sign in; rotation, attributes, enabled, out-of-band delete, export and destroy", async () => {
        const { project, userPoolId, clientId } = await newStack();
        const alice = newPassword("Alice"),
            bob = newPassword("Bob");
        await addUser(project, "alice", "alice@example.com", alice);
        await addUser(project, "bob", "bob@example.com", bob);

        // Preview in a pull request: both users to create, no password anywhere in the output.
        const preview = await project.ok(["preview", "--diff"]);
        expectNoPassword(preview.output, "pulumi preview --diff");
        for (const name of ["alice", "bob"]) {
            expect(preview.stdout).to.match(
                new RegExp(
                    `\\+ pulumi-nodejs:dynamic/cognito-auth:CognitoUser: \\(create\\)\\s+\\[urn=[^\\]]*::cognito-auth-user-${name}\\]`,
                ),
            );
        }
        expect(preview.stdout).to.include("[secret]");
        expect(preview.stdout).to.match(/\+ 4 to create/); // the stack, the component and two users
        expect(await listUsers(userPoolId), "a preview writes nothing").to.deep.equal([]);

        const up = await project.ok(["up", "--yes"]);
        expectNoPassword(up.output, "pulumi up");
        for (const [name, password] of [
            ["alice", alice],
            ["bob", bob],
        ]) {
            expect((await getUser(userPoolId, name)).UserStatus, `${name} status`).to.equal("CONFIRMED");
            expect(await signIn(clientId, name, password), `${name} signs in`).to.equal(true);
        }
        const outputs = JSON.parse((await project.ok(["stack", "output", "--json"])).stdout);
        expect(Object.keys(outputs).sort()).to.deep.equal(["amplifyOutputs", "region", "userPoolId", "users"]);
        expect(outputs.userPoolId).to.equal(userPoolId);
        expect(outputs.amplifyOutputs.auth).to.include({ aws_region: "local", user_pool_id: userPoolId });
        expect(outputs.users.alice.status).to.equal("CONFIRMED");
        const aliceSub = attributesOf(await getUser(userPoolId, "alice")).sub;
        expect(outputs.users.alice.sub).to.equal(aliceSub);

        // An unchanged preview: nothing to do.
        const unchanged = await project.ok(["preview", "--diff", "--expect-no-changes"]);
        expectNoPassword(unchanged.output, "unchanged preview");

        // Rotation: an in-place update showing only that the (secret) password changed.
        const rotated = newPassword("Rotated");
        await project.ok(["config", "set", "--secret", "--path", "passwords.alice", rotated]);
        const rotation = await project.ok(["preview", "--diff"]);
        expectNoPassword(rotation.output, "rotation preview");
        // The engine masks the password on both sides, so only the counter `check` derives from
        // old and new inputs marks the change (README: "Rotate a password"); the password itself
        // stays [secret].
        expect(rotation.stdout)
            .to.match(/~ pulumi-nodejs:dynamic\/cognito-auth:CognitoUser: \(update\)\s+\[id=[^\]]+\/alice\]/)
            .and.match(/~ passwordRevision\s*: 1 => 2/)
            .and.match(/password\s*: \[secret\]/)
            .and.match(/~ 1 to update/)
            .and.not.match(/replace/);
        await project.ok(["up", "--yes"]);
        expect(attributesOf(await getUser(userPoolId, "alice")).sub, "same user (sub) after rotation").to.equal(aliceSub);
        expect(await signIn(clientId, "alice", rotated), "the new password signs in").to.equal(true);
        expect(await signIn(clientId, "alice", alice), "the old password is refused").to.equal(false);

        // Attributes and enabled change in place.
        await project.ok(["config", "set", "--path", "users.bob.attributes.name", "Bob B"]);
        await project.ok(["config", "set", "--path", "users.bob.enabled", "false"]);
        const change = await project.ok(["preview", "--diff"]);
        expect(change.stdout)
            .to.match(/~ pulumi-nodejs:dynamic\/cognito-auth:CognitoUser: \(update\)\s+\[id=[^\]]+\/bob\]/)
            .and.not.match(/replace/);
        await project.ok(["up", "--yes"]);
        const bobNow = await getUser(userPoolId, "bob");
        expect(attributesOf(bobNow).name).to.equal("Bob B");
        expect(bobNow.Enabled).to.equal(false);

        // Out-of-band delete: refresh notices, up recreates.
        await suite.local.client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "alice" }));
        const refresh = await project.ok(["refresh", "--yes"]);
        expectNoPassword(refresh.output, "pulumi refresh");
        expect(refresh.stdout).to.match(/deleted/);
        await project.ok(["up", "--yes"]);
        expect((await getUser(userPoolId, "alice")).UserStatus).to.equal("CONFIRMED");
        expect(await signIn(clientId, "alice", rotated)).to.equal(true);

        // Nothing stored holds a password in plain text.
        expectNoPassword(await storedText(project), "stack export and state files");
        const [stored] = await userStates(project);
        expect(stored.outputs.password).to.have.property("4dabf18193072939515e22adb298388d");

        // Destroy removes the stack's users and nothing else.
        await suite.local.client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "nobody" })).catch(() => undefined);
        const destroy = await project.ok(["destroy", "--yes"]);
        expectNoPassword(destroy.output, "pulumi destroy");
        expect(await listUsers(userPoolId)).to.deep.equal([]);
    });

    it("a weak password, a password equal to its username, and passwords set without --secret fail the preview, naming the user, never the password", async () => {
        const { project, userPoolId } = await newStack();
        const weak = "short";
        passwords.push(weak);
        await addUser(project, "carol", "carol@example.com", weak);
        const weakPreview = await project.run(["preview"]);
        expect(weakPreview.code).to.not.equal(0);
        expect(weakPreview.output)
            .to.include("carol")
            .and.match(/at least 8 characters/);
        expectNoPassword(weakPreview.output, "failed preview (weak password)");

        await project.ok(["config", "set", "--secret", "--path", "passwords.carol", "Carol"]);
        passwords.push("Carol");
        const sameAsName = await project.run(["preview"]);
        expect(sameAsName.code).to.not.equal(0);
        expect(sameAsName.output)
            .to.include("carol")
            .and.match(/username/i);

        // Stored in plain text: the language host tells the program which keys are secret.
        const plainPassword = newPassword("Plain");
        await project.ok(["config", "rm", "passwords"]);
        await project.ok(["config", "set", "--plaintext", "--path", "passwords.carol", plainPassword]);
        const plainPreview = await project.run(["preview"]);
        expect(plainPreview.code).to.not.equal(0);
        expect(plainPreview.output).to.include("cognito-auth:passwords").and.include("plain text").and.include("--secret");
        expectNoPassword(plainPreview.output, "failed preview (plain-text password)");
        expect(await listUsers(userPoolId)).to.deep.equal([]);
    });
    it("an interrupted `pulumi up` (CLI killed while creating users): the next up refuses users the killed run made but never recorded ('already exists', naming the fix); after the README's recovery every user exists once, CONFIRMED, and signs in", async () => {
        const { project, userPoolId, clientId } = await newStack();
        const count = 60;
        const pw = new Map<string, string>();
        const settings: string[] = [];
        for (let i = 0; i < count; i++) {
            const name = `user${String(i).padStart(2, "0")}`;
            pw.set(name, newPassword(name));
            settings.push(
                "--path",
                "--plaintext",
                `users.${name}.email=${name}@example.com`,
                "--path",
                "--secret",
                `passwords.${name}=${pw.get(name)}`,
            );
        }
        await project.ok(["config", "set-all", ...settings]);

        // Kill the CLI and everything it started once some users exist.
        const child = project.start(["up", "--yes", "--skip-preview"]);
        const exited = new Promise((resolve) => child.on("exit", resolve));
        const deadline = Date.now() + 180_000;
        while ((await listUsers(userPoolId)).length < 10) {
            if (Date.now() > deadline) throw new Error("pulumi up made no 10 users in 3 minutes");
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        process.kill(-child.pid!, "SIGKILL");
        await exited;
        killProcessesIn(project.dir); // the provider host, in a process group of its own, would outlive the CLI
        await new Promise((resolve) => setTimeout(resolve, 1000)); // requests already sent land
        const made = new Set((await listUsers(userPoolId)).map((u) => u.Username!));
        expect(made.size, "interrupted part-way").to.be.below(count);

        // The README's recovery. The killed run left its lock (file backend) and pending creates,
        // and, if the kill cut a state write short, an empty metadata file that fails every command.
        let cancel = await project.run(["cancel", "--yes"]);
        if (cancel.code !== 0 && cancel.output.includes("failed to load checkpoint: EOF")) {
            removeEmptyAttrs(project);
            cancel = await project.run(["cancel", "--yes"]);
        }
        expect(cancel.code, cancel.output).to.equal(0);
        await project.ok(["refresh", "--clear-pending-creates", "--yes"]);
        const recorded = new Set((await userStates(project)).map((r: any) => r.outputs.username));
        const orphans = [...made].filter((name) => !recorded.has(name));
        expect(orphans.length, "users the killed run made but never recorded").to.be.above(0);

        // Those are refused (never taken over silently), with the cause and the fix in the error.
        const refused = await project.run(["up", "--yes", "--skip-preview"]);
        expectNoPassword(refused.output, "up after the interruption");
        expect(refused.code, refused.output.slice(-4000)).to.not.equal(0);
        // The engine stops scheduling at the first failure, so not every orphan need be named.
        const named = orphans.filter((name) => refused.output.includes(`Cognito user "${name}" already exists`));
        expect(named.length, refused.output.slice(-4000)).to.be.above(0);
        expect(refused.output).to.include("interrupted").and.include("pulumi config set cognito-auth:adoptExistingUsers true");

        await project.ok(["config", "set", "adoptExistingUsers", "true"]);
        expectNoPassword((await project.ok(["up", "--yes", "--skip-preview"])).output, "up with adoption");
        await project.ok(["config", "set", "adoptExistingUsers", "false"]);
        await project.ok(["preview", "--expect-no-changes"]);

        const users = await listUsers(userPoolId);
        expect(users.map((u) => u.Username).sort(), "each user exactly once").to.deep.equal([...pw.keys()].sort());
        expect(
            users.filter((u) => u.UserStatus !== "CONFIRMED").map((u) => u.Username),
            "users not CONFIRMED",
        ).to.deep.equal([]);
        for (const [name, password] of pw) expect(await signIn(clientId, name, password), `${name} signs in`).to.equal(true);
        expect((await userStates(project)).length, "every user in the state").to.equal(count);
    });

    it("an empty .attrs file beside the checkpoint (what a kill during a state write leaves) fails `pulumi cancel` with 'failed to load checkpoint: EOF'; the README's fix (deleting it) makes preview work again", async () => {
        const { project } = await newStack();
        await project.ok(["up", "--yes", "--skip-preview"]);
        const attrs = project.stateFiles().find((file) => file.endsWith(`${project.stack}.json.attrs`));
        expect(attrs, "the file backend keeps a metadata file beside the checkpoint").to.be.a("string");
        fs.writeFileSync(attrs!, "");
        const broken = await project.run(["cancel", "--yes"]);
        expect(broken.output).to.include("failed to load checkpoint: EOF");
        removeEmptyAttrs(project);
        await project.ok(["preview", "--expect-no-changes"]);
    });

    /** The README's fix for "failed to load checkpoint: EOF": delete the empty metadata file(s) a cut-short write left. */
    function removeEmptyAttrs(project: EngineProject): void {
        for (const file of project.stateFiles()) if (file.endsWith(".attrs") && fs.statSync(file).size === 0) fs.rmSync(file);
    }

    it("upgrading a stack whose users were written by version 1: one update each, nothing sent to Cognito, state shrinks", async () => {
        const proxy = await startFaultProxy({ upstreamPort: suite.local.port });
        try {
            const { project, userPoolId, clientId } = await newStack(proxy.endpoint);
            const alice = newPassword("Mig"),
                bob = newPassword("Mig");
            await addUser(project, "alice", "alice@example.com", alice);
            await addUser(project, "bob", "bob@example.com", bob);
            await project.ok(["up", "--yes", "--skip-preview"]);

            // Rewrite the users' state as cognito-auth 0.1 left it: its provider text in inputs and
            // outputs, inputs copied into outputs, no stateVersion.
            const v1Provider = fs.readFileSync(path.join(__dirname, "fixtures", "provider-v1.js.txt"), "utf8");
            const exported = JSON.parse((await project.ok(["stack", "export"])).stdout);
            for (const resource of exported.deployment.resources.filter((r: any) => r.type === userType)) {
                resource.inputs.__provider = v1Provider;
                const { stateVersion: _version, ...outputs } = resource.outputs;
                resource.outputs = {
                    ...outputs,
                    passwordPolicy: resource.inputs.passwordPolicy,
                    adoptExisting: resource.inputs.adoptExisting,
                    __provider: v1Provider,
                };
            }
            const file = path.join(project.dir, "v1-state.json");
            fs.writeFileSync(file, JSON.stringify(exported));
            await project.ok(["stack", "import", "--file", file]);
            const bytesPerUser = async () => {
                const users = await userStates(project);
                return Math.round(
                    users.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify({ inputs: r.inputs, outputs: r.outputs })), 0) /
                        users.length,
                );
            };
            const before = await bytesPerUser();

            const preview = await project.ok(["preview", "--diff"]);
            expect(preview.stdout)
                .to.match(/~ 2 to update/)
                .and.not.match(/replace|create|delete/i);
            const requests = proxy.counts.requests;
            expectNoPassword((await project.ok(["up", "--yes", "--skip-preview"])).output, "migrating up");
            expect(proxy.counts.requests - requests, "Cognito requests during the migrating up").to.equal(0);
            const after = await bytesPerUser();
            console.log(
                `      state per user (inputs + outputs, engine): ${before} bytes as version 1 wrote it, ${after} after the upgrade`,
            );
            // The figures docs/benchmarks.md, docs/design.md and docs/testing.md quote: 41 KB -> 1.5 KB.
            expect(before, "version 1's state per user").to.be.within(40_000, 42_000);
            expect(after, "state per user after the upgrade").to.be.within(1_400, 1_600);
            for (const r of await userStates(project)) {
                expect(r.outputs.stateVersion).to.equal(2);
                expect(r.outputs.__provider).to.not.include("AdminCreateUser");
            }
            await project.ok(["preview", "--expect-no-changes"]);
            expect(await signIn(clientId, "alice", alice)).to.equal(true);
            await project.ok(["destroy", "--yes", "--skip-preview"]);
            expect(await listUsers(userPoolId)).to.deep.equal([]);
        } finally {
            await proxy.close();
        }
    });
});
