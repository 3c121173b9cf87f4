import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

// What the program loads on every command, in a fresh Node process as the SDK's runner starts it:
// with an existing pool and no groups, neither @pulumi/pulumi's index (the automation API and the
// closure serializer: 0.4-0.9 s) nor @pulumi/aws, which it declares nothing from
// (docs/benchmarks.md, "Start-up"). The runner itself loads only the SDK's runtime modules.

const root = path.resolve(__dirname, "..");

function modulesLoaded(config: Record<string, string>): { index: boolean; aws: boolean; resources: string[] } {
    const script = `
        const { setMocks } = require("@pulumi/pulumi/runtime/mocks");
        const { setAllConfig } = require("@pulumi/pulumi/runtime/config");
        const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings");
        const resources = [];
        setMocks({ newResource: (a) => { resources.push(a.type); return { id: a.name + "-id", state: { ...a.inputs, sub: "s", status: "CONFIRMED" } }; }, call: () => ({}) }, "cognito-auth", "dev", true);
        setAllConfig(${JSON.stringify(config)}, ["cognito-auth:passwords"]);
        require(${JSON.stringify(path.join(root, "lib", "typescript.js"))}).registerTypeScript(${JSON.stringify(root)});
        require(${JSON.stringify(path.join(root, "index.ts"))});
        waitForRPCs().then(() => {
            const loaded = Object.keys(require.cache);
            console.log(JSON.stringify({
                index: loaded.includes(require.resolve("@pulumi/pulumi")),
                aws: loaded.some((file) => file.includes("/node_modules/@pulumi/aws/")),
                resources,
            }));
        });`;
    const run = spawnSync(process.execPath, ["-e", script], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, NODE_NO_WARNINGS: "1" },
    });
    expect(run.status, run.stderr).to.equal(0);
    return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

const usersConfig = {
    "aws:region": "us-east-1",
    "cognito-auth:userPoolId": "us-east-1_AbC123xyz",
    "cognito-auth:users": JSON.stringify({ alice: { email: "alice@example.com" } }),
    "cognito-auth:passwords": JSON.stringify({ alice: "Alice#Secret-4217xq" }),
};

describe("start-up: what the program loads", function () {
    this.timeout(60_000);

    it("an existing pool without groups: neither @pulumi/pulumi's index nor @pulumi/aws", function () {
        const loaded = modulesLoaded(usersConfig);
        expect(loaded.resources.sort()).to.deep.equal([
            "cognito-auth:index:CognitoUsers",
            "pulumi-nodejs:dynamic/cognito-auth:CognitoUser",
        ]);
        expect(loaded.index, "@pulumi/pulumi's index").to.equal(false);
        expect(loaded.aws, "@pulumi/aws").to.equal(false);
    });

    it("with a group it loads @pulumi/aws, and a created pool everything (the check above can see them)", function () {
        const grouped = modulesLoaded({
            ...usersConfig,
            "cognito-auth:users": JSON.stringify({ alice: { email: "alice@example.com", groups: ["admins"] } }),
        });
        expect(grouped.resources).to.include("aws:cognito/userGroup:UserGroup");
        expect(grouped.aws).to.equal(true);
        const { "cognito-auth:userPoolId": _pool, ...created } = usersConfig;
        const all = modulesLoaded({ ...created, "aws:region": "us-east-1" });
        expect(all.resources).to.include("aws:cognito/userPool:UserPool");
        expect(all.index).to.equal(true);
        expect(all.aws).to.equal(true);
    });
});
