// The upgrade promise, with the real Pulumi engine in existing-pool mode against cognito-local: a
// stack made by the released version (harness/baseline.ts, `baselineCommit`) and then driven by
// the work tree's code sees no create, delete, replace or update, and Cognito's users stay exactly
// as they were. Skipped, with one line saying why, when no CLI is found; FAILS when the baseline
// commit is not in the clone (a shallow clone), saying how to fetch it.

import { expect } from "chai";
import * as crypto from "crypto";
import { AdminGetUserCommand, AdminListGroupsForUserCommand, CreateGroupCommand } from "@aws-sdk/client-cognito-identity-provider";
import { standInEnv } from "../harness/awsStandIn";
import { baselineCommit, createBaselineProject } from "../harness/baseline";
import { signIn } from "../harness/cognitoLocal";
import { CommandResult, EngineProject, ExistingPoolStack, existingPoolSuite, findPulumi } from "../harness/engine";
import { expectNoLeak } from "../harness/leaks";
import { userType } from "../harness/users";

/** The lines of a preview or up that name a step other than "same", and its summary: what a failure shows. */
function changeLines(result: CommandResult): string {
    const lines = result.output
        .split("\n")
        .filter((line) =>
            /^\s*[+~-]|\+-|-\+|\b(create|created|delete|deleted|replace|replaced|update|updated)\b|^\s*\[urn=|^\s*error/i.test(line),
        );
    const diagnostics = result.output.indexOf("Diagnostics:");
    return (
        [...lines, ...(diagnostics >= 0 ? [result.output.slice(diagnostics, diagnostics + 4000)] : [])].join("\n") ||
        result.output.slice(-4000)
    );
}

describe("the real Pulumi engine: a stack made by the released version upgrades with no change (existing-pool mode)", function () {
    this.timeout(600_000);
    const suite = existingPoolSuite("upgrade");
    const baselines: EngineProject[] = [];
    after(() => {
        for (const project of baselines) project.remove();
    });

    interface UserConfig {
        email: string;
        enabled?: boolean;
        attributes?: Record<string, string>;
        groups?: string[];
    }
    const passwords: string[] = [];

    /** What Cognito answers for a user (AdminGetUser: attributes, status, enabled, dates; and its groups), without request metadata. */
    async function snapshot(userPoolId: string, username: string): Promise<string> {
        const { $metadata: _user, ...user } = await suite.local.client.send(
            new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
        );
        const { $metadata: _groups, ...groups } = await suite.local.client.send(
            new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }),
        );
        return JSON.stringify({ user, groups });
    }
    /** The stack's resources as `stack export` lists them: how many, and each custom resource by type and id (users, groups, providers). */
    async function deployment(project: EngineProject) {
        const exported = JSON.parse((await project.ok(["stack", "export"])).stdout);
        const resources: any[] = exported.deployment.resources ?? [];
        return {
            count: resources.length,
            byId: resources
                .filter((r) => r.id !== undefined)
                .map((r) => `${r.type} ${r.id}`)
                .sort(),
            users: resources
                .filter((r) => r.type === userType)
                .map((r) => r.outputs.username)
                .sort(),
        };
    }

    /**
     * The baseline's `pulumi up` makes the users; then the work tree's code, on the same stack:
     * preview with --expect-no-changes, up with --expect-no-changes and a summary of only
     * "unchanged", each user byte for byte as before and signing in, the same resources in state.
     */
    async function upgrade(users: Record<string, UserConfig>, prepare: (stack: ExistingPoolStack) => Promise<void> = async () => {}) {
        const { cli } = findPulumi();
        const stack = await suite.newStack();
        const { project, userPoolId, clientId } = stack;
        await prepare(stack);
        const password: Record<string, string> = {};
        const settings: string[] = [];
        for (const [name, user] of Object.entries(users)) {
            password[name] = `Up${name}-${crypto.randomBytes(5).toString("hex")}#Q7`;
            passwords.push(password[name]);
            settings.push("--plaintext", `users.${name}.email=${user.email}`);
            if (user.enabled !== undefined) settings.push("--plaintext", `users.${name}.enabled=${user.enabled}`);
            for (const [key, value] of Object.entries(user.attributes ?? {}))
                settings.push("--plaintext", `users.${name}.attributes.${key}=${value}`);
            (user.groups ?? []).forEach((group, i) => settings.push("--plaintext", `users.${name}.groups[${i}]=${group}`));
            settings.push("--secret", `passwords.${name}=${password[name]}`);
        }
        await project.ok(["config", "set-all", "--path", ...settings]);

        // The released code makes the stack; the work tree's project drives the same stack afterwards.
        const baseline = await createBaselineProject(cli!, project);
        baselines.push(baseline);
        const made = await baseline.ok(["up", "--yes", "--parallel", "1"]);
        expectNoLeak(made.output, passwords, "pulumi up (baseline)");
        const before: Record<string, string> = {};
        for (const name of Object.keys(users)) before[name] = await snapshot(userPoolId, name);
        const exportedBefore = await deployment(baseline);
        expect(exportedBefore.users, "the baseline made every user").to.deep.equal(Object.keys(users).sort());

        const preview = await project.run(["preview", "--expect-no-changes", "--diff"]);
        expectNoLeak(preview.output, passwords, "pulumi preview");
        expect(preview.code, `preview after the upgrade shows changes:\n${changeLines(preview)}`).to.equal(0);

        const up = await project.run(["up", "--yes", "--expect-no-changes", "--parallel", "1"]);
        expectNoLeak(up.output, passwords, "pulumi up");
        const upLines = `up after the upgrade:\n${changeLines(up)}`;
        expect(up.code, upLines).to.equal(0);
        expect(up.output, upLines).to.match(/Resources:\s*\n\s*\d+ unchanged\s*\n/);
        expect(up.output, upLines).to.not.match(/\b\d+ (to )?(create|created|delete|deleted|replace|replaced|update|updated)\b/);

        for (const name of Object.keys(users)) {
            expect(await snapshot(userPoolId, name), `AdminGetUser and groups of ${name} after the upgrade`).to.equal(before[name]);
        }
        // cognito-local's InitiateAuth ignores Enabled, so a disabled user too shows that the password is still the user's.
        for (const name of Object.keys(users)) {
            expect(await signIn(suite.local, clientId, name, password[name]), `${name} signs in with the password`).to.equal(true);
        }
        expect(await deployment(project), "the stack's resources after the upgrade").to.deep.equal(exportedBefore);
        return { before, exported: exportedBefore };
    }

    it(`users made by ${baselineCommit.slice(0, 7)} (mixed-case, disabled, attributes): preview --expect-no-changes passes, up changes nothing, each user is byte for byte as before and signs in`, async () => {
        const { before } = await upgrade({
            JohnDoe: { email: "john@example.com" },
            bob: { email: "bob@example.com", enabled: false },
            carol: { email: "carol@example.com", attributes: { name: "Carol Example", family_name: "Example" } },
        });
        expect(JSON.parse(before.bob).user.Enabled, "bob is disabled").to.equal(false);
        expect(before.carol).to.include("Carol Example");
    });

    it(`a user in a group (an aws UserGroup, the stand-in aws plugin) made by ${baselineCommit.slice(0, 7)}: no change either`, async () => {
        const { cli } = findPulumi();
        const { before, exported } = await upgrade(
            { dana: { email: "dana@example.com", groups: ["admins"] }, erin: { email: "erin@example.com" } },
            async ({ project, userPoolId }) => {
                // The stand-in's UserGroup makes nothing; the users' provider adds dana to the group in the pool.
                await suite.local.client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "admins" }));
                project.env.PATH = standInEnv(cli!).PATH;
            },
        );
        expect(
            JSON.parse(before.dana).groups.Groups.map((g: any) => g.GroupName),
            "dana is in admins",
        ).to.deep.equal(["admins"]);
        expect(
            exported.byId.filter((r) => r.startsWith("aws:cognito/userGroup:UserGroup ")),
            "the stack has the group",
        ).to.have.length(1);
    });
});
