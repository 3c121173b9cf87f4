// The real Pulumi engine in created-pool mode: the whole graph (guard, user pool, client, identity
// pool, role, role attachment, group, users) with the stand-in aws plugin (harness/awsStandIn,
// docs/testing.md) and cognito-local. The stand-in returns, as the created pool's id, a pool made
// in cognito-local first, so the users are made for real there. Checked: the preview a new stack
// prints, secrets and dependencies in state, a second preview without changes, a rename refused by
// the guard with nothing touched, and the upgrade from the released version: the settings it left
// to AWS, now given, update the pool and client in place, with no create, delete or replace. Skipped, with one line saying why, when no CLI is found.

import { expect } from "chai";
import * as crypto from "crypto";
import { CreateGroupCommand } from "@aws-sdk/client-cognito-identity-provider";
import { standInEnv } from "../harness/awsStandIn";
import { baselineCommit, createBaselineProject } from "../harness/baseline";
import { CognitoLocal, createPoolWithClient, listUsers, signIn, startCognitoLocal } from "../harness/cognitoLocal";
import { CommandResult, EngineProject, createEngineProject, findPulumi } from "../harness/engine";
import { expectNoLeak } from "../harness/leaks";
import { userType } from "../harness/users";

const secretSig = "4dabf18193072939515e22adb298388d";
const types = {
    guard: "pulumi-nodejs:dynamic/cognito-auth:PoolGuard",
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    identityPool: "aws:cognito/identityPool:IdentityPool",
    role: "aws:iam/role:Role",
    attachment: "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
    group: "aws:cognito/userGroup:UserGroup",
};

interface CreatedStack {
    project: EngineProject;
    userPoolId: string;
    clientId: string;
    poolName: string;
    passwords: Record<string, string>;
}

/** The stack's resources as `pulumi stack export` has them. */
async function exported(project: EngineProject): Promise<{ text: string; resources: any[] }> {
    const text = (await project.ok(["stack", "export"])).stdout;
    return { text, resources: JSON.parse(text).deployment.resources ?? [] };
}
const ofType = (resources: any[], type: string) => resources.filter((r) => r.type === type);
const one = (resources: any[], type: string) => {
    const found = ofType(resources, type);
    expect(found, type).to.have.length(1);
    return found[0];
};
/** What a replace or delete would change: each resource's URN and id (and for users, Cognito's sub). */
const identities = (resources: any[]) =>
    resources.map((r) => ({ urn: r.urn, id: r.id ?? null, sub: r.outputs?.sub ?? null })).sort((a, b) => a.urn.localeCompare(b.urn));
/**
 * The same, by type and id instead of URN, for an upgrade: a resource may move under another
 * parent (a new URN, aliased to the old); what must not change is the AWS or Cognito object.
 */
const cloudObjects = (resources: any[]) =>
    resources
        .filter((r) => r.custom && r.type !== "pulumi:providers:aws")
        .map((r) => `${r.type} ${r.id}${r.outputs?.sub ? ` sub ${r.outputs.sub}` : ""}`)
        .sort();

/** The steps of `pulumi preview --json` that are not "same", with the summary: empty when nothing would change. */
function changes(result: CommandResult): string[] {
    const preview = JSON.parse(result.stdout);
    return (preview.steps ?? [])
        .filter((step: any) => step.op !== "same")
        .map((step: any) => `${step.op} ${step.urn}${step.diffReasons ? ` [${step.diffReasons.join(", ")}]` : ""}`);
}

describe("the real Pulumi engine, created-pool mode, with the stand-in aws plugin", function () {
    this.timeout(900_000);
    const { cli, reason } = findPulumi();
    const projects: EngineProject[] = [];
    let local: CognitoLocal;
    before(async function () {
        if (!cli) {
            console.log(`      engine tests skipped: ${reason}`);
            this.skip();
        }
        local = await startCognitoLocal();
    });
    after(async () => {
        for (const project of projects) project.remove();
        await local?.stop();
    });

    /**
     * A new created-pool stack of the program's defaults plus a client secret, two users (alice in
     * group "admins"), its pool made in cognito-local first under the stack's pool name. The group
     * is made there too: the stand-in's UserGroup makes nothing, and the users are added to it.
     */
    async function newStack(): Promise<CreatedStack> {
        const poolName = `created-${crypto.randomBytes(3).toString("hex")}`;
        const { userPoolId, clientId } = await createPoolWithClient(local, poolName);
        await local.client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "admins" }));
        const project = await createEngineProject(cli!, { ...local.env, ...standInEnv(cli!, { [poolName]: userPoolId }) });
        projects.push(project);
        const passwords = {
            alice: `Cr${crypto.randomBytes(5).toString("hex")}#Alice7`,
            bob: `Cr${crypto.randomBytes(5).toString("hex")}#Bob7`,
        };
        // A cognito-local pool id starts with "local", which the users' provider takes as its region.
        await project.ok(["config", "set", "aws:region", "local"]);
        await project.ok([
            "config",
            "set-all",
            "--path",
            ...["--plaintext", `userPoolName=${poolName}`, "--plaintext", "generateClientSecret=true"],
            ...["--plaintext", "users.alice.email=alice@example.com", "--plaintext", "users.alice.groups[0]=admins"],
            ...["--plaintext", "users.bob.email=bob@example.com"],
            ...["--secret", `passwords.alice=${passwords.alice}`, "--secret", `passwords.bob=${passwords.bob}`],
        ]);
        return { project, userPoolId, clientId, poolName, passwords };
    }

    it("a new stack: the preview names every resource, up makes the users in the pool, state keeps secrets and dependencies, a second preview has no changes", async () => {
        const { project, userPoolId, clientId, passwords } = await newStack();
        const secrets = Object.values(passwords);

        const preview = await project.ok(["preview"]);
        expectNoLeak(preview.output, secrets, "pulumi preview");
        console.log(`      preview of a new stack:\n${preview.output.replace(/^/gm, "        | ")}`);
        for (const [type, name] of [
            ["pulumi-nodejs:dynamic/cognito-auth:PoolGuard", "cognito-auth-pool-guard"],
            ["aws:cognito:UserPool", "cognito-auth-pool"],
            ["aws:cognito:UserPoolClient", "cognito-auth-client"],
            ["aws:cognito:IdentityPool", "cognito-auth-identities"],
            ["aws:iam:Role", "cognito-auth-authenticated"],
            ["aws:cognito:IdentityPoolRoleAttachment", "cognito-auth-roles"],
            ["aws:cognito:UserGroup", "cognito-auth-group-admins"],
            ["pulumi-nodejs:dynamic/cognito-auth:CognitoUser", "cognito-auth-user-alice"],
            ["pulumi-nodejs:dynamic/cognito-auth:CognitoUser", "cognito-auth-user-bob"],
        ]) {
            expect(preview.output).to.match(new RegExp(`\\+\\s+${type.replace(/[/:]/g, "\\$&")}\\s+${name}\\s+create`), `${type} ${name}`);
        }
        expect(preview.output).to.match(/\+ 11 to create/); // the stack, the component and the nine above

        const up = await project.ok(["up", "--yes", "--parallel", "1"]);
        expectNoLeak(up.output, secrets, "pulumi up");
        expect((await listUsers(local, userPoolId)).map((u) => u.Username).sort()).to.deep.equal(["alice", "bob"]);
        for (const [name, password] of Object.entries(passwords)) {
            expect(await signIn(local, clientId, name, password), `${name} signs in`).to.equal(true);
        }

        const { text, resources } = await exported(project);
        expectNoLeak(text, secrets, "pulumi stack export");
        const [guard, pool, client, identityPool, role, attachment, group] = Object.values(types).map((type) => one(resources, type));
        expect(pool.id, "the stand-in returned the cognito-local pool").to.equal(userPoolId);
        expect(pool.outputs.endpoint).to.equal(`cognito-idp.local.amazonaws.com/${userPoolId}`);
        expect(client.outputs.clientSecret, "clientSecret is stored as a secret").to.include.keys(secretSig, "ciphertext");
        expect(text).to.not.include(`"clientSecret": "`);
        expect(pool.protect && identityPool.protect, "deletionProtection's protect").to.equal(true);
        expect(pool.dependencies).to.include(guard.urn);
        expect(identityPool.dependencies).to.include.members([guard.urn, pool.urn, client.urn]);
        expect(client.dependencies).to.include(pool.urn);
        expect(role.dependencies).to.include(identityPool.urn);
        expect(attachment.dependencies).to.include.members([identityPool.urn, role.urn]);
        expect(group.dependencies).to.include(pool.urn);
        const users = ofType(resources, userType);
        expect(users.map((u) => u.outputs.username).sort()).to.deep.equal(["alice", "bob"]);
        for (const user of users) {
            expect(user.dependencies, user.urn).to.include(pool.urn);
            expect(user.outputs.password, "the password is a secret in state").to.include.keys(secretSig, "ciphertext");
        }
        expect(users.find((u) => u.outputs.username === "alice").dependencies).to.include(group.urn);

        await project.ok(["preview", "--expect-no-changes"]);
    });

    it("renaming the user pool with deletionProtection on: preview and up refuse it through the guard, state, pool and users untouched; with it off, the pool and client are replaced, the identity pool is not", async () => {
        const { project, userPoolId, clientId, poolName, passwords } = await newStack();
        await project.ok(["up", "--yes", "--parallel", "1"]);
        const before = await exported(project);

        await project.ok(["config", "set", "userPoolName", `${poolName}-renamed`]);
        for (const command of [["preview"], ["up", "--yes", "--parallel", "1"]]) {
            const result = await project.run(command);
            expectNoLeak(result.output, Object.values(passwords), `pulumi ${command[0]}`);
            expect(result.code, `pulumi ${command[0]} fails`).to.not.equal(0);
            expect(result.output)
                .to.include(`renaming the user pool from "${poolName}" to "${poolName}-renamed" replaces it`)
                .and.include("Refused while deletionProtection is on, before anything is changed");
            if (command[0] === "preview") console.log(`      preview of the rename:\n${result.output.replace(/^/gm, "        | ")}`);
            const after = await exported(project);
            expect(identities(after.resources), `resources after ${command[0]}`).to.deep.equal(identities(before.resources));
            expect(one(after.resources, types.pool).outputs.name).to.equal(poolName);
        }
        expect((await listUsers(local, userPoolId)).map((u) => u.Username).sort()).to.deep.equal(["alice", "bob"]);
        expect(await signIn(local, clientId, "alice", passwords.alice)).to.equal(true);

        // With protection off first, the engine plans what the provider's diff says: the pool is
        // replaced (its name is ForceNew), and with it what names its id; the identity pool keeps its name.
        await project.ok(["config", "set", "userPoolName", poolName]);
        await project.ok(["config", "set", "deletionProtection", "false"]);
        await project.ok(["up", "--yes", "--parallel", "1"]);
        await project.ok(["config", "set", "userPoolName", `${poolName}-renamed`]);
        const steps = changes(await project.ok(["preview", "--json"]));
        const replaced = (name: string) => steps.some((step) => step.startsWith("replace ") && step.split(" ")[1].endsWith(`::${name}`));
        for (const name of ["cognito-auth-pool", "cognito-auth-client", "cognito-auth-group-admins"]) {
            expect(replaced(name), `${name} replaced:\n${steps.join("\n")}`).to.equal(true);
        }
        for (const name of ["cognito-auth-identities", "cognito-auth-authenticated", "cognito-auth-roles"]) {
            expect(replaced(name), `${name} not replaced:\n${steps.join("\n")}`).to.equal(false);
        }
    });

    it(`a created-pool stack made by ${baselineCommit.slice(0, 7)} (the released version): the work tree's preview and up update the pool's four new settings and the client's flows in place, and create, delete and replace nothing`, async () => {
        const { project, userPoolId, clientId, passwords } = await newStack();
        const baseline = await createBaselineProject(cli!, project);
        projects.push(baseline);
        expectNoLeak((await baseline.ok(["up", "--yes", "--parallel", "1"])).output, Object.values(passwords), "pulumi up (baseline)");
        const before = await exported(baseline);
        expect(ofType(before.resources, userType), "the baseline made both users").to.have.length(2);

        // The settings the released version left to AWS, now always given (README: Configuration):
        // AWS already gives a new pool ESSENTIALS, and choice-based sign-in comes with it.
        const pool = one(before.resources, types.pool);
        const client = one(before.resources, types.client);
        const preview = await project.run(["preview", "--json"]);
        expectNoLeak(preview.output, Object.values(passwords), "pulumi preview --json");
        expect(preview.code, preview.output.slice(-4000)).to.equal(0);
        expect(changes(preview), "steps of the work tree's preview").to.deep.equal([
            `update ${pool.urn} [emailConfiguration, signInPolicy, userPoolAddOns, userPoolTier]`,
            `update ${client.urn} [explicitAuthFlows]`,
        ]);
        const inputs = (urn: string) => JSON.parse(preview.stdout).steps.find((step: any) => step.urn === urn).newState.inputs;
        const newPool = inputs(pool.urn);
        expect(
            {
                userPoolTier: newPool.userPoolTier,
                userPoolAddOns: newPool.userPoolAddOns,
                emailConfiguration: newPool.emailConfiguration,
                signInPolicy: newPool.signInPolicy,
            },
            "the pool's new inputs",
        ).to.deep.equal({
            userPoolTier: "ESSENTIALS",
            userPoolAddOns: { advancedSecurityMode: "OFF" },
            emailConfiguration: { emailSendingAccount: "COGNITO_DEFAULT" },
            signInPolicy: { allowedFirstAuthFactors: ["PASSWORD"] },
        });
        expect(inputs(client.urn).explicitAuthFlows, "the client's new flows").to.deep.equal([
            ...client.inputs.explicitAuthFlows,
            "ALLOW_USER_AUTH",
        ]);

        const up = await project.run(["up", "--yes", "--parallel", "1"]);
        expectNoLeak(up.output, Object.values(passwords), "pulumi up");
        expect(up.code, `up after the upgrade:\n${up.output.slice(-4000)}`).to.equal(0);
        expect(up.output).to.match(/\b2 updated\b/);
        expect(up.output).to.not.match(/\b\d+ (to )?(create|created|delete|deleted|replace|replaced)\b/);
        const after = await exported(project);
        expect(identities(after.resources), "every URN and id is the same (users their sub)").to.deep.equal(identities(before.resources));
        expect(cloudObjects(after.resources), "every resource keeps its id (users their sub)").to.deep.equal(
            cloudObjects(before.resources),
        );
        for (const [name, password] of Object.entries(passwords)) {
            expect(await signIn(local, clientId, name, password), `${name} still signs in`).to.equal(true);
        }
        expect((await listUsers(local, userPoolId)).map((u) => u.Username).sort()).to.deep.equal(["alice", "bob"]);
        const noChanges = await project.run(["preview", "--expect-no-changes", "--diff"]);
        expect(noChanges.code, `preview --expect-no-changes after the up:\n${noChanges.output.slice(-4000)}`).to.equal(0);
    });
});
