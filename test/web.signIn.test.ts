// The browser test: `npm run local -- --web` in a fresh clone of HEAD (as test/local.test.ts runs
// it), and Debian's Chromium driven by playwright-core through examples/web-sign-in: a configured
// user signs in with Amplify JS from .local/amplify_outputs.json, a wrong password shows the
// error, no password is in the page, the console, the run's output or the emulator's log, and
// nothing is left running. The signed-in page is kept as reports/web-sign-in.png. Without a
// browser it skips with one line; with CHROMIUM set (.ci/run) a missing browser fails.

import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { BrowserContext, Page } from "playwright-core";
import { expectNoLeak } from "../harness/leaks";
import { freePort, portInUse } from "../harness/ports";
import { processesIn } from "../harness/processes";
import { findPulumi, offlineEnv, projectRoot } from "../scripts/pulumiCli";

function signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        /* gone */
    }
}

const install = "apt-get update && apt-get install -y chromium";

/** Chromium: $CHROMIUM, else `chromium` on PATH; or why there is none. */
function findChromium(): { path?: string; reason?: string } {
    const candidates = process.env.CHROMIUM ? [process.env.CHROMIUM] : ["chromium", "chromium-browser"];
    for (const candidate of candidates) {
        if (spawnSync(candidate, ["--version"], { encoding: "utf8", timeout: 30_000 }).status === 0) {
            return { path: path.isAbsolute(candidate) ? candidate : spawnSync("which", [candidate], { encoding: "utf8" }).stdout.trim() };
        }
    }
    return {
        reason: process.env.CHROMIUM ? `CHROMIUM=${process.env.CHROMIUM} does not run` : `no chromium on PATH (install it: ${install})`,
    };
}

describe("browser: examples/web-sign-in against npm run local -- --web", function () {
    this.timeout(300_000);
    const chromium = findChromium();
    const { cli, reason } = findPulumi();
    let base: string;
    let clone: string;
    let run: ChildProcess | undefined;
    let output = "";
    let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    let browser: BrowserContext | undefined;
    let page: Page;
    let emulatorPort: number;
    let webUrl: string;
    let password: string;
    const consoleLines: string[] = [];
    const user = "johndoe";
    const wrongPassword = "Wrong#Password-5521qv";

    before(async function () {
        // CI sets CHROMIUM: there a missing browser is a failure, not a skip.
        expect(Boolean(chromium.path) || !process.env.CHROMIUM, chromium.reason).to.equal(true);
        if (!chromium.path || !cli) {
            console.log(`      browser test skipped: ${chromium.reason ?? reason}`);
            this.skip();
        }
        base = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-web-"));
        clone = path.join(base, "repo");
        const cloned = spawnSync("git", ["clone", "--quiet", projectRoot, clone], { encoding: "utf8" });
        if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(clone, "node_modules"), "dir");
        emulatorPort = await freePort();
        const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PULUMI_")));
        if (path.isAbsolute(cli!)) env.PATH = `${path.dirname(cli!)}${path.delimiter}${process.env.PATH}`;
        run = spawn("npm", ["run", "local", "--", "--web", "--port", String(emulatorPort)], {
            cwd: clone,
            env,
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
        });
        exited = new Promise((resolve) => run!.once("close", (code, signal) => resolve({ code, signal })));
        const served = new Promise<string>((resolve, reject) => {
            const onData = (chunk: Buffer) => {
                output += chunk;
                const url = /example sign-in page \(examples\/web-sign-in\): (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
                if (url && output.includes("press Ctrl-C to stop")) resolve(url);
            };
            run!.stdout!.on("data", onData);
            run!.stderr!.on("data", onData);
            exited.then(({ code }) => reject(new Error(`npm run local -- --web exited (${code}) before serving:\n${output}`)));
        });
        webUrl = await served;
        password = pulumiInClone(["config", "get", "--path", `passwords.${user}`, "-s", "local"]).trim();
        const { chromium: driver } = require("playwright-core") as typeof import("playwright-core");
        // --no-sandbox: CI and this machine run as root, where Chromium's sandbox cannot start.
        // Its profile in base: the check that nothing is left running finds the browser by it.
        browser = await driver.launchPersistentContext(path.join(base, "chromium"), {
            executablePath: chromium.path,
            args: ["--no-sandbox"],
        });
        page = await browser.newPage();
        page.on("console", (message) => consoleLines.push(message.text()));
        page.on("pageerror", (err) => consoleLines.push(`pageerror: ${err.message}`));
        await page.goto(webUrl);
        await page.waitForFunction(() => (globalThis as any).document.getElementById("pool")!.textContent!.startsWith("User pool"));
    });

    after(async () => {
        await browser?.close().catch(() => undefined);
        // After a failure: Ctrl-C, as a user would (npm run local stops the emulator it started), then SIGKILL.
        if (run && run.exitCode === null && run.signalCode === null) {
            signalGroup(run.pid!, "SIGINT");
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 60_000))]);
            signalGroup(run.pid!, "SIGKILL");
        }
        if (base) fs.rmSync(base, { recursive: true, force: true });
    });

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

    /** Types the user and a password into the page, submits, and returns what the page shows. */
    async function signInThroughPage(secret: string): Promise<string> {
        await page.fill("input[name=username]", user);
        await page.fill("input[name=password]", secret);
        await page.click("button[type=submit]");
        await page.waitForFunction(() =>
            /^(Signed in|Sign-in failed|Not signed in)/.test((globalThis as any).document.getElementById("result")!.textContent!),
        );
        return (await page.textContent("#result"))!;
    }

    it("serves the page with the pool of .local/amplify_outputs.json and the emulator's address", async () => {
        const outputs = JSON.parse(fs.readFileSync(path.join(clone, ".local", "amplify_outputs.json"), "utf8"));
        expect(outputs.custom.cognito_auth.user_pool_endpoint).to.equal(`http://127.0.0.1:${emulatorPort}`);
        expect(output).to.include("amplify_outputs.json for an app: .local/amplify_outputs.json");
        expect(await page.textContent("#pool")).to.equal(`User pool ${outputs.auth.user_pool_id} at http://127.0.0.1:${emulatorPort}`);
    });

    it("a wrong password shows Cognito's error, and the user is not signed in", async () => {
        const shown = await signInThroughPage(wrongPassword);
        // AWS says NotAuthorizedException; cognito-local says InvalidPasswordException.
        expect(shown).to.match(/^Sign-in failed: (NotAuthorizedException|InvalidPasswordException): \S/);
        expect(shown).not.to.include("Signed in as");
    });

    it("the configured user signs in: the page shows the username and the ID token's expiry (screenshot in reports/)", async () => {
        const before = Date.now();
        const shown = await signInThroughPage(password);
        expect(shown).to.match(new RegExp(`^Signed in as ${user}\\nID token expires \\d{4}-\\d\\d-\\d\\dT`));
        const expires = Date.parse(/expires (\S+)/.exec(shown)![1]);
        expect(expires, "the ID token expires in the future").to.be.greaterThan(before);
        fs.mkdirSync(path.join(projectRoot, "reports"), { recursive: true });
        await page.screenshot({ path: path.join(projectRoot, "reports", "web-sign-in.png") });
        // Amplify keeps the tokens, not the password: the field was emptied on submit.
        expect(await page.inputValue("input[name=password]")).to.equal("");
    });

    it("no password in the page, its storage, the console, the run's output or the emulator's log; Ctrl-C leaves nothing running", async () => {
        const secrets = [password, wrongPassword];
        expectNoLeak(await page.content(), secrets, "the page's HTML");
        const storage = await page.evaluate(() => ({
            local: { ...(globalThis as any).localStorage },
            session: { ...(globalThis as any).sessionStorage },
            cookie: (globalThis as any).document.cookie as string,
        }));
        // Amplify keeps its tokens in localStorage: checked to be there, so the check reads the right place.
        expect(
            Object.keys(storage.local).some((key) => key.startsWith("CognitoIdentityServiceProvider.")),
            "Amplify's tokens",
        ).to.equal(true);
        expectNoLeak(JSON.stringify(storage.local), secrets, "the page's localStorage");
        expectNoLeak(JSON.stringify(storage.session), secrets, "the page's sessionStorage");
        expectNoLeak(storage.cookie, secrets, "the page's document.cookie");
        expectNoLeak(JSON.stringify(await browser!.cookies()), secrets, "the browser's cookies (httpOnly included)");
        expectNoLeak(consoleLines.join("\n"), secrets, "the browser console");
        await browser!.close();
        browser = undefined;
        // A terminal's Ctrl-C: SIGINT to the whole group; npm then ends by that signal, the script with 0.
        process.kill(-run!.pid!, "SIGINT");
        const { code, signal } = await exited;
        expect(code === 0 || signal === "SIGINT", `exit ${code} ${signal}\n${output}`).to.equal(true);
        expect(output).to.include("cognito-local stopped").and.not.include("error:");
        expectNoLeak(output, secrets, "npm run local's output");
        expectNoLeak(fs.readFileSync(path.join(clone, ".local", "cognito.log"), "utf8"), secrets, ".local/cognito.log");
        expect(await portInUse(emulatorPort), "the emulator's port").to.equal(false);
        expect(await portInUse(Number(new URL(webUrl).port)), "the page's port").to.equal(false);
        expect(processesIn(base), "processes left from the clone or the browser").to.deep.equal([]);
    });
});
