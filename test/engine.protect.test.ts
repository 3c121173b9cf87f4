// The two engine behaviours the component relies on to keep a rename from replacing anything
// (components/cognitoAuth.ts, README "Destroy"), shown with the real Pulumi CLI on a tiny program of
// its own: one dynamic resource standing in for the user pool, whose `name` forces a replacement as
// the AWS provider's pool name does. `protect` applies to any custom resource the same way, and the
// AWS provider plugin cannot be had here. Skipped, with one line saying why, when no CLI is found.
//   - protect: a change that would replace the resource fails at `pulumi preview` and `pulumi up`,
//     before anything is created; `pulumi destroy` fails too; turning it off with a `pulumi up`
//     (the README's `deletionProtection false`) unprotects it, after which both work.
//   - ignoreChanges: a changed input is not applied, so the stored name stays (identityPoolName).

import { expect } from "chai";
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findPulumi, killProcessesIn } from "../harness/engine";
import { offlineEnv, projectRoot } from "../scripts/pulumiCli";

const { cli, reason } = findPulumi();
const project = "protect-standin";

const program = `"use strict";
const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
// Each create and delete writes a line to the file named by the "log" input: what the engine did.
const provider = {
    async create(inputs) {
        require("fs").appendFileSync(inputs.log, "create " + inputs.name + "\\n");
        return { id: inputs.name, outs: inputs };
    },
    async diff(id, olds, news) {
        // Like the pool's name (ForceNew in the AWS provider): a new name is a new resource.
        const replaces = olds.name === news.name ? [] : ["name"];
        return { changes: replaces.length > 0, replaces };
    },
    async delete(id, props) {
        require("fs").appendFileSync(props.log, "delete " + id + "\\n");
    },
};
// As the component does: protect set only when on, unset otherwise.
const opts = {};
if (config.getBoolean("protect")) opts.protect = true;
// The component's own guard (components/poolGuard.ts), loaded from this repository, as the pools take it.
if (config.getBoolean("guard")) {
    require(${JSON.stringify(path.join(projectRoot, "lib", "typescript.js"))}).registerTypeScript(${JSON.stringify(projectRoot)});
    const { PoolGuard } = require(${JSON.stringify(path.join(projectRoot, "components", "poolGuard.ts"))});
    const guard = new PoolGuard("pool-guard", {
        userPoolName: config.require("name"),
        deletionProtection: Boolean(config.getBoolean("protect")),
    });
    opts.dependsOn = [guard];
}
if (config.getBoolean("ignoreName")) opts.ignoreChanges = ["name"];
const pool = new pulumi.dynamic.Resource(provider, "pool", { name: config.require("name"), log: config.require("log") }, opts);
// Like a user in the pool: unprotected, deleted before the pool.
if (config.getBoolean("withUser")) new pulumi.dynamic.Resource(provider, "user", { name: "user-1", log: config.require("log") }, { dependsOn: [pool] });
`;

interface Result {
    code: number | null;
    output: string;
}

/** Output with every run of whitespace as one space: the CLI wraps long messages. */
const flat = (text: string) => text.replace(/\s+/g, " ");

describe("the real Pulumi engine: protect and ignoreChanges on a replaced resource (a stand-in program)", function () {
    this.timeout(600_000);
    let dir: string;
    let env: Record<string, string>;

    before(function () {
        if (!cli) {
            console.log(`      engine tests skipped: ${reason}`);
            this.skip();
        }
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-protect-"));
        const projectDir = path.join(dir, "project");
        fs.mkdirSync(projectDir);
        fs.mkdirSync(path.join(dir, "state"));
        fs.writeFileSync(
            path.join(projectDir, "Pulumi.yaml"),
            `name: ${project}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
        );
        fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: project, main: "index.js" }));
        fs.writeFileSync(path.join(projectDir, "index.js"), program);
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(projectDir, "node_modules"), "dir");
        env = offlineEnv(cli!, {
            stateDir: path.join(dir, "state"),
            homeDir: path.join(dir, "home"),
            passphrase: crypto.randomBytes(12).toString("hex"),
        });
    });
    after(() => {
        if (!dir) return;
        killProcessesIn(path.join(dir, "project"));
        fs.rmSync(dir, { recursive: true, force: true });
    });

    function pulumi(args: string[]): Promise<Result> {
        return new Promise((resolve, reject) => {
            const child = spawn(cli!, [...args, "--non-interactive", "--color", "never"], {
                cwd: path.join(dir, "project"),
                env,
                stdio: ["ignore", "pipe", "pipe"],
            });
            let output = "";
            child.stdout!.on("data", (chunk) => (output += chunk));
            child.stderr!.on("data", (chunk) => (output += chunk));
            child.on("error", reject);
            child.on("close", (code) => resolve({ code, output }));
        });
    }
    async function ok(args: string[]): Promise<Result> {
        const result = await pulumi(args);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-4000)}`);
        return result;
    }
    async function fails(args: string[]): Promise<Result> {
        const result = await pulumi(args);
        expect(result.code, `pulumi ${args.join(" ")} should fail:\n${result.output}`).to.not.equal(0);
        return result;
    }

    /** A new stack, its call log, and a reader of its one resource's state. */
    async function newStack(config: Record<string, string>) {
        const stack = `protect-${crypto.randomBytes(3).toString("hex")}`;
        const log = path.join(dir, `${stack}.log`);
        fs.writeFileSync(log, "");
        await ok(["stack", "init", stack, "--secrets-provider", "passphrase"]);
        await set({ ...config, log });
        const urn = `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic:Resource::pool`;
        return {
            stack,
            urn,
            calls: () => fs.readFileSync(log, "utf8"),
            async state() {
                const exported = JSON.parse((await ok(["stack", "export"])).output);
                const resource = exported.deployment.resources.find((r: { urn: string }) => r.urn === urn);
                return resource ? { name: resource.inputs.name, protect: Boolean(resource.protect) } : undefined;
            },
        };
    }
    async function set(config: Record<string, string>) {
        for (const [key, value] of Object.entries(config)) await ok(["config", "set", key, value]);
    }

    it("protect: a replace fails at preview and up before anything is created, destroy fails; protect off plus an up makes both work", async function () {
        const s = await newStack({ name: "pool-a", protect: "true" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\n");
        expect(await s.state()).to.deep.equal({ name: "pool-a", protect: true });

        // The message pulumi/pulumi's step generator (pkg/resource/deploy/step_generator.go) gives.
        const refusal =
            `unable to replace resource "${s.urn}" as it is currently marked for protection. ` +
            "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`";
        await set({ name: "pool-b" });
        const preview = await fails(["preview"]);
        expect(flat(preview.output)).to.include(refusal);
        const up = await fails(["up", "--yes"]);
        expect(flat(up.output)).to.include(refusal);
        expect(s.calls(), "nothing created or deleted").to.equal("create pool-a\n");
        expect(await s.state()).to.deep.equal({ name: "pool-a", protect: true });

        const destroy = await fails(["destroy", "--yes"]);
        expect(flat(destroy.output)).to.include(`resource "${s.urn}" cannot be deleted because it is protected.`);
        expect(s.calls(), "nothing deleted").to.equal("create pool-a\n");

        // On purpose: the old name back, protection off, `pulumi up` (changes nothing but the state's flag) ...
        await set({ name: "pool-a", protect: "false" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\n");
        expect(await s.state()).to.deep.equal({ name: "pool-a", protect: false });
        // ... then the rename replaces it, and destroy deletes.
        await set({ name: "pool-b" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\ncreate pool-b\ndelete pool-a\n");
        await ok(["destroy", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\ncreate pool-b\ndelete pool-a\ndelete pool-b\n");
        await ok(["stack", "rm", "--yes"]);
    });

    it("the pool guard: a rename while protected fails at preview and up with what would be lost, also when protection is turned off in the same up; in two ups it works", async function () {
        const s = await newStack({ name: "pool-a", protect: "true", guard: "true" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\n");
        const refusal = 'cognito-auth: renaming the user pool from "pool-a" to "pool-b" replaces it: a new, empty pool is made';
        await set({ name: "pool-b" });
        const preview = await fails(["preview"]);
        expect(flat(preview.output)).to.include(refusal).and.include("pulumi config set deletionProtection false");
        expect(flat(preview.output), "the guard speaks before the engine's protect").to.not.include("marked for protection");
        await set({ protect: "false" });
        const up = await fails(["up", "--yes"]);
        expect(flat(up.output), "protection off in the same up").to.include(refusal);
        expect(s.calls(), "nothing created or deleted").to.equal("create pool-a\n");
        expect(await s.state()).to.deep.equal({ name: "pool-a", protect: true });

        // On purpose, as the message says: protection off with the old name, up; then the rename.
        await set({ name: "pool-a" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\n");
        await set({ name: "pool-b" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\ncreate pool-b\ndelete pool-a\n");
        await ok(["destroy", "--yes"]);
        await ok(["stack", "rm", "--yes"]);
    });

    it("protect: destroy deletes nothing, not even an unprotected resource that would go first (the refusal comes from destroy's preview)", async function () {
        const s = await newStack({ name: "pool-a", protect: "true", withUser: "true" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\ncreate user-1\n");
        const destroy = await fails(["destroy", "--yes"]);
        expect(flat(destroy.output)).to.include(`Preview failed: resource "${s.urn}" cannot be deleted because it is protected.`);
        expect(s.calls(), "nothing deleted").to.equal("create pool-a\ncreate user-1\n");
        await set({ protect: "false" });
        await ok(["up", "--yes"]);
        await ok(["destroy", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\ncreate user-1\ndelete user-1\ndelete pool-a\n");
        await ok(["stack", "rm", "--yes"]);
    });

    it("protect turned off and a rename in the same up: the engine replaces it (so the README says: protection off first)", async function () {
        const s = await newStack({ name: "pool-a", protect: "true" });
        await ok(["up", "--yes"]);
        await set({ name: "pool-b", protect: "false" });
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\ncreate pool-b\ndelete pool-a\n");
        await ok(["destroy", "--yes"]);
        await ok(["stack", "rm", "--yes"]);
    });

    it("protect added to a resource made without it (an upgrade): the first up only records it; a rename in that same up is not refused", async function () {
        const s = await newStack({ name: "pool-a", protect: "false" });
        await ok(["up", "--yes"]);
        await set({ protect: "true" });
        const preview = await ok(["preview"]);
        expect(preview.output).to.match(/pulumi-nodejs:dynamic:Resource\s+pool\s+\[diff: ~protect\]/);
        expect(preview.output).to.match(/Resources:\s+2 unchanged/);
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\n");
        expect(await s.state()).to.deep.equal({ name: "pool-a", protect: true });
        await set({ protect: "false" });
        await ok(["up", "--yes"]);
        await ok(["destroy", "--yes"]);
        await ok(["stack", "rm", "--yes"]);

        // The engine refuses a replace only when the stored state is protected too.
        const t = await newStack({ name: "pool-a", protect: "false" });
        await ok(["up", "--yes"]);
        await set({ name: "pool-b", protect: "true" });
        expect((await ok(["preview"])).output).to.match(/\+-\s+pulumi-nodejs:dynamic:Resource\s+pool\s+replace \[diff: ~name,protect\]/);
        expect(t.calls()).to.equal("create pool-a\n");
        await ok(["stack", "rm", "--yes", "--force"]);
    });

    it("the identity pool's upgrade: a new default name together with ignoreChanges and protect shows only [diff: ~protect] and replaces nothing", async function () {
        // As a stack made by an earlier version with a custom userPoolName: stored "<that name>-identities".
        const s = await newStack({ name: "acme-auth-identities" });
        await ok(["up", "--yes"]);
        await set({ name: "cognito-auth-dev-identities", ignoreName: "true", protect: "true" });
        const preview = await ok(["preview"]);
        expect(preview.output).to.match(/pulumi-nodejs:dynamic:Resource\s+pool\s+\[diff: ~protect\]/);
        expect(preview.output).to.match(/Resources:\s+2 unchanged/);
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create acme-auth-identities\n");
        expect(await s.state()).to.deep.equal({ name: "acme-auth-identities", protect: true });
        await set({ protect: "false" });
        await ok(["up", "--yes"]);
        await ok(["destroy", "--yes"]);
        await ok(["stack", "rm", "--yes"]);
    });

    it("ignoreChanges: a changed name is not applied and nothing is replaced; without it the same change is a replace", async function () {
        const s = await newStack({ name: "pool-a", ignoreName: "true" });
        await ok(["up", "--yes"]);
        await set({ name: "pool-b" });
        const preview = await ok(["preview"]);
        expect(preview.output).to.not.match(/replace/i);
        await ok(["up", "--yes"]);
        expect(s.calls()).to.equal("create pool-a\n");
        expect(await s.state()).to.deep.equal({ name: "pool-a", protect: false });

        await set({ ignoreName: "false" });
        expect((await ok(["preview"])).output).to.match(/\+-\s+pulumi-nodejs:dynamic:Resource\s+pool\s+replace/);
        await ok(["destroy", "--yes"]);
        await ok(["stack", "rm", "--yes"]);
    });
});
