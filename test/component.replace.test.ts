import { expect } from "chai";
import { ProgramRun, RecordedResource, plain, projectName, runProgram } from "../harness/program";
import { PoolGuardInputs, poolGuardProvider, replacementRefusal } from "../components/poolGuard";

// What keeps a rename of the user pool from replacing anything else, and what makes a replacement of
// the user pool or identity pool fail at preview, under the mocked runtime: the names and resource
// options (protect, ignoreChanges, aliases) the program sends the engine. That the engine honours
// these options as relied on here (protect fails the preview of a replace; ignoreChanges keeps the
// stored name) is shown with the real CLI in test/engine.protect.test.ts.

const types = {
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    identityPool: "aws:cognito/identityPool:IdentityPool",
    role: "aws:iam/role:Role",
    roleAttachment: "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
    group: "aws:cognito/userGroup:UserGroup",
    user: "pulumi-nodejs:dynamic/cognito-auth:CognitoUser",
    guard: "pulumi-nodejs:dynamic/cognito-auth:PoolGuard",
};

const users = {
    users: { alice: { email: "alice@example.com", groups: ["staff"] } },
    passwords: { alice: "Alice#Secret-4217xq" },
};

/** The name earlier versions gave an identity pool without `identityPoolName`: `<userPoolName>-identities`. */
const earlierDefault = (userPoolName: string) => `${userPoolName}-identities`;

/** The identity pool, its roles and their attachment: what a rename of the user pool must leave alone. */
function identitySide(run: ProgramRun): RecordedResource[] {
    return [run.one(types.identityPool), ...run.byType(types.role), run.one(types.roleAttachment)];
}

describe("renaming the user pool, and replacements (mocked runtime)", function () {
    describe("the identity pool's name", function () {
        for (const stack of ["dev", "prod"]) {
            it(`is <project>-<stack>-identities on stack ${stack}: the name earlier versions gave it with the default userPoolName`, async function () {
                const run = await runProgram(users, { stack });
                const name = run.one(types.identityPool).inputs.identityPoolName;
                expect(name).to.equal(`${projectName}-${stack}-identities`);
                // A stack made by an earlier version with the default names sends the same name: no diff at all.
                expect(name).to.equal(earlierDefault(run.one(types.pool).inputs.name));
            });
        }

        it("does not follow userPoolName", async function () {
            for (const userPoolName of ["acme-auth", "acme-auth-renamed"]) {
                const run = await runProgram({ ...users, userPoolName });
                expect(run.one(types.pool).inputs.name).to.equal(userPoolName);
                expect(run.one(types.identityPool).inputs.identityPoolName).to.equal(`${projectName}-dev-identities`);
            }
        });

        it("unset: the engine is told to ignore changes of it, so the name a stack was made with stays", async function () {
            // E.g. a stack made by an earlier version with userPoolName "acme-auth" holds "acme-auth-identities".
            const run = await runProgram({ ...users, userPoolName: "acme-auth" });
            const identityPool = run.one(types.identityPool);
            expect(identityPool.inputs.identityPoolName).to.not.equal(earlierDefault("acme-auth"));
            expect(identityPool.options?.ignoreChanges).to.deep.equal(["identityPoolName"]);
        });

        it("set: it is applied (no ignoreChanges), and only the identity pool ignores anything", async function () {
            const run = await runProgram({ ...users, identityPoolName: "web-identities" });
            expect(run.one(types.identityPool).inputs.identityPoolName).to.equal("web-identities");
            expect(run.one(types.identityPool).options?.ignoreChanges).to.deep.equal([]);
            const unset = await runProgram(users);
            for (const resource of unset.resources.filter((r) => r.type !== types.identityPool)) {
                expect(resource.options?.ignoreChanges, resource.name).to.deep.equal([]);
            }
        });
    });

    describe("a rename of the user pool", function () {
        it("leaves the identity pool, the roles and the role attachment exactly as they were: URNs, inputs and options", async function () {
            const runs = [
                await runProgram(users),
                await runProgram({ ...users, userPoolName: "acme-auth" }),
                await runProgram({ ...users, userPoolName: "acme-auth-renamed" }),
            ];
            expect(runs[1].one(types.pool).inputs.name).to.not.equal(runs[2].one(types.pool).inputs.name);
            const seen = runs.map((run) =>
                identitySide(run).map((resource) => ({ urn: resource.urn, inputs: resource.inputs, options: resource.options })),
            );
            expect(seen[0]).to.have.lengthOf(3);
            expect(seen[1]).to.deep.equal(seen[0]);
            expect(seen[2]).to.deep.equal(seen[0]);
            for (const resource of identitySide(runs[2])) {
                expect(JSON.stringify(resource.inputs), resource.name).to.not.include("acme-auth");
            }
        });

        it("cannot reach a role: its trust policy names only the identity pool's id, its description only the component", async function () {
            const run = await runProgram({ ...users, userPoolName: "acme-auth", allowUnauthenticatedIdentities: true });
            const identityPoolId = run.one(types.identityPool).id;
            const roles = run.byType(types.role);
            expect(roles.map((role) => role.name).sort()).to.deep.equal([`${projectName}-authenticated`, `${projectName}-unauthenticated`]);
            for (const role of roles) {
                expect(Object.keys(role.inputs).sort(), role.name).to.deep.equal(["assumeRolePolicy", "description"]);
                const policy = JSON.parse(plain(role.inputs.assumeRolePolicy));
                expect(policy.Statement[0].Condition.StringEquals).to.deep.equal({ "cognito-identity.amazonaws.com:aud": identityPoolId });
                expect(JSON.stringify(policy)).to.not.include(run.one(types.pool).id);
                expect(role.inputs.description).to.not.include("acme-auth");
            }
            const attachment = run.one(types.roleAttachment);
            expect(Object.keys(attachment.inputs).sort()).to.deep.equal(["identityPoolId", "roles"]);
            expect(attachment.inputs.identityPoolId).to.equal(identityPoolId);
        });

        it("keeps every logical name, so none of the pool's, client's or identity side's resources needs an alias", async function () {
            const run = await runProgram({ ...users, userPoolName: "acme-auth", allowUnauthenticatedIdentities: true });
            const names = (type: string) => run.byType(type).map((r) => r.name);
            expect(names(types.pool)).to.deep.equal([`${projectName}-pool`]);
            expect(names(types.identityPool)).to.deep.equal([`${projectName}-identities`]);
            expect(names(types.roleAttachment)).to.deep.equal([`${projectName}-roles`]);
            for (const resource of [run.one(types.pool), run.one(types.client), ...identitySide(run)]) {
                expect(resource.options?.aliases, resource.name).to.equal(0);
            }
        });
    });

    describe("protect, per deletionProtection", function () {
        const protectedTypes = [types.pool, types.identityPool];

        for (const config of [{}, { deletionProtection: true }]) {
            it(`deletionProtection ${JSON.stringify(config)}: the user pool and identity pool are protected, AWS's protection is on`, async function () {
                const run = await runProgram({ ...users, ...config });
                expect(run.one(types.pool).inputs.deletionProtection).to.equal("ACTIVE");
                for (const type of protectedTypes) expect(run.one(type).options?.protect, type).to.equal(true);
            });
        }

        it("deletionProtection on: nothing else is protected (users follow the pool's id, which cannot change)", async function () {
            const run = await runProgram({ ...users, allowUnauthenticatedIdentities: true });
            const others = run.resources.filter((r) => r.urn && !protectedTypes.includes(r.type));
            expect(others.map((r) => r.type)).to.include.members([types.client, types.role, types.roleAttachment, types.group, types.user]);
            for (const resource of others) expect(resource.options?.protect, resource.name).to.equal(undefined);
        });

        it("deletionProtection false: protect is not sent (the engine then unprotects them), and AWS's protection is off", async function () {
            const run = await runProgram({ ...users, deletionProtection: false });
            expect(run.one(types.pool).inputs.deletionProtection).to.equal("INACTIVE");
            for (const resource of run.resources) expect(resource.options?.protect, resource.name).to.equal(undefined);
        });

        it("with an existing pool (userPoolId) nothing is protected", async function () {
            const run = await runProgram({ ...users, userPoolId: "ap-northeast-1_AbC123xyz" });
            expect(run.byType(types.pool)).to.deep.equal([]);
            expect(run.resources.length).to.be.greaterThan(1);
            for (const resource of run.resources) expect(resource.options?.protect, resource.name).to.equal(undefined);
        });
    });

    describe("the role attachment", function () {
        it("is deleted before it is replaced: deleting an attachment clears the identity pool's roles, so it must not run after the new one is made", async function () {
            // Guests on or off change its `roles`, which replaces it (terraform-provider-aws: ForceNew).
            for (const allowUnauthenticatedIdentities of [false, true]) {
                const run = await runProgram({ ...users, allowUnauthenticatedIdentities });
                expect(run.one(types.roleAttachment).options?.deleteBeforeReplace).to.equal(true);
            }
            const others = (await runProgram(users)).resources.filter((r) => r.urn && r.type !== types.roleAttachment);
            for (const resource of others) expect(resource.options?.deleteBeforeReplace, resource.name).to.equal(false);
        });
    });

    describe("the pool guard: a replacing change refused at preview with what would be lost", function () {
        const guarded: PoolGuardInputs = { userPoolName: "acme-auth", deletionProtection: true };

        it("is registered before both pools with the settings whose change replaces them, and both depend on it", async function () {
            const run = await runProgram({ ...users, userPoolName: "acme-auth" });
            const guard = run.one(types.guard);
            expect(guard.name).to.equal(`${projectName}-pool-guard`);
            expect(plain(guard.inputs)).to.deep.include({ userPoolName: "acme-auth", deletionProtection: true });
            expect(plain(guard.inputs)).to.not.have.property("identityPoolName");
            for (const pool of [run.one(types.pool), run.one(types.identityPool)])
                expect(pool.dependencies, pool.name).to.include(guard.urn);
            const named = await runProgram({ ...users, identityPoolName: "acme-ids", deletionProtection: false });
            expect(plain(named.one(types.guard).inputs)).to.deep.include({ identityPoolName: "acme-ids", deletionProtection: false });
            expect((await runProgram({ ...users, userPoolId: "ap-northeast-1_AbC123xyz" })).byType(types.guard)).to.deep.equal([]);
        });

        it("refuses a user pool rename while protection is on before or after it, naming both names, the loss and the way to do it", function () {
            for (const [before, after] of [
                [true, true],
                [true, false],
                [false, true],
            ]) {
                const refusal = replacementRefusal(
                    { ...guarded, deletionProtection: before },
                    { ...guarded, userPoolName: "acme-auth-2", deletionProtection: after },
                );
                expect(refusal, `protection ${before} -> ${after}`)
                    .to.be.a("string")
                    .and.include('renaming the user pool from "acme-auth" to "acme-auth-2" replaces it')
                    .and.include("every user in it")
                    .and.include("the app client gets a new id")
                    .and.include("pulumi config set deletionProtection false");
            }
        });

        it("lets everything through without protection, and any change that replaces nothing", function () {
            const off = { ...guarded, deletionProtection: false };
            expect(replacementRefusal(off, { ...off, userPoolName: "acme-auth-2", identityPoolName: "x" })).to.equal(undefined);
            expect(replacementRefusal(guarded, guarded)).to.equal(undefined);
            expect(replacementRefusal({}, guarded), "the first up (a new guard)").to.equal(undefined);
            expect(replacementRefusal(guarded, { ...guarded, deletionProtection: false }), "turning protection off alone").to.equal(
                undefined,
            );
            // Unset to set: the identity pool kept its stored name (ignoreChanges) and may already have this one.
            expect(replacementRefusal(guarded, { ...guarded, identityPoolName: "acme-ids" })).to.equal(undefined);
        });

        it("says both renames in one message, with the whole way to do it on purpose", function () {
            const named = { ...guarded, identityPoolName: "acme-ids" };
            const refusal = replacementRefusal(named, { ...named, userPoolName: "acme-auth-2", identityPoolName: "acme-ids-2" })!;
            expect(refusal).to.match(
                /^cognito-auth: renaming the user pool from .*the identity pool stays; and renaming the identity pool from "acme-ids"/,
            );
            expect(refusal).to.match(
                /\. Refused while deletionProtection is on, before anything is changed\. To do it on purpose: first turn protection off in a pulumi up of its own \(pulumi config set deletionProtection false, with the old name still set, then pulumi up\), then make the change and run pulumi up, then turn protection on again\. To keep the pool, set the old name again\.$/,
            );
        });

        it("the guard's provider: stores its inputs, reports a change only when one of them changes, refuses in diff", async function () {
            const provider = poolGuardProvider as Required<typeof poolGuardProvider>;
            expect(await provider.create(guarded)).to.deep.equal({ id: "pool-guard", outs: guarded });
            expect(await provider.update("pool-guard", guarded, { ...guarded, deletionProtection: false })).to.deep.equal({
                outs: { ...guarded, deletionProtection: false },
            });
            expect(await provider.diff("pool-guard", guarded, guarded)).to.deep.equal({ changes: false });
            for (const change of [{ deletionProtection: false }, { identityPoolName: "acme-ids" }]) {
                expect(await provider.diff("pool-guard", guarded, { ...guarded, ...change }), JSON.stringify(change)).to.deep.equal({
                    changes: true,
                });
            }
            const off = { ...guarded, deletionProtection: false };
            expect(await provider.diff("pool-guard", off, { ...off, userPoolName: "acme-auth-2" })).to.deep.equal({ changes: true });
            let refused: Error | undefined;
            await provider.diff("pool-guard", guarded, { ...guarded, userPoolName: "acme-auth-2" }).catch((err: Error) => (refused = err));
            expect(refused?.message).to.equal(replacementRefusal(guarded, { ...guarded, userPoolName: "acme-auth-2" }));
        });

        it("refuses a rename of an explicitly named identity pool while protection is on", function () {
            const named = { ...guarded, identityPoolName: "acme-ids" };
            expect(replacementRefusal(named, named), "the same name").to.equal(undefined);
            expect(replacementRefusal(named, { ...named, identityPoolName: "acme-ids-2" }))
                .to.include('renaming the identity pool from "acme-ids" to "acme-ids-2" replaces it: every identity id is lost')
                .and.not.include("user pool from");
        });
    });
});
