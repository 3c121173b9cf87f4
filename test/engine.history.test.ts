// The real Pulumi engine on a rotation the pool's password history refuses. cognito-local keeps no
// password history, so harness/faultProxy.ts in front of it answers AdminSetUserPassword of one
// user with PasswordHistoryPolicyViolationException (HTTP 400, `__type` and `x-amzn-ErrorType` as
// Cognito sends them); every other request reaches the emulator. `pulumi up` must fail with the
// provider's message, no password in any output, the user's attributes in the pool unchanged, the
// state still listing every user with the old password, and the next `up` without the fault
// applying the rotation. And an update whose password went through before a later call failed
// records that (partial state, the password still a secret), so the next `up` does not set the
// same password again. Existing-pool mode against cognito-local. Skipped when no CLI is found.

import { expect } from "chai";
import * as crypto from "crypto";
import { listUsers, signIn } from "../harness/cognitoLocal";
import { EngineProject, existingPoolSuite } from "../harness/engine";
import { Refuser, startFaultProxy } from "../harness/faultProxy";
import { expectNoLeak } from "../harness/leaks";
import { userType } from "../harness/users";

const passwords: string[] = [];
function newPassword(tag: string): string {
    const password = `Pw${tag}-${crypto.randomBytes(5).toString("hex")}#Q7`;
    passwords.push(password);
    return password;
}
const expectNoPassword = (text: string, what: string) => expectNoLeak(text, passwords, what);
/** A secret's value in `pulumi stack export --show-secrets`: its `plaintext`, JSON-encoded. */
const plaintext = (value: { plaintext?: string }) => JSON.parse(value?.plaintext ?? "null");

describe("the real Pulumi engine: a rotation the pool's password history refuses", function () {
    this.timeout(600_000);
    const suite = existingPoolSuite("hist");

    async function userStates(project: EngineProject, showSecrets = false): Promise<Record<string, any>> {
        const exported = await project.ok(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])]);
        if (!showSecrets) expectNoPassword(exported.stdout, "stack export");
        const resources = (JSON.parse(exported.stdout).deployment.resources ?? []).filter((r: any) => r.type === userType);
        return Object.fromEntries(resources.map((r: any) => [r.outputs.username, r]));
    }

    it("up fails naming the user and the rule, changes nothing, keeps every user in state; the next up applies the rotation; a later failure is recorded exactly", async () => {
        // Every request the proxy sees, and what it refuses: decided per test step.
        const seen: { operation: string; username?: string }[] = [];
        let refusing: Refuser = () => undefined;
        const proxy = await startFaultProxy({
            upstreamPort: suite.local.port,
            refuse: (operation, body) => {
                seen.push({ operation, username: body?.Username });
                return refusing(operation, body);
            },
        });
        const history: Refuser = (operation, body) =>
            operation === "AdminSetUserPassword" && body?.Username === "alice"
                ? {
                      type: "PasswordHistoryPolicyViolationException",
                      message: "The password you entered doesn't meet the password history policy.",
                  }
                : undefined;
        try {
            const { project, userPoolId, clientId } = await suite.newStack(proxy.endpoint);
            const [alice1, alice2, alice3, bob] = [newPassword("A1"), newPassword("A2"), newPassword("A3"), newPassword("B")];
            for (const [name, password] of [
                ["alice", alice1],
                ["bob", bob],
            ]) {
                await project.ok(["config", "set", "--path", `users.${name}.email`, `${name}@example.com`]);
                await project.ok(["config", "set", "--secret", "--path", `passwords.${name}`, password]);
            }
            await project.ok(["up", "--yes", "--skip-preview"]);
            const aliceInPool = async () => JSON.stringify((await listUsers(suite.local, userPoolId)).find((u) => u.Username === "alice"));
            const before = await aliceInPool();

            // A rotation back to a recent password, with an attribute and enabled changed too.
            await project.ok(["config", "set", "--secret", "--path", "passwords.alice", alice2]);
            await project.ok(["config", "set", "--path", "users.alice.attributes.name", "Alice A"]);
            await project.ok(["config", "set", "--path", "users.alice.enabled", "false"]);
            refusing = history;
            const refused = await project.run(["up", "--yes", "--skip-preview"]);
            expect(refused.code, refused.output).to.not.equal(0);
            expectNoPassword(refused.output, "failed up");
            expect(refused.output).to.include(
                `Cognito user "alice" in pool ${userPoolId} could not be updated, and nothing was changed: Cognito refuses the new password ` +
                    "(PasswordHistoryPolicyViolationException): it is one of the user's recent passwords, which the user pool's password history " +
                    "forbids (passwordPolicy.passwordHistorySize). Choose a password the user has not had recently; set it with: " +
                    "pulumi config set --secret --path 'passwords.alice' -- '<password>', then run `pulumi up` again.",
            );
            expect(await aliceInPool(), "alice in the pool, byte for byte").to.equal(before);
            expect(await signIn(suite.local, clientId, "alice", alice1), "the old password still works").to.equal(true);
            const afterRefusal = await userStates(project);
            expect(Object.keys(afterRefusal).sort(), "state lists every user").to.deep.equal(["alice", "bob"]);
            expect(afterRefusal.alice.outputs.password, "the password stays a secret").to.have.property("ciphertext");
            const refusedSecrets = await userStates(project, true);
            expect(plaintext(refusedSecrets.alice.outputs.password) === alice1, "state keeps the old password").to.equal(true);
            expect(afterRefusal.alice.outputs.enabled).to.equal(true);
            expect(afterRefusal.alice.outputs.attributes).to.not.have.property("name");

            // Without the fault (another password, or the history moved on), the next up applies it all.
            refusing = () => undefined;
            seen.length = 0;
            await project.ok(["up", "--yes", "--skip-preview"]);
            expect(seen.filter((s) => s.operation === "AdminSetUserPassword").map((s) => s.username)).to.deep.equal(["alice"]);
            const rotated = (await listUsers(suite.local, userPoolId)).find((u) => u.Username === "alice")!;
            expect(rotated.Enabled).to.equal(false);
            expect(rotated.Attributes?.find((a) => a.Name === "name")?.Value).to.equal("Alice A");
            await project.ok(["config", "set", "--path", "users.alice.enabled", "true"]);
            await project.ok(["up", "--yes", "--skip-preview"]);
            expect(await signIn(suite.local, clientId, "alice", alice2), "alice signs in with the rotated password").to.equal(true);

            // The password goes through, then the attribute call fails: state records the new password.
            await project.ok(["config", "set", "--secret", "--path", "passwords.alice", alice3]);
            await project.ok(["config", "set", "--path", "users.alice.attributes.name", "Alice B"]);
            refusing = (operation, body) =>
                operation === "AdminUpdateUserAttributes" && body?.Username === "alice"
                    ? { type: "InvalidParameterException", message: "injected: attributes refused" }
                    : undefined;
            const partial = await project.run(["up", "--yes", "--skip-preview"]);
            expect(partial.code, partial.output).to.not.equal(0);
            expectNoPassword(partial.output, "partly failed up");
            expect(partial.output)
                .to.include(
                    `Cognito user "alice" in pool ${userPoolId} was updated only in part: InvalidParameterException: injected: attributes refused`,
                )
                .and.include("(sent before it failed: AdminSetUserPassword; the stack's state records exactly that");
            expect(await signIn(suite.local, clientId, "alice", alice3)).to.equal(true);
            const partialState = (await userStates(project)).alice;
            expect(partialState.outputs.password, "the new password is stored as a secret").to.have.property("ciphertext");
            expect(partialState.outputs.attributes.name, "the attribute change is not recorded").to.equal("Alice A");
            expect(partialState.outputs.__provider, "outputs keep the provider, for refresh and delete").to.equal(
                partialState.inputs.__provider,
            );
            expect(
                plaintext((await userStates(project, true)).alice.outputs.password) === alice3,
                "state records the new password",
            ).to.equal(true);

            // Next up: the history now refuses alice3 too; only the attributes are sent, and it succeeds.
            refusing = history;
            seen.length = 0;
            const retried = await project.ok(["up", "--yes", "--skip-preview"]);
            expectNoPassword(retried.output, "retried up");
            const aliceCalls = seen.filter((s) => s.username === "alice").map((s) => s.operation);
            expect(aliceCalls).to.include("AdminUpdateUserAttributes").and.not.include("AdminSetUserPassword");
            const final = (await listUsers(suite.local, userPoolId)).find((u) => u.Username === "alice")!;
            expect(final.Attributes?.find((a) => a.Name === "name")?.Value).to.equal("Alice B");
            await project.ok(["refresh", "--yes", "--skip-preview"]);
            await project.ok(["preview", "--expect-no-changes"]);
            expect(Object.keys(await userStates(project)).sort()).to.deep.equal(["alice", "bob"]);
        } finally {
            await proxy.close();
        }
    });
});
