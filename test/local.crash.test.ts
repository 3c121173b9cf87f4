// `npm run local`'s lock and its recovery after a crash, with real processes. First the lock
// itself (scripts/local/lock.ts) in processes that race for it; then `npm run local` for real in
// a fresh git clone of HEAD with the real Pulumi CLI, as test/local.test.ts runs it: two runs at
// the same moment, and a run SIGKILLed while `pulumi up` creates users, followed by a --once run.

import {
    AdminCreateUserCommand,
    CognitoIdentityProviderClient,
    ListUserPoolsCommand,
    ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort, portInUse } from "../harness/ports";
import { processesIn } from "../harness/processes";
import { expectNoLeak } from "../harness/leaks";
import { findPulumi, offlineEnv, projectRoot } from "../scripts/pulumiCli";
import { upFailure } from "../scripts/local/failures";
import { Locked, takeLock } from "../scripts/local/lock";
import { localPaths } from "../scripts/local/paths";
import { commandLine, descendants, isRunning, startTime } from "../scripts/local/processes";

interface Race {
    pid: number;
    won: boolean;
    holder?: number;
    stale?: number;
}

/**
 * `count` node processes that call takeLock on `root` at the same moment: each loads the lock module,
 * says it is ready, and takes the lock when told to go (all are told at once, after all are ready);
 * the winner holds it until every racer has answered, so however loaded the machine, no racer can
 * come after the winner let go.
 */
async function race(root: string, count: number): Promise<Race[]> {
    const script = `
        require("ts-node").register({ transpileOnly: true });
        const { takeLock, Locked } = require(${JSON.stringify(path.join(projectRoot, "scripts/local/lock.ts"))});
        const { localPaths } = require(${JSON.stringify(path.join(projectRoot, "scripts/local/paths.ts"))});
        let lock;
        process.stdin.once("data", () => {
            try {
                lock = takeLock(localPaths(${JSON.stringify(root)}));
                console.log(JSON.stringify({ pid: process.pid, won: true, stale: lock.stale && lock.stale.pid }));
            } catch (err) {
                if (!(err instanceof Locked)) throw err;
                console.log(JSON.stringify({ pid: process.pid, won: false, holder: err.holder.pid }));
            }
            process.stdin.once("end", () => lock && lock.release());
            process.stdin.resume();
        });
        console.log("ready");`;
    const racers = Array.from({ length: count }, () => {
        const child = spawn(process.execPath, ["-e", script], { cwd: projectRoot, stdio: ["pipe", "pipe", "inherit"] });
        let out = "";
        const waiting: (() => void)[] = [];
        child.stdout!.on("data", (c) => {
            out += c;
            waiting.forEach((look) => look());
        });
        /** The racer's line `n` once it is complete. */
        const line = (n: number) =>
            new Promise<string>((resolve, reject) => {
                const look = () => {
                    const lines = out.split("\n");
                    if (lines.length > n + 1) resolve(lines[n]);
                };
                waiting.push(look);
                child.once("close", (code) => reject(new Error(`racer exited ${code}: ${out}`)));
                look();
            });
        const closed = new Promise<void>((resolve, reject) =>
            child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`racer exited ${code}: ${out}`)))),
        );
        return { child, ready: line(0), result: line(1), closed };
    });
    await Promise.all(racers.map((racer) => racer.ready));
    for (const racer of racers) racer.child.stdin!.write("go\n");
    const results = await Promise.all(
        racers.map(async (racer) => {
            const text = await racer.result;
            try {
                return JSON.parse(text) as Race;
            } catch {
                throw new Error(`racer said ${JSON.stringify(text)}`);
            }
        }),
    );
    for (const racer of racers) racer.child.stdin!.end();
    await Promise.all(racers.map((racer) => racer.closed));
    return results;
}

describe("npm run local: the lock (real processes)", function () {
    this.timeout(120_000);
    let root: string;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-lock-"));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    for (const before of ["no lock file", "a stale run.pid naming pid 1"]) {
        it(`of 6 processes that take it at the same moment exactly one gets it, the others name its pid (${before})`, async () => {
            const paths = localPaths(root);
            if (before !== "no lock file") {
                fs.mkdirSync(paths.dir);
                fs.writeFileSync(paths.lock, "1\n");
            }
            const results = await race(root, 6);
            const winners = results.filter((r) => r.won);
            expect(winners, JSON.stringify(results)).to.have.length(1);
            for (const loser of results.filter((r) => !r.won)) expect(loser.holder, JSON.stringify(results)).to.equal(winners[0].pid);
            if (before !== "no lock file") expect(winners[0].stale).to.equal(1);
            expect(fs.readdirSync(paths.dir), "no temporary or break files left").to.deep.equal([]);
        });
    }

    it("a run.pid naming pid 1 (whose command line holds 'local' here) or a live unrelated 'local' process is stale; a live run is not", async () => {
        const paths = localPaths(root);
        fs.mkdirSync(paths.dir);
        if (!commandLine(1).includes("local")) console.log(`      note: pid 1 here is ${JSON.stringify(commandLine(1))}, without "local"`);
        // An unrelated live process whose command line says "local" (and even scripts/local.ts).
        const stranger = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)", "scripts/local.ts", "--local"], { cwd: root });
        try {
            await new Promise((resolve) => stranger.once("spawn", resolve));
            const records = [
                "1\n", // an earlier version's lock: only a pid
                JSON.stringify({ pid: 1, start: String(Number(startTime(1)) + 1), token: "t", startedAt: "" }), // pid 1, started at another time
                JSON.stringify({ pid: stranger.pid, start: "1", token: "t", startedAt: "" }), // a pid taken since by a 'local' stranger
            ];
            for (const record of records) {
                fs.writeFileSync(paths.lock, record);
                const lock = takeLock(paths);
                expect(lock.stale?.pid, record).to.be.oneOf([1, stranger.pid]);
                expect(JSON.parse(fs.readFileSync(paths.lock, "utf8")).pid).to.equal(process.pid);
                lock.release();
                expect(fs.existsSync(paths.lock)).to.equal(false);
            }
            expect(isRunning(stranger.pid!), "the stranger is never signalled").to.equal(true);
            // A live holder, recorded with its real start time: Locked, naming it; the lock file is left as it was.
            const live = JSON.stringify({
                pid: stranger.pid,
                start: startTime(stranger.pid!),
                token: "t",
                startedAt: "2026-01-01T00:00:00Z",
            });
            fs.writeFileSync(paths.lock, live);
            expect(() => takeLock(paths))
                .to.throw(Locked)
                .with.property("message")
                .that.includes(`already running on this folder (pid ${stranger.pid}`);
            expect(fs.readFileSync(paths.lock, "utf8")).to.equal(live);
        } finally {
            stranger.kill("SIGKILL");
        }
    });

    it("a failed pulumi up says why: 'already exists' names the users and the pasteable fix; anything else no 'Fix the local stack's config'", () => {
        const paths = localPaths("/tmp/it's here");
        const exists = upFailure(
            { code: 1, signal: null, stdout: "", output: 'error: Cognito user "u 1" already exists in user pool local_x ... interrupted' },
            "/opt/pulumi dir/pulumi",
            paths,
        );
        expect(exists).to.include("user(s) u 1 exist in cognito-local's pool but not in the local stack's state");
        expect(exists).to.include(
            `PULUMI_BACKEND_URL='file:///tmp/it'\\''s here/.local/state' PULUMI_CONFIG_PASSPHRASE_FILE='/tmp/it'\\''s here/.local/passphrase'`,
        );
        expect(exists).to.include("config set cognito-auth:adoptExistingUsers true -s local");
        const other = upFailure({ code: 1, signal: null, stdout: "", output: "error: something else" }, "pulumi", paths);
        expect(other).to.include("its output above says why").and.not.include("Fix the local stack's config");
    });
});

describe("npm run local after a crash: in a fresh clone, with the real Pulumi CLI and cognito-local", function () {
    this.timeout(600_000);
    const { cli, reason } = findPulumi();
    const count = 30;
    const users = Array.from({ length: count }, (_, i) => `crash${String(i).padStart(2, "0")}`);
    const passwords = new Map(users.map((u, i) => [u, `Crash-${i}-${Math.random().toString(36).slice(2, 10)}-Pw`]));
    let base: string;
    let clone: string;
    let env: NodeJS.ProcessEnv;
    let port: number;
    const running: ChildProcess[] = [];

    function start(args: string[]): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
        const child = spawn("npm", ["run", "local", "--", ...args, "--port", String(port)], {
            cwd: clone,
            env,
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
        });
        running.push(child);
        let output = "";
        child.stdout!.on("data", (c) => (output += c));
        child.stderr!.on("data", (c) => (output += c));
        const done = new Promise<number | null>((resolve, reject) => {
            child.once("error", reject);
            child.once("close", resolve);
        });
        return { child, output: () => output, done };
    }

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
        // Only the command's first words: its arguments may hold passwords.
        if (result.status !== 0) throw new Error(`pulumi ${args.slice(0, 2).join(" ")}: ${result.stderr}`);
        return result.stdout;
    }

    /** The sign-in table's rows, in order: [user, sign-in, status]. */
    function signInRows(output: string): string[][] {
        const lines = output.split("\n");
        const start = lines.findIndex((l) => /^user\s+sign-in\s+status$/.test(l));
        expect(start, `no sign-in table in:\n${output.slice(-3000)}`).to.be.greaterThan(-1);
        const rows: string[][] = [];
        for (const line of lines.slice(start + 2)) {
            if (line.trim() === "") break;
            rows.push(line.split(/\s{2,}/));
        }
        return rows;
    }

    function expectEveryUserSignedInOnce(output: string): void {
        const rows = signInRows(output);
        expect(rows.map((r) => r[0]).sort(), "each user exactly once in the table").to.deep.equal([...users].sort());
        expect(
            rows.filter((r) => r[1] !== "ok" || r[2] !== "CONFIRMED").map((r) => r.join(" ")),
            "users that did not sign in",
        ).to.deep.equal([]);
        // --once destroys: each user's resource is deleted exactly once (a duplicate in state would be deleted twice).
        for (const user of users) {
            expect(output.split(`cognito-auth-user-${user} deleted`).length - 1, `${user} deleted once by the destroy`).to.equal(1);
        }
    }

    before(async function () {
        if (!cli) {
            console.log(`      npm run local crash tests skipped: ${reason}`);
            this.skip();
        }
        if (spawnSync("git", ["-C", projectRoot, "rev-parse", "HEAD"]).status !== 0) {
            console.log("      npm run local crash tests skipped: this checkout is not a git repository (they run in a fresh clone)");
            this.skip();
        }
        base = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-crash-"));
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
        // The local stack, made as npm run local makes it, with many users (so that a kill lands mid-way): in one config call.
        fs.mkdirSync(path.join(clone, ".local", "state"), { recursive: true, mode: 0o700 });
        fs.mkdirSync(path.join(clone, ".local", "home"));
        fs.writeFileSync(path.join(clone, ".local", "passphrase"), "crash-test-passphrase\n", { mode: 0o600 });
        pulumiInClone(["stack", "init", "local", "--secrets-provider", "passphrase"]);
        const settings: string[] = [];
        for (const user of users)
            settings.push(
                "--path",
                "--plaintext",
                `users.${user}.email=${user}@example.com`,
                "--path",
                "--secret",
                `passwords.${user}=${passwords.get(user)}`,
            );
        pulumiInClone(["config", "set-all", "-s", "local", ...settings]);
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
        if (base) {
            for (const line of processesIn(base)) {
                try {
                    process.kill(Number(line.split(" ")[0]), "SIGKILL");
                } catch {
                    /* gone */
                }
            }
            fs.rmSync(base, { recursive: true, force: true });
        }
    });

    it("two runs started at the same moment (over a stale run.pid naming pid 1): one gets the lock, the other names its pid and exits 1 having started nothing", async () => {
        fs.writeFileSync(path.join(clone, ".local", "run.pid"), "1\n");
        const a = start(["--once"]);
        const b = start(["--once"]);
        const first = await Promise.race([a.done.then(() => a), b.done.then(() => b)]);
        const [loser, winner] = first === a ? [a, b] : [b, a];
        // The loser ended while the winner runs: the lock names one of the winner's processes.
        const winnerProcesses = descendants(winner.child.pid!);
        expect(await loser.done, loser.output()).to.equal(1);
        const named = /already running on this folder \(pid (\d+)/.exec(loser.output());
        expect(named, loser.output()).to.not.equal(null);
        expect(winnerProcesses, "the pid named is the winner's").to.include(Number(named![1]));
        expect(loser.output()).to.not.match(/\[\d\/6\]|stopping what it left/);
        const code = await winner.done;
        expect(code, winner.output().slice(-3000)).to.equal(0);
        expect(winner.output()).to.include("an earlier npm run local was killed (pid 1); nothing it started is still running");
        expectEveryUserSignedInOnce(winner.output());
        expect(processesIn(clone), "processes left running from the clone").to.deep.equal([]);
        expect(fs.existsSync(path.join(clone, ".local", "run.pid")), "lock released").to.equal(false);
        expectNoLeak(a.output() + b.output(), Object.fromEntries(passwords), "the two runs' output");
    });

    it("SIGKILL while pulumi up creates users: the next --once stops what the old run left, unlocks, takes over its users; every user signs in, once", async () => {
        const killed = start([]);
        const deadline = Date.now() + 240_000;
        while ((killed.output().match(/cognito-auth-user-\S+ created/g) ?? []).length < 6) {
            if (Date.now() > deadline) throw new Error(`no 6 users created in 4 minutes:\n${killed.output().slice(-3000)}`);
            if (killed.child.exitCode !== null) throw new Error(`npm run local ended early:\n${killed.output().slice(-3000)}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        // SIGKILL to npm and the ts-node process under it (their process group), as a closed CI job or `kill -9` does.
        process.kill(-killed.child.pid!, "SIGKILL");
        await killed.done;
        await new Promise((resolve) => setTimeout(resolve, 1_000));

        // What it left: its emulator (still on the port), Pulumi's plugins, its lock with its pid.
        const left = processesIn(clone);
        expect(
            left.some((l) => l.includes("cognito-local")),
            left.join("\n"),
        ).to.equal(true);
        expect(await portInUse(port), "the old emulator still holds the port").to.equal(true);
        const oldRun = JSON.parse(fs.readFileSync(path.join(clone, ".local", "run.pid"), "utf8")) as { pid: number };
        expect(isRunning(oldRun.pid), "the old run's node process is gone").to.equal(false);
        const stackLocks = path.join(clone, ".local", "state", ".pulumi", "locks", "organization", "cognito-auth", "local");
        const lockedAfterKill = fs.existsSync(stackLocks) && fs.readdirSync(stackLocks).length > 0;
        const pendingAfterKill = (
            JSON.parse(fs.readFileSync(path.join(clone, ".local", "state", ".pulumi", "stacks", "cognito-auth", "local.json"), "utf8"))
                .checkpoint.latest?.pending_operations ?? []
        ).length;
        const oldProcesses = left.map((l) => ({ pid: Number(l.split(" ")[0]), start: startTime(Number(l.split(" ")[0])) }));

        // A user the killed run had created in Cognito but not recorded (the create's first call done,
        // its password not set): made here, on the old emulator, for a configured user not there yet.
        const client = new CognitoIdentityProviderClient({
            endpoint: `http://127.0.0.1:${port}`,
            region: "local",
            credentials: { accessKeyId: "local", secretAccessKey: "local" },
        });
        try {
            const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
            const userPoolId = pools.UserPools!.find((p) => p.Name === "cognito-auth-local")!.Id!;
            const present = new Set(
                ((await client.send(new ListUsersCommand({ UserPoolId: userPoolId }))).Users ?? []).map((u) => u.Username),
            );
            expect(present.size, "interrupted part-way").to.be.above(0).and.below(count);
            const orphan = [...users].reverse().find((u) => !present.has(u))!;
            await client.send(
                new AdminCreateUserCommand({
                    UserPoolId: userPoolId,
                    Username: orphan,
                    MessageAction: "SUPPRESS",
                    // What the provider's AdminCreateUser sends: the configured attributes.
                    UserAttributes: [
                        { Name: "email", Value: `${orphan}@example.com` },
                        { Name: "email_verified", Value: "true" },
                    ],
                }),
            );
        } finally {
            client.destroy();
        }

        const next = start(["--once"]);
        const code = await next.done;
        const output = next.output();
        expect(code, output.slice(-4000)).to.equal(0);
        expect(output).to.include(`an earlier npm run local was killed (pid ${oldRun.pid}`).and.include("stopping what it left running: ");
        expect(output).to.include("cognito-local (pid");
        expect(output).to.not.include("Fix the local stack's config").and.not.include("already exists");
        expectEveryUserSignedInOnce(output);
        // The pulumi the kill left behind usually dies at its next write and keeps its lock and a pending create.
        if (lockedAfterKill) expect(output).to.include("removed the lock on the local stack left by a pulumi that was killed");
        if (pendingAfterKill > 0) expect(output).to.include("with pulumi refresh --clear-pending-creates");

        // Nothing of the old run (nor of this one) is left; the port is free; no lock is left.
        for (const old of oldProcesses) {
            expect(isRunning(old.pid) && startTime(old.pid) === old.start, `old process ${old.pid} still running`).to.equal(false);
        }
        expect(processesIn(clone), "processes left running from the clone").to.deep.equal([]);
        expect(await portInUse(port), `something still listens on port ${port}`).to.equal(false);
        expect(fs.existsSync(path.join(clone, ".local", "run.pid")), "run lock released").to.equal(false);
        expect(fs.existsSync(stackLocks) ? fs.readdirSync(stackLocks) : [], "stack locks").to.deep.equal([]);
        expect(JSON.parse(pulumiInClone(["stack", "export", "-s", "local"])).deployment.pending_operations ?? []).to.deep.equal([]);
        expectNoLeak(killed.output() + output, Object.fromEntries(passwords), "the killed and the next run's output");
        console.log(
            `      (after the kill: stack lock ${lockedAfterKill ? "left" : "not left"}, ${pendingAfterKill} pending operation(s))`,
        );
    });
});
