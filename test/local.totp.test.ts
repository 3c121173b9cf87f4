// `npm run local` and TOTP: the `--totp <user>` command (arguments, refusals, the QR code and URI)
// with faked stack outputs; the line printed after up, which never holds a secret; and, against a
// real cognito-local, the local pool's MFA setting and the sign-in check of a user with mfa TOTP
// (SOFTWARE_TOKEN_MFA answered with lib/totp.ts's code).

import {
    AdminCreateUserCommand,
    AdminSetUserPasswordCommand,
    AssociateSoftwareTokenCommand,
    CreateUserPoolCommand,
    DescribeUserPoolCommand,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { URL } from "url";
import { CognitoLocal, startCognitoLocal } from "../harness/cognitoLocal";
import { expectNoLeak } from "../harness/leaks";
import { freePort, portInUse } from "../harness/ports";
import { processesIn } from "../harness/processes";
import { totpCode } from "../lib/totp";
import { parseArgs } from "../scripts/local/args";
import { cognitoClient } from "../scripts/local/cognito";
import { findPulumi, offlineEnv, projectRoot } from "../scripts/pulumiCli";
import { ensurePoolAndClient, PoolAndClient, SignInResult, signIn } from "../scripts/local/cognito";
import { printTotpLines, showTotp, TotpSources, totpCommand, totpUsers } from "../scripts/local/totp";

// A base32 secret of 32 bytes, the size of the SecretCode Cognito's AssociateSoftwareToken returns (made up).
const secret = "AAISEM2EKVTHPCEZVK54ZXPO74ASGRLHRGV433763S5JQ5SUGIIA";

function fakeSources(users: Record<string, Record<string, unknown>>, secrets: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    let secretsRead = 0;
    const sources: TotpSources = {
        users: async () => users,
        secrets: async () => {
            secretsRead++;
            return secrets;
        },
        write: (text) => out.push(text),
        warn: (line) => err.push(line),
        command: (args) => `PULUMI_BACKEND_URL=… pulumi ${args.join(" ")}`,
    };
    return { sources, out, err, secretsRead: () => secretsRead };
}

/** Stdout while `fn` runs. */
async function captured(fn: () => void | Promise<void>): Promise<string> {
    const write = process.stdout.write.bind(process.stdout);
    let text = "";
    process.stdout.write = ((chunk: string | Uint8Array) => {
        text += chunk.toString();
        return true;
    }) as typeof process.stdout.write;
    try {
        await fn();
    } finally {
        process.stdout.write = write;
    }
    return text;
}

describe("npm run local --totp: arguments", () => {
    it("takes a user name, as the next word or after =; alone", () => {
        expect(parseArgs(["--totp", "alice"])).to.include({ totp: "alice", once: false, reset: false });
        expect(parseArgs(["--totp=john.doe"])).to.include({ totp: "john.doe" });
        expect(parseArgs([])).not.to.have.property("totp");
        for (const bad of [
            ["--totp"],
            ["--totp="],
            ["--totp", "--once"],
            ["--totp", "a", "--once"],
            ["--totp", "a", "--port", "9300"],
            ["--reset", "--totp", "a"],
        ]) {
            expect(parseArgs(bad), bad.join(" ")).to.have.property("error");
        }
    });

    it("the printed command quotes a name the shell would split", () => {
        expect(totpCommand("alice")).to.equal("npm run local -- --totp alice");
        expect(totpCommand("o'neil x")).to.equal("npm run local -- --totp 'o'\\''neil x'");
    });

    it("finds the users with mfa TOTP in the local stack's config", () => {
        expect(
            totpUsers({ alice: { mfa: "TOTP" }, bob: {}, carol: { mfa: "OFF" }, dave: { mfa: "TOTP", totpGeneration: 2 } }),
        ).to.deep.equal(["alice", "dave"]);
    });
});

describe("npm run local --totp: what it prints", () => {
    it("an enrolled user: a terminal QR code and the otpauth:// URI (issuer the pool, label pool:user) whose secret gives the codes", async () => {
        const fake = fakeSources({ alice: { email: "a@example.com", mfa: "TOTP" } }, { alice: secret });
        expect(await showTotp("alice", fake.sources)).to.equal(0);
        expect(fake.err).to.deep.equal([]);
        const printed = fake.out.join("");
        const uriLine = printed.split("\n").find((l) => l.startsWith("otpauth://"));
        expect(uriLine, printed).to.be.a("string");
        const uri = new URL(uriLine!);
        expect(uri.protocol).to.equal("otpauth:");
        expect(uri.host).to.equal("totp");
        expect(decodeURIComponent(uri.pathname)).to.equal("/cognito-auth-local:alice");
        expect(uri.searchParams.get("issuer")).to.equal("cognito-auth-local");
        expect(uri.searchParams.get("secret")).to.equal(secret);
        // What an authenticator app would show for that URI is what the pool accepts.
        const at = new Date("2026-12-02T10:00:00Z");
        expect(totpCode(uri.searchParams.get("secret")!, at)).to.equal(totpCode(secret, at));
        // The QR code: half-block characters, some lines of them, before the URI.
        const qrLines = printed.split("\n").filter((l) => /[▀▄█]/.test(l));
        expect(qrLines.length).to.be.greaterThan(10);
        expect(printed.indexOf("▄")).to.be.lessThan(printed.indexOf("otpauth://"));
        expect(printed).to.include("this shows alice's TOTP secret");
    });

    it("an unknown user: exit 2, the users it has and the commands that add it with TOTP; no secret read or printed", async () => {
        const fake = fakeSources({ alice: { mfa: "TOTP" }, bob: {} }, { alice: secret });
        expect(await showTotp("zoe", fake.sources)).to.equal(2);
        expect(fake.out).to.deep.equal([]);
        expect(fake.secretsRead()).to.equal(0);
        expect(fake.err.join("\n"))
            .to.include('"zoe" is not a user of the local stack (its users: alice, bob)')
            .and.include("config set --path users.zoe.email zoe@example.com -s local")
            .and.include("config set --path users.zoe.mfa TOTP -s local")
            .and.include("then npm run local");
        expectNoLeak(fake.err.join("\n"), { secret }, "the refusal");
    });

    it("a user without TOTP: exit 2 and the command that turns it on; none printed", async () => {
        const fake = fakeSources({ alice: { mfa: "TOTP" }, bob: { email: "b@example.com" } }, { alice: secret });
        expect(await showTotp("bob", fake.sources)).to.equal(2);
        expect(fake.out).to.deep.equal([]);
        expect(fake.secretsRead()).to.equal(0);
        expect(fake.err.join("\n"))
            .to.include("bob has no TOTP in the local stack")
            .and.include("config set --path users.bob.mfa TOTP -s local; then npm run local");
    });

    it("a user with mfa TOTP but no secret in totpSecrets yet: exit 2, run npm run local first", async () => {
        const fake = fakeSources({ alice: { mfa: "TOTP" }, carol: { mfa: "TOTP" } }, { alice: secret });
        expect(await showTotp("carol", fake.sources)).to.equal(2);
        expect(fake.out).to.deep.equal([]);
        expect(fake.err.join("\n"))
            .to.include("carol has mfa: TOTP in the local stack but is not enrolled yet")
            .and.include("Run npm run local");
        expectNoLeak(fake.err.join("\n"), { secret }, "the refusal");
    });

    it("after up: one line per TOTP user, enrolled with the --totp command, or why not; never a secret; none for other users", async () => {
        const results: SignInResult[] = [
            { user: "alice", ok: true, skipped: false, signIn: "ok (TOTP code)", status: "CONFIRMED, TOTP", totp: { enrolled: true } },
            { user: "bob", ok: true, skipped: false, signIn: "ok", status: "CONFIRMED" },
            {
                user: "carol",
                ok: false,
                skipped: false,
                signIn: "failed: TOTP not enrolled (no SOFTWARE_TOKEN_MFA for it in the pool)",
                status: "CONFIRMED",
                totp: { enrolled: false, why: "TOTP not enrolled (no SOFTWARE_TOKEN_MFA for it in the pool)" },
            },
        ];
        const printed = await captured(() => printTotpLines(results));
        expect(printed.split("\n").filter(Boolean)).to.deep.equal([
            "local: alice: TOTP enrolled (signed in with a code from its secret); add it to an authenticator app with: npm run local -- --totp alice",
            "local: carol: TOTP sign-in failed: TOTP not enrolled (no SOFTWARE_TOKEN_MFA for it in the pool) (pulumi up's output above says what it did)",
        ]);
        expectNoLeak(printed, { secret }, "the lines after up");
    });
});

describe("npm run local and TOTP, against cognito-local", function () {
    this.timeout(60_000);
    let local: CognitoLocal;
    let ids: PoolAndClient;
    const password = "Correct-Horse-7-battery";

    before(async () => {
        local = await startCognitoLocal();
        ids = await ensurePoolAndClient(local.client);
    });
    after(async () => {
        await local?.stop();
    });

    async function makeUser(name: string): Promise<void> {
        await local.client.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: name, MessageAction: "SUPPRESS" }));
        await local.client.send(
            new AdminSetUserPasswordCommand({ UserPoolId: ids.userPoolId, Username: name, Password: password, Permanent: true }),
        );
    }

    /** What the provider does for a user with mfa TOTP on a pool with MFA OPTIONAL (AccessToken forms). */
    async function enrol(name: string): Promise<string> {
        const auth = await local.client.send(
            new InitiateAuthCommand({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: ids.clientId,
                AuthParameters: { USERNAME: name, PASSWORD: password },
            }),
        );
        const AccessToken = auth.AuthenticationResult!.AccessToken!;
        const { SecretCode } = await local.client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
        await local.client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpCode(SecretCode!) }));
        await local.client.send(
            new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
        );
        return SecretCode!;
    }

    it("the local pool has MFA OPTIONAL with TOTP on; a pool made without it (an earlier version) gets it once", async () => {
        const mfa = await local.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: ids.userPoolId }));
        expect(mfa.MfaConfiguration).to.equal("OPTIONAL");
        expect(mfa.SoftwareTokenMfaConfiguration?.Enabled).to.equal(true);
        expect(ids).to.include({ poolCreated: true, mfaSet: false });
        const again = await ensurePoolAndClient(local.client);
        expect(again).to.include({ userPoolId: ids.userPoolId, poolCreated: false, mfaSet: false });

        // A second emulator-level pool under the same name cannot be made here, so an earlier
        // version's pool is a pool of that name made in a fresh emulator without MFA.
        const other = await startCognitoLocal();
        try {
            const made = await other.client.send(new CreateUserPoolCommand({ PoolName: "cognito-auth-local" }));
            expect(
                (await other.client.send(new DescribeUserPoolCommand({ UserPoolId: made.UserPool!.Id! }))).UserPool?.MfaConfiguration,
            ).not.to.equal("OPTIONAL");
            const found = await ensurePoolAndClient(other.client);
            expect(found).to.include({ userPoolId: made.UserPool!.Id!, poolCreated: false, mfaSet: true });
            expect((await other.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: found.userPoolId }))).MfaConfiguration).to.equal(
                "OPTIONAL",
            );
            expect(await ensurePoolAndClient(other.client)).to.include({ mfaSet: false });
        } finally {
            await other.stop();
        }
    });

    it("a user without MFA signs in as before: ok, CONFIRMED, no TOTP line", async () => {
        await makeUser("bob");
        const result = await signIn(local.client, ids, "bob", password, true);
        expect(result).to.deep.equal({ user: "bob", ok: true, skipped: false, signIn: "ok", status: "CONFIRMED" });
    });

    it("an enrolled user with mfa TOTP signs in with a code from its secret; a wrong secret or none fails", async () => {
        await makeUser("alice");
        const alicesSecret = await enrol("alice");
        const result = await signIn(local.client, ids, "alice", password, true, { secret: alicesSecret });
        expect(result).to.deep.equal({
            user: "alice",
            ok: true,
            skipped: false,
            signIn: "ok (TOTP code)",
            status: "CONFIRMED, TOTP",
            totp: { enrolled: true },
        });

        const wrong = await signIn(local.client, ids, "alice", password, true, { secret });
        expect(wrong).to.include({ ok: false });
        expect(wrong.signIn).to.match(/^failed: CodeMismatchException/);
        expect(wrong.totp).to.include({ enrolled: false });

        const none = await signIn(local.client, ids, "alice", password, true, { secret: undefined });
        expect(none).to.include({ ok: false, signIn: "failed: TOTP not enrolled (no secret for it in the stack output totpSecrets)" });
        for (const r of [result, wrong, none]) expectNoLeak(JSON.stringify(r), { alicesSecret, password }, `alice's result ${r.signIn}`);
    });

    it("a user with mfa TOTP in config but not enrolled in the pool is a failure, not an ok sign-in", async () => {
        await makeUser("carol");
        const result = await signIn(local.client, ids, "carol", password, true, { secret });
        expect(result).to.deep.include({
            ok: false,
            signIn: "failed: TOTP not enrolled (no SOFTWARE_TOKEN_MFA for it in the pool)",
            status: "CONFIRMED",
            totp: { enrolled: false, why: "TOTP not enrolled (no SOFTWARE_TOKEN_MFA for it in the pool)" },
        });
    });
});

// As test/local.test.ts: `npm run local` in a fresh clone of HEAD with the real Pulumi CLI, here
// with users that have mfa TOTP: one in Pulumi.dev.yaml (copied on the first run), one added with
// the documented command before the second run.
describe("npm run local with mfa TOTP users, in a fresh clone, with the real Pulumi CLI and cognito-local", function () {
    this.timeout(300_000);
    const { cli, reason } = findPulumi();
    let base: string;
    let clone: string;
    let env: NodeJS.ProcessEnv;
    let port: number;
    const outputs: string[] = [];
    const running: ChildProcess[] = [];
    let alicesSecret = "";

    function start(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
        const child = spawn("npm", ["run", "--silent", "local", "--", ...args], {
            cwd: clone,
            env,
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
        });
        running.push(child);
        let output = "";
        child.stdout!.on("data", (c) => (output += c));
        child.stderr!.on("data", (c) => (output += c));
        const exited = new Promise<number | null>((resolve) =>
            child.once("close", (code) => {
                outputs.push(output);
                resolve(code);
            }),
        );
        return { child, output: () => output, exited };
    }

    async function local(args: string[]): Promise<{ code: number | null; output: string }> {
        const run = start(args);
        const code = await run.exited;
        return { code, output: run.output() };
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
        if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")}: ${result.stderr}`);
        return result.stdout;
    }

    /** The user signs in against the emulator with its password and a code from the URI's secret. */
    async function signsInWith(uriSecret: string, user: string): Promise<void> {
        const config = JSON.parse(pulumiInClone(["config", "--show-secrets", "--json", "-s", "local"]));
        const password = (config["cognito-auth:passwords"].objectValue as Record<string, string>)[user];
        const clientId = config["cognito-auth:userPoolClientId"].value as string;
        const client = cognitoClient(`http://127.0.0.1:${port}`);
        try {
            const first = await client.send(
                new InitiateAuthCommand({
                    AuthFlow: "USER_PASSWORD_AUTH",
                    ClientId: clientId,
                    AuthParameters: { USERNAME: user, PASSWORD: password },
                }),
            );
            expect(first.ChallengeName, `${user}'s first answer`).to.equal("SOFTWARE_TOKEN_MFA");
            expect(first.AuthenticationResult, "tokens without the code").to.equal(undefined);
            const tokens = await client.send(
                new RespondToAuthChallengeCommand({
                    ClientId: clientId,
                    ChallengeName: "SOFTWARE_TOKEN_MFA",
                    Session: first.Session,
                    ChallengeResponses: { USERNAME: user, SOFTWARE_TOKEN_MFA_CODE: totpCode(uriSecret) },
                }),
            );
            expect(tokens.AuthenticationResult?.AccessToken, `${user}'s tokens after the code`).to.be.a("string");
        } finally {
            client.destroy();
        }
    }

    function uriIn(output: string): URL {
        const line = output.split("\n").find((l) => l.startsWith("otpauth://"));
        expect(line, `no otpauth:// line in:\n${output}`).to.be.a("string");
        return new URL(line!);
    }

    function totpSecrets(): Record<string, string> {
        return JSON.parse(pulumiInClone(["stack", "output", "totpSecrets", "--show-secrets", "--json", "-s", "local"]));
    }

    before(async function () {
        if (!cli) {
            console.log(`      npm run local TOTP tests skipped: ${reason}`);
            this.skip();
        }
        if (spawnSync("git", ["-C", projectRoot, "rev-parse", "HEAD"]).status !== 0) {
            console.log("      npm run local TOTP tests skipped: this checkout is not a git repository (they run in a fresh clone)");
            this.skip();
        }
        base = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-local-totp-"));
        clone = path.join(base, "repo");
        const cloned = spawnSync("git", ["clone", "--quiet", projectRoot, clone], { encoding: "utf8" });
        if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(clone, "node_modules"), "dir");
        const devConfig = path.join(clone, "Pulumi.dev.yaml");
        const dev = fs.readFileSync(devConfig, "utf8");
        expect(dev).to.include("  cognito-auth:users:\n");
        fs.writeFileSync(
            devConfig,
            dev.replace("  cognito-auth:users:\n", "  cognito-auth:users:\n    alice:\n      email: alice@example.com\n      mfa: TOTP\n"),
        );
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

    it("up enrols alice and prints its line; --totp alice (while serving) prints a URI whose secret signs in; no secret anywhere else", async () => {
        const serving = start(["--port", String(port)]);
        await new Promise<void>((resolve, reject) => {
            const timer = setInterval(() => {
                if (serving.output().includes("press Ctrl-C to stop")) {
                    clearInterval(timer);
                    resolve();
                }
            }, 200);
            serving.exited.then((code) => {
                clearInterval(timer);
                reject(new Error(`npm run local exited (${code}) before serving:\n${serving.output()}`));
            });
        });
        const output = serving.output();
        expect(output).to.include(
            "local: alice: TOTP enrolled (signed in with a code from its secret); add it to an authenticator app with: npm run local -- --totp alice",
        );
        expect(output).to.match(/\nalice +ok \(TOTP code\) +CONFIRMED, TOTP\n/);
        expect(output).to.match(/\njohndoe +ok +CONFIRMED\n/);
        expect(output).to.include("userPoolClientId set to");
        expect(output).not.to.include("johndoe: TOTP");

        const shown = await local(["--totp", "alice"]);
        expect(shown.code, shown.output).to.equal(0);
        const uri = uriIn(shown.output);
        expect(decodeURIComponent(uri.pathname)).to.equal("/cognito-auth-local:alice");
        expect(uri.searchParams.get("issuer")).to.equal("cognito-auth-local");
        const secrets = totpSecrets();
        expect(Object.keys(secrets)).to.deep.equal(["alice"]);
        alicesSecret = secrets.alice;
        expect(totpCode(uri.searchParams.get("secret")!)).to.equal(totpCode(secrets.alice));
        await signsInWith(uri.searchParams.get("secret")!, "alice");

        const notTotp = await local(["--totp", "johndoe"]);
        expect(notTotp.code).to.equal(2);
        expect(notTotp.output)
            .to.include("johndoe has no TOTP in the local stack")
            .and.include("config set --path users.johndoe.mfa TOTP -s local");
        expect(notTotp.output).not.to.include("otpauth://");
        const unknown = await local(["--totp", "zoe"]);
        expect(unknown.code).to.equal(2);
        expect(unknown.output).to.include('"zoe" is not a user of the local stack (its users: alice, johndoe)');

        process.kill(-serving.child.pid!, "SIGINT");
        await serving.exited;
        expect(await portInUse(port)).to.equal(false);
        expect(processesIn(clone)).to.deep.equal([]);
        expectNoLeak(serving.output(), { alice: secrets.alice }, "npm run local's output", { encoded: true });
        expectNoLeak(fs.readFileSync(path.join(clone, ".local", "cognito.log"), "utf8"), { alice: secrets.alice }, "cognito-local's log", {
            encoded: true,
        });
    });

    it("--once: a user given mfa TOTP with the documented command is enrolled, alice signs in again; exit 0 and destroyed", async () => {
        pulumiInClone(["config", "set", "--path", "users.carol.email", "carol@example.com", "-s", "local"]);
        pulumiInClone(["config", "set", "--path", "users.carol.mfa", "TOTP", "-s", "local"]);
        const run = await local(["--once", "--port", String(port)]);
        expect(run.code, run.output).to.equal(0);
        for (const user of ["alice", "carol"])
            expect(run.output).to.include(
                `local: ${user}: TOTP enrolled (signed in with a code from its secret); add it to an authenticator app with: npm run local -- --totp ${user}`,
            );
        expect(run.output).to.match(/- \d+ deleted/);
        // alice's secret is the one the first run enrolled; carol's is gone with the destroy, so
        // nothing shaped like a Cognito secret (base32 of 32 bytes) may appear either.
        const printed = outputs.join("\n").replace(/^otpauth:\/\/.*$/gm, "");
        expectNoLeak(printed, { alice: alicesSecret }, "every run's output but --totp's URI line", { encoded: true });
        expect(printed.match(/[A-Z2-7]{32,}/g), "a TOTP-secret-like text in the output").to.equal(null);
        expect(await portInUse(port)).to.equal(false);
        expect(processesIn(clone)).to.deep.equal([]);
    });
});
