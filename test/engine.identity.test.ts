// The real Pulumi engine, existing-pool mode, cognito-local: a user is this stack's by the `sub`
// in its state (a namesake made after an out-of-band delete is never changed or deleted); a pool
// that cannot be found fails refresh and destroy and the state keeps every user (`pulumi state
// delete` is the explicit way to forget one); user resources named by the case-folded username,
// with aliases, so existing stacks see no change and a case-only rename never deletes the user.
// cognito-local ignores case-insensitivity: a case-folding proxy (helpers/caseFoldingProxy.ts)
// stands in for a case-insensitive pool. Skipped, with one line saying why, when no CLI is found.

import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    AdminSetUserPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startCaseFoldingProxy } from "../harness/caseFoldingProxy";
import { listUsers, signIn, startCognitoLocal } from "../harness/cognitoLocal";
import { EngineProject, existingPoolSuite } from "../harness/engine";
import { expectNoLeak } from "../harness/leaks";
import { userType } from "../harness/users";

const passwords: string[] = [];
function newPassword(tag: string): string {
    const password = `Id${tag}-${crypto.randomBytes(5).toString("hex")}#Q7`;
    passwords.push(password);
    return password;
}

describe("the real Pulumi engine: identity by sub, a pool that cannot be found, case-only renames", function () {
    this.timeout(600_000);
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
        for (const cleanup of cleanups) await cleanup();
    });
    const suite = existingPoolSuite("identity");
    const newStack = (endpoint?: (userPoolId: string) => Promise<string>) => suite.newStack(endpoint);
    async function addUser(project: EngineProject, username: string, email: string, password: string) {
        await project.ok(["config", "set", "--path", `users.${username}.email`, email]);
        await project.ok(["config", "set", "--secret", "--path", `passwords.${username}`, password]);
    }
    async function removeUser(project: EngineProject, username: string) {
        await project.ok(["config", "rm", "--path", `users.${username}`]);
        await project.ok(["config", "rm", "--path", `passwords.${username}`]);
    }
    function getUser(userPoolId: string, username: string): Promise<AdminGetUserCommandOutput> {
        return suite.local.client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    }
    /** Everything Cognito says of a user that a change would alter: attributes, status, enabled, last-modified time. */
    async function snapshot(userPoolId: string, username: string) {
        const { $metadata: _meta, ...user } = await getUser(userPoolId, username);
        return JSON.parse(JSON.stringify(user));
    }
    const subOf = (user: AdminGetUserCommandOutput) => user.UserAttributes!.find((a) => a.Name === "sub")!.Value!;
    async function userStates(project: EngineProject): Promise<any[]> {
        const exported = JSON.parse((await project.ok(["stack", "export"])).stdout);
        return (exported.deployment.resources ?? []).filter((r: any) => r.type === userType);
    }
    /** Someone else's user under the name: deleted out of band, made again directly in the pool, with a password of its own. */
    async function replaceWithNamesake(userPoolId: string, username: string) {
        await suite.local.client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
        await suite.local.client.send(
            new AdminCreateUserCommand({
                UserPoolId: userPoolId,
                Username: username,
                MessageAction: "SUPPRESS",
                UserAttributes: [{ Name: "email", Value: `mallory+${username}@example.com` }],
            }),
        );
        const password = newPassword("Mallory");
        await suite.local.client.send(
            new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true }),
        );
        return { before: await snapshot(userPoolId, username), password };
    }

    it("a namesake after an out-of-band delete: refresh forgets ours and says so, up then says 'already exists'; the namesake is unchanged byte for byte", async () => {
        const { project, userPoolId } = await newStack();
        await addUser(project, "alice", "alice@example.com", newPassword("Alice"));
        await project.ok(["up", "--yes"]);
        const ours = subOf(await getUser(userPoolId, "alice"));
        const namesake = await replaceWithNamesake(userPoolId, "alice");
        expect(subOf(namesake.before)).to.not.equal(ours);

        const refresh = await project.ok(["refresh", "--yes"]);
        expectNoLeak(refresh.output, passwords, "pulumi refresh");
        console.log(`      refresh output:\n${refresh.output.replace(/^/gm, "        | ")}`);
        expect(refresh.output).to.include(
            `Cognito user "alice" in user pool ${userPoolId} is not this stack's user (its sub is ${subOf(namesake.before)}, this stack's is ${ours})`,
        );
        expect(await userStates(project), "state no longer lists alice as ours").to.deep.equal([]);
        expect(await snapshot(userPoolId, "alice"), "namesake after refresh").to.deep.equal(namesake.before);

        const up = await project.run(["up", "--yes"]);
        expect(up.code).to.not.equal(0);
        expect(up.output).to.include('Cognito user "alice" already exists');
        expect(await snapshot(userPoolId, "alice"), "namesake after up").to.deep.equal(namesake.before);
    });

    it("without a refresh: an update of a namesake fails touching nothing; removing the user from config, and destroy, leave namesakes in place", async () => {
        const { project, userPoolId, clientId } = await newStack();
        for (const name of ["alice", "bob"]) await addUser(project, name, `${name}@example.com`, newPassword(name));
        await project.ok(["up", "--yes"]);
        const alice = await replaceWithNamesake(userPoolId, "alice");
        const bob = await replaceWithNamesake(userPoolId, "bob");

        // A change for alice: the update finds another sub and stops.
        await project.ok(["config", "set", "--path", "users.alice.email", "alice@new.example.com"]);
        const update = await project.run(["up", "--yes"]);
        expect(update.code).to.not.equal(0);
        expect(update.output)
            .to.include(`Cognito user "alice" in user pool ${userPoolId} is not this stack's user`)
            .and.include("so nothing was changed");
        expect(await snapshot(userPoolId, "alice"), "alice's namesake after the failed update").to.deep.equal(alice.before);

        // alice removed from config: her resource goes, the namesake stays.
        await removeUser(project, "alice");
        const up = await project.ok(["up", "--yes"]);
        console.log(`      up (delete of a namesake) output:\n${up.output.replace(/^/gm, "        | ")}`);
        expect(up.output).to.include('Cognito user "alice"').and.include("the other user was not deleted");
        expect(await snapshot(userPoolId, "alice"), "alice's namesake after up").to.deep.equal(alice.before);
        expect((await userStates(project)).map((r) => r.outputs.username)).to.deep.equal(["bob"]);

        const destroy = await project.ok(["destroy", "--yes"]);
        expectNoLeak(destroy.output, passwords, "pulumi destroy");
        expect(await snapshot(userPoolId, "bob"), "bob's namesake after destroy").to.deep.equal(bob.before);
        expect(await signIn(suite.local, clientId, "bob", bob.password), "the namesake still signs in with its own password").to.equal(
            true,
        );
        expect(await userStates(project)).to.deep.equal([]);
    });

    it("a pool that cannot be found (another endpoint): refresh and destroy fail naming the pool, region and endpoint; the state keeps every user; `pulumi state delete` forgets one on purpose", async () => {
        const { project, userPoolId } = await newStack();
        for (const name of ["alice", "bob"]) await addUser(project, name, `${name}@example.com`, newPassword(name));
        await project.ok(["up", "--yes"]);
        const exportedBefore = (await userStates(project)).map((r) => r.urn).sort();
        expect(exportedBefore).to.have.length(2);

        // The same stack pointed at another (empty) emulator: a wrong endpoint, as a wrong region or account would be.
        const other = await startCognitoLocal();
        cleanups.push(() => other.stop());
        project.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = other.endpoint;
        for (const command of [
            ["refresh", "--yes"],
            ["destroy", "--yes"],
        ]) {
            const result = await project.run(command);
            expectNoLeak(result.output, passwords, `pulumi ${command[0]}`);
            expect(result.code, `pulumi ${command[0]} fails`).to.not.equal(0);
            for (const name of ["alice", "bob"]) {
                expect(result.output).to.include(`Cognito user "${name}"`);
            }
            expect(result.output)
                .to.include(`user pool ${userPoolId} was not found in region local at ${other.endpoint}`)
                .and.include("the stack's state still lists the user")
                .and.include("pulumi state delete");
            expect((await userStates(project)).map((r) => r.urn).sort(), `state after ${command[0]}`).to.deep.equal(exportedBefore);
            if (command[0] === "refresh") console.log(`      refresh output:\n${result.output.replace(/^/gm, "        | ")}`);
        }
        expect((await listUsers(suite.local, userPoolId)).map((u) => u.Username).sort(), "the real pool still has them").to.deep.equal([
            "alice",
            "bob",
        ]);

        // Forgetting a user on purpose, as the README says: `pulumi state delete '<urn>' --yes`.
        const aliceUrn = exportedBefore.find((urn) => urn.endsWith("-user-alice"))!;
        const forget = await project.ok(["state", "delete", aliceUrn, "--yes"]);
        console.log(`      state delete output:\n${forget.output.replace(/^/gm, "        | ")}`);
        expect((await userStates(project)).map((r) => r.outputs.username)).to.deep.equal(["bob"]);
        expect(
            (await listUsers(suite.local, userPoolId)).map((u) => u.Username).sort(),
            "state delete sends Cognito nothing",
        ).to.deep.equal(["alice", "bob"]);
        // Back at the right endpoint the stack works again.
        project.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = suite.local.endpoint;
        await project.ok(["destroy", "--yes"]);
    });

    /** The program as earlier versions named user resources: by the username as configured, no alias. */
    function useOldNaming(project: EngineProject): () => void {
        const file = path.join(project.dir, "components", "users.ts");
        const current = fs.readFileSync(file, "utf8");
        const old = current
            .replace("`${name}-user-${caseFolded(username)}`", "`${name}-user-${username}`")
            .replace(/aliases: caseFolded\(username\) === username \? \[\] : \[\{ name: `\$\{name\}-user-\$\{username\}` \}\],/, "");
        expect(old, "the old naming could be restored").to.not.equal(current);
        fs.writeFileSync(file, old);
        return () => fs.writeFileSync(file, current);
    }

    it("a stack made with the old resource names: no change after the upgrade; then a case-only rename in a case-insensitive pool is an update of the same user", async () => {
        let proxyPools: string[] = [];
        const { project, userPoolId, clientId } = await newStack(async (pool) => {
            proxyPools = [pool];
            const proxy = await startCaseFoldingProxy(suite.local.port, proxyPools);
            cleanups.push(() => proxy.close());
            return proxy.endpoint;
        });
        const password = newPassword("John");
        await addUser(project, "JohnDoe", "john@example.com", password);
        await addUser(project, "alice", "alice@example.com", newPassword("Alice"));
        const restore = useOldNaming(project);
        await project.ok(["up", "--yes"]);
        restore();
        const [oldUrns, sub] = [(await userStates(project)).map((r) => r.urn).sort(), subOf(await getUser(userPoolId, "johndoe"))];
        expect(oldUrns.some((urn) => urn.endsWith("-user-JohnDoe"))).to.equal(true);

        const preview = await project.ok(["preview", "--expect-no-changes"]);
        console.log(`      preview after the upgrade:\n${preview.output.replace(/^/gm, "        | ")}`);
        const up = await project.ok(["up", "--yes"]);
        expect(up.output).to.not.match(/\d+ (to )?(create|delete|replace)/);
        const urns = (await userStates(project)).map((r) => r.urn).sort();
        expect(
            urns.some((urn) => urn.endsWith("-user-johndoe")),
            "renamed to the folded name in state",
        ).to.equal(true);
        expect(urns.some((urn) => urn.endsWith("-user-JohnDoe"))).to.equal(false);
        await project.ok(["preview", "--expect-no-changes"]);

        // The case-only rename: the same resource, an update, the same user.
        await project.ok(["config", "rm", "--path", "users.JohnDoe"]);
        await project.ok(["config", "rm", "--path", "passwords.JohnDoe"]);
        await addUser(project, "johndoe", "john@example.com", password);
        const renamePreview = await project.ok(["preview"]);
        console.log(`      preview of the rename:\n${renamePreview.output.replace(/^/gm, "        | ")}`);
        expect(renamePreview.output)
            .to.match(/~ 1 to update/)
            .and.not.match(/to (create|delete|replace)/);
        await project.ok(["up", "--yes"]);
        expect(subOf(await getUser(userPoolId, "johndoe")), "the same user").to.equal(sub);
        expect(await signIn(suite.local, clientId, "johndoe", password)).to.equal(true);
        expect((await userStates(project)).find((r) => r.urn.endsWith("-user-johndoe")).outputs.username).to.equal("johndoe");
    });

    it("a case-only rename together with the upgrade (a new resource): without adoption 'already exists', with adoption the old resource's delete keeps the adopted user", async () => {
        const { project, userPoolId, clientId } = await newStack(async (pool) => {
            const proxy = await startCaseFoldingProxy(suite.local.port, [pool]);
            cleanups.push(() => proxy.close());
            return proxy.endpoint;
        });
        const password = newPassword("John");
        await addUser(project, "JohnDoe", "john@example.com", password);
        const restore = useOldNaming(project);
        await project.ok(["up", "--yes"]);
        restore();
        const sub = subOf(await getUser(userPoolId, "johndoe"));

        await project.ok(["config", "rm", "--path", "users.JohnDoe"]);
        await project.ok(["config", "rm", "--path", "passwords.JohnDoe"]);
        await addUser(project, "johndoe", "john@example.com", password);
        const refused = await project.run(["up", "--yes"]);
        expect(refused.code).to.not.equal(0);
        expect(refused.output).to.include('Cognito user "johndoe" already exists');
        expect(subOf(await getUser(userPoolId, "johndoe"))).to.equal(sub);
        expect((await userStates(project)).map((r) => r.outputs.username)).to.deep.equal(["JohnDoe"]);

        await project.ok(["config", "set", "adoptExistingUsers", "true"]);
        const adopted = await project.ok(["up", "--yes"]);
        console.log(`      up with adoption:\n${adopted.output.replace(/^/gm, "        | ")}`);
        expect(adopted.output).to.include('Cognito user "JohnDoe"').and.include('"johndoe" now manages');
        expect(subOf(await getUser(userPoolId, "johndoe")), "the pool still has the user").to.equal(sub);
        expect(await signIn(suite.local, clientId, "johndoe", password)).to.equal(true);
        expect((await userStates(project)).map((r) => r.outputs.username)).to.deep.equal(["johndoe"]);
    });

    it("a case-only rename in a case-sensitive pool: the update fails before touching anything, the old user stays", async () => {
        const { project, userPoolId } = await newStack();
        await addUser(project, "JohnDoe", "john@example.com", newPassword("John"));
        await project.ok(["up", "--yes"]);
        const before = await snapshot(userPoolId, "JohnDoe");
        await project.ok(["config", "rm", "--path", "users.JohnDoe"]);
        await project.ok(["config", "rm", "--path", "passwords.JohnDoe"]);
        await addUser(project, "johndoe", "john@example.com", newPassword("john"));
        const up = await project.run(["up", "--yes"]);
        expect(up.code).to.not.equal(0);
        expect(up.output).to.include('Cognito user "johndoe"').and.include("the pool tells usernames apart by case");
        expect(await snapshot(userPoolId, "JohnDoe")).to.deep.equal(before);
        expect((await listUsers(suite.local, userPoolId)).map((u) => u.Username)).to.deep.equal(["JohnDoe"]);
        expect((await userStates(project)).map((r) => r.outputs.username)).to.deep.equal(["JohnDoe"]);
    });
});
