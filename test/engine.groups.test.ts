// Groups under the real Pulumi engine, with the stand-in aws plugin (harness/awsStandIn) making,
// updating and deleting each UserGroup in cognito-local (AWS_STANDIN_COGNITO_ENDPOINT), so that
// Cognito's own answer for a group and for each user's memberships is what is checked. Existing-pool
// mode: a group's description, precedence and roleArn reach the group, users are in exactly their
// groups, a new precedence is an update in place, a removed membership is removed, a group with a
// role but no precedence is refused before anything is made. Created-pool mode: a group's
// policyArns make a role (namePrefix) and its attachment, the group takes its ARN, the identity
// pool maps roles by token, and removing the role updates the attachment only. The stand-in is
// not AWS: what @pulumi/aws makes of these inputs is test/features.test.ts's (mocks). Skipped, with
// one line saying why, when no CLI is found.

import { expect } from "chai";
import * as crypto from "crypto";
import { AdminListGroupsForUserCommand, GetGroupCommand, ListGroupsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { standInEnv } from "../harness/awsStandIn";
import { cognitoEndpointVariable } from "../harness/awsStandIn/provider";
import { createPoolWithClient, signIn } from "../harness/cognitoLocal";
import { CommandResult, EngineProject, createEngineProject, existingPoolSuite, findPulumi } from "../harness/engine";
import { expectNoLeak } from "../harness/leaks";
import { unknownValue } from "../harness/users";

const adminsRole = "arn:aws:iam::123456789012:role/admins";
const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** The steps of `pulumi preview --json` that are not "same": `<op> <resource name> [<changed keys>]`. */
function changes(result: CommandResult): string[] {
    return (JSON.parse(result.stdout).steps ?? [])
        .filter((step: any) => step.op !== "same")
        .map((step: any) => {
            // The aws plugin names the changed properties (diffReasons); for the users' dynamic provider, which
            // names none, the inputs that differ.
            const [olds, news] = [step.oldState?.inputs ?? {}, step.newState?.inputs ?? {}];
            const differ = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
                (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
            );
            const keys: string[] = step.diffReasons?.length ? step.diffReasons : step.op === "update" ? differ.sort() : [];
            return `${step.op} ${step.urn.split("::").pop()}${keys.length > 0 ? ` [${keys.join(", ")}]` : ""}`;
        })
        .sort();
}
/** The new inputs a preview plans for the resource named `name`. */
function planned(result: CommandResult, name: string): Record<string, any> {
    const step = (JSON.parse(result.stdout).steps ?? []).find((s: any) => s.urn.endsWith(`::${name}`));
    expect(step, `a step for ${name}`).to.not.equal(undefined);
    return step.newState.inputs;
}
async function resourcesOf(project: EngineProject): Promise<any[]> {
    return JSON.parse((await project.ok(["stack", "export"])).stdout).deployment.resources ?? [];
}

describe("the real Pulumi engine: groups in Cognito (the stand-in aws plugin's UserGroup makes them in cognito-local)", function () {
    this.timeout(900_000);
    const suite = existingPoolSuite("groups");
    const { cli } = findPulumi();
    const created: EngineProject[] = [];
    after(() => created.forEach((project) => project.remove()));

    const groupsOf = async (userPoolId: string, username: string) =>
        ((await suite.local.client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }))).Groups ?? [])
            .map((group) => group.GroupName)
            .sort();
    const groupIn = async (userPoolId: string, name: string) => {
        const { Group } = await suite.local.client.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: name }));
        return { Description: Group?.Description, Precedence: Group?.Precedence, RoleArn: Group?.RoleArn || undefined };
    };
    const groupNames = async (userPoolId: string) =>
        ((await suite.local.client.send(new ListGroupsCommand({ UserPoolId: userPoolId }))).Groups ?? []).map((g) => g.GroupName).sort();

    describe("existing-pool mode (cognito-auth:userPoolId)", () => {
        let project: EngineProject;
        let userPoolId: string;
        let clientId: string;
        const passwords: Record<string, string> = {};
        const secrets = () => Object.values(passwords);

        before(async () => {
            ({ project, userPoolId, clientId } = await suite.newStack());
            project.env.PATH = standInEnv(cli!).PATH;
            project.env[cognitoEndpointVariable] = suite.local.endpoint;
            for (const name of ["alice", "bob", "carol"]) passwords[name] = `Gr${name}-${crypto.randomBytes(5).toString("hex")}#Q7`;
            await project.ok([
                "config",
                "set-all",
                "--path",
                ...["--plaintext", "groups.admins.description=Administrators", "--plaintext", `groups.admins.roleArn=${adminsRole}`],
                ...["--plaintext", "users.alice.email=alice@example.com"],
                ...["--plaintext", "users.alice.groups[0]=admins", "--plaintext", "users.alice.groups[1]=staff"],
                ...["--plaintext", "users.bob.email=bob@example.com", "--plaintext", "users.bob.groups[0]=staff"],
                ...["--plaintext", "users.carol.email=carol@example.com"],
                ...Object.entries(passwords).flatMap(([name, password]) => ["--secret", `passwords.${name}=${password}`]),
            ]);
            await project.ok(["config", "set", "--path", "groups.admins.precedence", "1", "--type", "int"]);
            await project.ok(["config", "set", "--path", "groups.staff.precedence", "5", "--type", "int"]);
        });

        it("preview shows each group with its inputs and no password; up makes them with those fields and each user in exactly its groups; then no changes", async () => {
            const preview = await project.ok(["preview", "--json"]);
            expectNoLeak(preview.output, secrets(), "pulumi preview --json");
            expect(planned(preview, "cognito-auth-group-admins"), "admins").to.deep.equal({
                name: "admins",
                userPoolId,
                description: "Administrators",
                precedence: 1,
                roleArn: adminsRole,
            });
            expect(planned(preview, "cognito-auth-group-staff"), "staff").to.deep.equal({ name: "staff", userPoolId, precedence: 5 });
            expect(await groupNames(userPoolId), "a preview makes no group").to.deep.equal([]);
            const text = await project.ok(["preview"]);
            expectNoLeak(text.output, secrets(), "pulumi preview");
            expect(text.output).to.match(/\+\s+aws:cognito:UserGroup\s+cognito-auth-group-admins\s+create/);
            expect(text.output).to.match(/\+\s+aws:cognito:UserGroup\s+cognito-auth-group-staff\s+create/);

            const up = await project.ok(["up", "--yes", "--parallel", "1"]);
            expectNoLeak(up.output, secrets(), "pulumi up");
            expect(await groupNames(userPoolId)).to.deep.equal(["admins", "staff"]);
            expect(await groupIn(userPoolId, "admins"), "admins in Cognito").to.deep.equal({
                Description: "Administrators",
                Precedence: 1,
                RoleArn: adminsRole,
            });
            expect(await groupIn(userPoolId, "staff"), "staff in Cognito").to.deep.equal({
                Description: undefined,
                Precedence: 5,
                RoleArn: undefined,
            });
            expect(await groupsOf(userPoolId, "alice"), "alice").to.deep.equal(["admins", "staff"]);
            expect(await groupsOf(userPoolId, "bob"), "bob").to.deep.equal(["staff"]);
            expect(await groupsOf(userPoolId, "carol"), "carol").to.deep.equal([]);
            for (const [name, password] of Object.entries(passwords)) {
                expect(await signIn(suite.local, clientId, name, password), `${name} signs in`).to.equal(true);
            }
            await project.ok(["preview", "--expect-no-changes"]);
        });

        it("a new precedence is an update of the group in place; a group removed from a user removes the membership only", async () => {
            await project.ok(["config", "set", "--path", "groups.staff.precedence", "7", "--type", "int"]);
            await project.ok(["config", "rm", "--path", "users.alice.groups[1]"]);
            const preview = await project.ok(["preview", "--json"]);
            expectNoLeak(preview.output, secrets(), "pulumi preview --json");
            expect(changes(preview)).to.deep.equal([
                "update cognito-auth-group-staff [precedence]",
                "update cognito-auth-user-alice [groups]",
            ]);

            const up = await project.ok(["up", "--yes", "--parallel", "1"]);
            expectNoLeak(up.output, secrets(), "pulumi up");
            expect(up.output).to.match(/\b2 updated\b/);
            expect(up.output).to.not.match(/\b\d+ (created|deleted|replaced)\b/);
            expect(await groupIn(userPoolId, "staff"), "staff in Cognito").to.deep.equal({
                Description: undefined,
                Precedence: 7,
                RoleArn: undefined,
            });
            expect(await groupsOf(userPoolId, "alice"), "alice").to.deep.equal(["admins"]);
            expect(await groupsOf(userPoolId, "bob"), "bob").to.deep.equal(["staff"]);
            expect(await groupsOf(userPoolId, "carol"), "carol").to.deep.equal([]);
            expect(await signIn(suite.local, clientId, "alice", passwords.alice)).to.equal(true);
            await project.ok(["preview", "--expect-no-changes"]);
        });

        it("a group with a roleArn but no precedence: preview and up fail with the rule's message and make nothing", async () => {
            const before = JSON.stringify(await resourcesOf(project));
            const groupsBefore = await groupNames(userPoolId);
            await project.ok(["config", "set", "--path", "groups.auditors.roleArn", "arn:aws:iam::123456789012:role/auditors"]);
            for (const command of [["preview"], ["up", "--yes", "--parallel", "1"]]) {
                const result = await project.run(command);
                expectNoLeak(result.output, secrets(), `pulumi ${command[0]}`);
                expect(result.code, `pulumi ${command[0]} fails`).to.not.equal(0);
                expect(result.output).to.include(
                    "cognito-auth:groups.auditors: has a role but no precedence; set cognito-auth:groups.auditors.precedence (0 is the highest priority), so a user in several groups gets a known role",
                );
                expect(JSON.stringify(await resourcesOf(project)), `the stack after ${command[0]}`).to.equal(before);
                expect(await groupNames(userPoolId), `Cognito's groups after ${command[0]}`).to.deep.equal(groupsBefore);
            }
            await project.ok(["config", "rm", "--path", "groups.auditors"]);
            await project.ok(["preview", "--expect-no-changes"]);
        });
    });

    it("created-pool mode: a group's policyArns make a role (namePrefix) and its attachment, the group takes the role's ARN, roles map by token; groupRoleArns has it; removing it updates the attachment, not the identity pool", async () => {
        const poolName = `groups-${crypto.randomBytes(3).toString("hex")}`;
        const { userPoolId, clientId } = await createPoolWithClient(suite.local, poolName);
        const project = await createEngineProject(cli!, {
            ...suite.local.env,
            ...standInEnv(cli!, { [poolName]: userPoolId }),
            [cognitoEndpointVariable]: suite.local.endpoint,
        });
        created.push(project);
        const password = `Gr${crypto.randomBytes(5).toString("hex")}#Dana7`;
        await project.ok(["config", "set", "aws:region", "local"]);
        await project.ok([
            "config",
            "set-all",
            "--path",
            ...["--plaintext", `userPoolName=${poolName}`, "--plaintext", `groups.admins.policyArns[0]=${readOnly}`],
            ...["--plaintext", "users.dana.email=dana@example.com", "--plaintext", "users.dana.groups[0]=admins"],
            ...["--secret", `passwords.dana=${password}`],
        ]);
        await project.ok(["config", "set", "--path", "groups.admins.precedence", "1", "--type", "int"]);

        const preview = await project.ok(["preview", "--json"]);
        expectNoLeak(preview.output, [password], "pulumi preview --json");
        const role = planned(preview, "cognito-auth-group-admins-role");
        expect(role.namePrefix).to.equal("cognito-auth-admins-");
        expect(role, "no name: IAM's is made from the prefix at create").to.not.have.property("name");
        expect(planned(preview, "cognito-auth-group-admins-policy-0")).to.deep.equal({ role: unknownValue, policyArn: readOnly });
        const group = planned(preview, "cognito-auth-group-admins");
        expect(group, "the group, its role's ARN not known before the role is made").to.deep.equal({
            name: "admins",
            userPoolId: unknownValue,
            precedence: 1,
            roleArn: unknownValue,
        });
        const attachment = planned(preview, "cognito-auth-roles");
        expect(attachment.roleMappings, "roles by the token's preferred role").to.deep.equal([
            { identityProvider: unknownValue, type: "Token", ambiguousRoleResolution: "AuthenticatedRole" },
        ]);
        expect(changes(preview).filter((step) => !step.startsWith("create "))).to.deep.equal([]);

        const up = await project.ok(["up", "--yes", "--parallel", "1"]);
        expectNoLeak(up.output, [password], "pulumi up");
        const resources = await resourcesOf(project);
        const made = resources.find((r) => r.urn.endsWith("::cognito-auth-group-admins-role"));
        expect(made.outputs.name, "the prefix and 26 characters").to.match(/^cognito-auth-admins-\d{18}[0-9a-f]{8}$/);
        const outputs = JSON.parse((await project.ok(["stack", "output", "--json"])).stdout);
        expect(outputs.groupRoleArns).to.deep.equal({ admins: made.outputs.arn });
        expect(made.outputs.arn).to.equal(`arn:aws:iam::123456789012:role/${made.outputs.name}`);
        const policy = resources.find((r) => r.urn.endsWith("::cognito-auth-group-admins-policy-0"));
        expect(policy.inputs, "the policy attached to that role").to.deep.equal({ role: made.outputs.name, policyArn: readOnly });
        expect(await groupIn(userPoolId, "admins"), "admins in Cognito").to.deep.equal({
            Description: undefined,
            Precedence: 1,
            RoleArn: made.outputs.arn,
        });
        expect(await groupsOf(userPoolId, "dana")).to.deep.equal(["admins"]);
        expect(await signIn(suite.local, clientId, "dana", password)).to.equal(true);
        await project.ok(["preview", "--expect-no-changes"]);

        await project.ok(["config", "rm", "--path", "groups.admins.policyArns"]);
        const removal = await project.ok(["preview", "--json"]);
        expect(changes(removal)).to.deep.equal([
            "delete cognito-auth-group-admins-policy-0",
            "delete cognito-auth-group-admins-role",
            "update cognito-auth-group-admins [roleArn]",
            "update cognito-auth-roles [roleMappings]",
        ]);
        const removed = await project.ok(["up", "--yes", "--parallel", "1"]);
        expectNoLeak(removed.output, [password], "pulumi up");
        const identityPool = (list: any[]) => list.find((r) => r.type === "aws:cognito/identityPool:IdentityPool");
        expect(identityPool(await resourcesOf(project)).id, "the same identity pool").to.equal(identityPool(resources).id);
        expect(JSON.parse((await project.ok(["stack", "output", "--json"])).stdout)).to.not.have.property("groupRoleArns");
        expect(await groupIn(userPoolId, "admins"), "admins in Cognito, without the role").to.deep.equal({
            Description: undefined,
            Precedence: 1,
            RoleArn: undefined,
        });
        expect(await groupsOf(userPoolId, "dana")).to.deep.equal(["admins"]);
        await project.ok(["preview", "--expect-no-changes"]);
    });
});
