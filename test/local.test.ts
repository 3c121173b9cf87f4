// `npm run local` (scripts/local.ts): run for real, the way a new user would, in a fresh git clone
// of this repository's HEAD (its node_modules linked to this checkout's, so the user-provider
// loader resolves to this checkout's providers/). The Pulumi CLI is the one findPulumi picks,
// put first on PATH; the clone has no .pulumi-cli of its own. Skipped, with one line, without a CLI.
// Also the pure parts (arguments, generated passwords, redaction, table) without any process.

import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { passwordProblems } from "../providers/rules";
import { freePort, portInUse } from "../harness/ports";
import { processesIn } from "../harness/processes";
import { findPulumi, offlineEnv, projectRoot } from "../scripts/pulumiCli";
import { parseArgs } from "../scripts/local/args";
import { firstJsonValueEnd, repairDataFiles } from "../harness/emulator";
import { Redactor, table } from "../scripts/local/output";
import { configPath, generatePassword } from "../scripts/local/stack";

const yaml = require("js-yaml") as { load(text: string): unknown };

interface Run {
    code: number | null;
    output: string;
}

describe("npm run local: helpers", () => {
    it("repairs a cognito-local data file left by two overlapping writes, keeps the original, reports one beyond repair", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-local-data-"));
        try {
            fs.mkdirSync(path.join(dir, "db"));
            const long = JSON.stringify({ Users: { a: { Username: "a", Attributes: [{ Name: "x", Value: '}"{' }] }, b: {} } }, null, 2);
            const short = JSON.stringify({ Users: { a: { Username: "a", Attributes: [{ Name: "x", Value: '}"{' }] } } }, null, 2);
            // What fs.writeFile does when the shorter text is written over the longer one at once.
            fs.writeFileSync(path.join(dir, "db", "local_Pool1.json"), short + long.slice(short.length));
            fs.writeFileSync(path.join(dir, "db", "clients.json"), long);
            fs.writeFileSync(path.join(dir, "db", "local_Pool2.json"), "{ not json");
            expect(firstJsonValueEnd(short + "tail")).to.equal(short.length);
            expect(repairDataFiles(dir)).to.deep.equal({ repaired: ["local_Pool1.json"], unreadable: ["local_Pool2.json"] });
            expect(JSON.parse(fs.readFileSync(path.join(dir, "db", "local_Pool1.json"), "utf8"))).to.deep.equal(JSON.parse(short));
            expect(fs.readFileSync(path.join(dir, "db", "local_Pool1.json.damaged"), "utf8")).to.equal(short + long.slice(short.length));
            expect(fs.readFileSync(path.join(dir, "db", "clients.json"), "utf8")).to.equal(long);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("parses its arguments; --reset stands alone; bad ports and unknown flags are errors", () => {
        expect(parseArgs([])).to.deep.equal({ port: 9229, once: false, reset: false, help: false });
        expect(parseArgs(["--once", "--port", "9300"])).to.include({ port: 9300, once: true });
        expect(parseArgs(["--port=9301"])).to.include({ port: 9301 });
        expect(parseArgs(["--reset"])).to.include({ reset: true });
        for (const bad of [
            ["--port"],
            ["--port", "0"],
            ["--port", "70000"],
            ["--port", "x"],
            ["--reset", "--once"],
            ["--reset", "--port", "1"],
            ["--nope"],
            ["--once=yes"],
        ]) {
            expect(parseArgs(bad), bad.join(" ")).to.have.property("error");
        }
    });

    it("generates passwords that meet the product's default policy (and Cognito's)", () => {
        const policy = {
            minimumLength: 12,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: true,
            temporaryPasswordValidityDays: 7,
        };
        const seen = new Set<string>();
        for (let i = 0; i < 500; i++) {
            const password = generatePassword(i % 2 ? 12 : 20);
            expect(passwordProblems(password, policy, "johndoe"), password.length + " characters").to.deep.equal([]);
            expect(password).to.match(/^[A-Za-z0-9#%+\-.=@^_~]+$/);
            seen.add(password);
        }
        expect(seen.size).to.equal(500);
    });

    it("redacts known secrets, also split across chunks, and formats the table", () => {
        const redactor = new Redactor();
        redactor.add("S3cret-Pass#1");
        let out = "";
        const writer = redactor.lineWriter((t) => {
            out += t;
        }, "");
        writer.push("a S3cret-");
        writer.push("Pass#1 b\nsecond");
        writer.end();
        expect(out).to.equal("a [secret] b\nsecond\n");
        expect(
            table(
                ["user", "sign-in"],
                [
                    ["al", "ok"],
                    ["johndoe", "failed"],
                ],
            ),
        ).to.equal("user     sign-in\n-------  -------\nal       ok\njohndoe  failed\n");
        expect(configPath("passwords", "alice")).to.equal("passwords.alice");
        expect(configPath("passwords", "a.b")).to.equal('passwords["a.b"]');
    });
});

// The tests below share one clone and run in order: the first run makes the local stack, the
// second changes and reuses it, the last removes it.
describe("npm run local: in a fresh clone, with the real Pulumi CLI and cognito-local", function () {
    this.timeout(300_000);
    const { cli, reason } = findPulumi();
    let base: string;
    let clone: string;
    let env: NodeJS.ProcessEnv;
    let port: number;
    const devUsers = Object.keys(
        (yaml.load(fs.readFileSync(path.join(projectRoot, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, object> }).config[
            "cognito-auth:users"
        ] ?? {},
    );
    const outputs: string[] = [];
    const running: ChildProcess[] = [];

    /** `npm run local -- <args>` in the clone; never throws on a non-zero exit. */
    function local(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
        return new Promise((resolve, reject) => {
            const child = spawn("npm", ["run", "local", "--", ...args], {
                cwd: clone,
                env: options.env ?? env,
                stdio: ["ignore", "pipe", "pipe"],
                detached: true,
            });
            running.push(child);
            let output = "";
            child.stdout!.on("data", (c) => {
                output += c;
            });
            child.stderr!.on("data", (c) => {
                output += c;
            });
            const timer = setTimeout(() => {
                try {
                    process.kill(-child.pid!, "SIGKILL");
                } catch {
                    /* gone */
                }
            }, options.timeoutMs ?? 180_000);
            child.once("error", reject);
            child.once("close", (code) => {
                clearTimeout(timer);
                outputs.push(output);
                resolve({ code, output });
            });
        });
    }

    /** The Pulumi CLI on the clone's local stack, with the environment `npm run local` prints. */
    function pulumiInClone(args: string[]): string {
        const result = spawnSync(cli!, [...args, "--non-interactive"], {
            cwd: clone,
            encoding: "utf8",
            env: offlineEnv(cli!, {
                stateDir: path.join(clone, ".local", "state"),
                homeDir: path.join(clone, ".local", "home"),
                passphraseFile: path.join(clone, ".local", "passphrase"),
            }),
        });
        if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")}: ${result.stderr}`);
        return result.stdout;
    }

    /** The sign-in table's rows: user -> [sign-in, status]. */
    function signInTable(output: string): Map<string, [string, string]> {
        const lines = output.split("\n");
        const start = lines.findIndex((l) => /^user\s+sign-in\s+status$/.test(l));
        expect(start, `no sign-in table in:\n${output}`).to.be.greaterThan(-1);
        const rows = new Map<string, [string, string]>();
        for (const line of lines.slice(start + 2)) {
            if (line.trim() === "") break;
            const [user, signIn, ...status] = line.split(/\s{2,}/);
            rows.set(user, [signIn, status.join(" ")]);
        }
        return rows;
    }

    /** `git status` of the clone, but for the node_modules link the test made. */
    function gitStatus(): string[] {
        return spawnSync("git", ["-C", clone, "status", "--porcelain"], { encoding: "utf8" })
            .stdout.split("\n")
            .filter((l) => l !== "" && l !== "?? node_modules");
    }

    async function expectNothingLeft(): Promise<void> {
        expect(await portInUse(port), `something still listens on port ${port}`).to.equal(false);
        expect(processesIn(clone), "processes left running from the clone").to.deep.equal([]);
    }

    before(async function () {
        if (!cli) {
            console.log(`      npm run local tests skipped: ${reason}`);
            this.skip();
        }
        if (spawnSync("git", ["-C", projectRoot, "rev-parse", "HEAD"]).status !== 0) {
            console.log("      npm run local tests skipped: this checkout is not a git repository (they run in a fresh clone)");
            this.skip();
        }
        const changed = spawnSync(
            "git",
            ["-C", projectRoot, "status", "--porcelain", "--", "scripts/local.ts", "scripts/local", "scripts/pulumiCli.ts"],
            { encoding: "utf8" },
        )
            .stdout.split("\n")
            .filter((l) => l !== "")
            .map((l) => l.slice(3));
        if (changed.length > 0)
            console.log(`      note: npm run local is tested as committed (HEAD); not in the clone: ${changed.join(", ")}`);
        base = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-local-"));
        clone = path.join(base, "repo");
        const cloned = spawnSync("git", ["clone", "--quiet", projectRoot, clone], { encoding: "utf8" });
        if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(clone, "node_modules"), "dir");
        const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PULUMI_")));
        env = {
            ...inherited,
            PATH: path.isAbsolute(cli!) ? `${path.dirname(cli!)}${path.delimiter}${process.env.PATH}` : process.env.PATH,
        };
        port = await freePort();
    });

    after(() => {
        for (const child of running) {
            if (child.exitCode === null && child.signalCode === null)
                try {
                    process.kill(-child.pid!, "SIGKILL");
                } catch {
                    /* gone */
                }
        }
        if (base) fs.rmSync(base, { recursive: true, force: true });
    });

    it("--once: a real pulumi up signs in every user of Pulumi.dev.yaml, destroys, stops, leaves nothing running", async () => {
        const run = await local(["--once", "--port", String(port)]);
        expect(run.code, run.output).to.equal(0);
        const rows = signInTable(run.output);
        expect([...rows.keys()].sort()).to.deep.equal([...devUsers].sort());
        for (const user of devUsers) expect(rows.get(user), user).to.deep.equal(["ok", "CONFIRMED"]);
        expect(run.output).to.include(`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=http://127.0.0.1:${port}`);
        expect(run.output).to.match(/userPoolId {2}local_\w+/);
        expect(run.output).to.match(/clientId {4}\w+/);
        expect(run.output).to.include("pulumi config get --path passwords.");
        expect(run.output).to.match(/- \d+ deleted/);
        await expectNothingLeft();
        // Made on the first run, git-ignored; the passphrase readable only by its owner.
        expect(fs.statSync(path.join(clone, ".local", "passphrase")).mode & 0o777).to.equal(0o600);
        expect(gitStatus(), "git status in the clone").to.deep.equal([]);
        const config = fs.readFileSync(path.join(clone, "Pulumi.local.yaml"), "utf8");
        expect(config).to.include("aws:region: local").and.include("cognito-auth:userPoolId: local_");
        expect(config).not.to.match(/allowUnauthenticatedIdentities|deletionProtection/);
    });

    it("a user added with the printed command is applied on the next run; passwords are kept; Ctrl-C stops it cleanly", async () => {
        const before = fs.readFileSync(path.join(clone, "Pulumi.local.yaml"), "utf8");
        pulumiInClone(["config", "set", "--path", "users.alice.email", "alice@example.com", "-s", "local"]);
        const child = spawn("npm", ["run", "local", "--", "--port", String(port)], {
            cwd: clone,
            env,
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
        });
        running.push(child);
        let output = "";
        const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
        await new Promise<void>((resolve, reject) => {
            const onData = (c: Buffer) => {
                output += c;
                if (output.includes("press Ctrl-C to stop")) resolve();
            };
            child.stdout!.on("data", onData);
            child.stderr!.on("data", onData);
            exited.then((code) => reject(new Error(`npm run local exited (${code}) before serving:\n${output}`)));
        });
        const rows = signInTable(output);
        for (const user of [...devUsers, "alice"]) expect(rows.get(user), user).to.deep.equal(["ok", "CONFIRMED"]);
        expect(output).to.include("generated a password for alice").and.include("found again");
        // A terminal's Ctrl-C: SIGINT to the whole foreground group (npm forwards it too, so the
        // script gets it twice). npm itself then ends by that signal, not with the script's code.
        const signal = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, sig) => resolve(sig)));
        process.kill(-child.pid!, "SIGINT");
        const code = await exited;
        outputs.push(output);
        expect([code, await signal], output).to.satisfy(([c, s]: [number | null, string | null]) => c === 0 || s === "SIGINT");
        expect(output).to.include("SIGINT received: stopping").and.include("cognito-local stopped; its data is kept");
        expect(output).not.to.include("error:");
        await expectNothingLeft();
        expect(fs.readdirSync(path.join(clone, ".local", "cognito", ".cognito", "db")).some((f) => f.startsWith("local_"))).to.equal(true);
        // No password in anything either run printed (all of them are known now, alice's too).
        const config = JSON.parse(pulumiInClone(["config", "--show-secrets", "--json", "-s", "local"]));
        const passwords = Object.values(config["cognito-auth:passwords"].objectValue as Record<string, string>);
        expect(passwords).to.have.length(devUsers.length + 1);
        const printed = outputs.join("\n");
        expect(passwords.filter((p) => printed.includes(p)).length, "passwords found in the output").to.equal(0);
        // The first users' encrypted passwords are unchanged.
        const after = fs.readFileSync(path.join(clone, "Pulumi.local.yaml"), "utf8");
        for (const user of devUsers) {
            const secure = (text: string) => new RegExp(`\\n {4}${user}:\\n {6}secure: (\\S+)`).exec(text)?.[1];
            expect(secure(after), user).to.be.a("string").and.equal(secure(before));
        }
    });

    it("a port in use: says so and what to do, starts nothing", async () => {
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
        try {
            const run = await local(["--once", "--port", String(port)], { timeoutMs: 60_000 });
            expect(run.code).to.equal(1);
            expect(run.output).to.include(`port ${port} on 127.0.0.1 is already in use`).and.include("--port <n>");
        } finally {
            await new Promise((resolve) => server.close(resolve));
        }
        expect(processesIn(clone)).to.deep.equal([]);
    });

    it("without a Pulumi CLI or Go: says exactly what to install", async () => {
        // PATH with node, npm and sh (which npm runs scripts with) only.
        const bin = path.join(base, "bin");
        fs.mkdirSync(bin);
        fs.symlinkSync(process.execPath, path.join(bin, "node"));
        for (const tool of ["npm", "sh"]) {
            const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
            fs.symlinkSync(fs.realpathSync(found), path.join(bin, tool));
        }
        const run = await local(["--once", "--port", String(port)], { env: { ...env, PATH: bin }, timeoutMs: 60_000 });
        expect(run.code, run.output).to.equal(1);
        expect(run.output)
            .to.include("no Pulumi CLI")
            .and.include("https://www.pulumi.com/docs/iac/download-install/")
            .and.include("Go >= ");
        expect(processesIn(clone)).to.deep.equal([]);
    });

    it("--reset removes .local/ and Pulumi.local.yaml, and nothing else", async () => {
        fs.mkdirSync(path.join(clone, ".local", "cognito"), { recursive: true }); // there already after the runs above
        if (!fs.existsSync(path.join(clone, "Pulumi.local.yaml"))) fs.writeFileSync(path.join(clone, "Pulumi.local.yaml"), "config: {}\n");
        const run = await local(["--reset"], { timeoutMs: 60_000 });
        expect(run.code, run.output).to.equal(0);
        expect(run.output).to.include("removed .local/");
        expect(fs.existsSync(path.join(clone, ".local"))).to.equal(false);
        expect(fs.existsSync(path.join(clone, "Pulumi.local.yaml"))).to.equal(false);
        expect(fs.existsSync(path.join(clone, "Pulumi.dev.yaml"))).to.equal(true);
        expect(gitStatus(), "git status in the clone").to.deep.equal([]);
        const again = await local(["--reset"], { timeoutMs: 60_000 });
        expect(again.output).to.include("nothing to remove");
    });
});
