// `npm run local`: the steps, the signals, and the guarantee that nothing it started outlives it.

import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { portInUse } from "../../harness/ports";
import { findPulumi, offlineEnv, pulumiVersion } from "../pulumiCli";
import { appOutputs, removeLocalOutputs, writeLocalOutputs } from "./amplify";
import { LocalArgs, parseArgs, usage } from "./args";
import { cognitoClient, ensurePoolAndClient, PoolAndClient, signIn, SignInResult } from "./cognito";
import { Emulator, portInUseMessage, startEmulator } from "./emulator";
import { Stop, upFailure } from "./failures";
import { Lock, Locked, takeLock } from "./lock";
import { Redactor, say, step, warn } from "./output";
import { LocalPaths, localPaths, stackName } from "./paths";
import { clearLeftovers } from "./recovery";
import { printHowToUse, printSignIns, printSummary } from "./report";
import { Session } from "./session";
import { disabledInConfig, LocalConfig, PulumiRunner, pulumiRunner, readConfig } from "./stack";
import { setUpStack } from "./stackSetup";
import { localStackExists, printTotpLines, readTotpSecrets, showTotp, stackTotpSources, totpUsers } from "./totp";

export async function main(argv: string[], root: string): Promise<number> {
    const parsed = parseArgs(argv);
    if ("error" in parsed) {
        warn(`${parsed.error}\n\n${usage}`);
        return 2;
    }
    if (parsed.help) {
        process.stdout.write(usage);
        return 0;
    }
    const paths = localPaths(root);
    if (parsed.reset) return reset(paths);
    if (parsed.totp !== undefined) return totp(parsed.totp, paths);

    const session = new Session();
    const onSignal = (signal: NodeJS.Signals) => session.onSignal(signal);
    let lock: Lock | undefined;
    // Also on a second Ctrl-C, which exits at once: the lock goes with what the run started.
    const onExit = () => {
        session.killEverything();
        lock?.release();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.on("exit", onExit);
    try {
        // First, before anything is touched: a second run on the same folder stops here.
        lock = takeLock(paths);
        return await run(parsed, paths, session, lock);
    } catch (err) {
        warn(`error: ${(err as Error)?.message ?? err}`);
        return session.interrupted ? 130 : 1;
    } finally {
        await session.cleanUp().catch((err) => warn(`error while stopping: ${(err as Error).message}`));
        lock?.release();
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        process.off("exit", onExit);
    }
}

async function run(args: LocalArgs, paths: LocalPaths, session: Session, lock: Lock): Promise<number> {
    const started = Date.now();
    // What a killed run left running would hold the port and the stack: stopped first.
    await clearLeftovers(paths, lock);
    removeLocalOutputs(paths);
    // Before anything slow: a busy port is the most common problem, and the CLI build takes minutes.
    await checkPort(args.port, paths);
    const cli = await ensurePulumi(paths.root, session);
    checkInterrupted(session);
    const emulator = await startLocalEmulator(args.port, paths, session);
    const client = cognitoClient(emulator.endpoint);
    try {
        const ids = await poolAndClient(client, session);
        const redactor = new Redactor();
        const { pulumi, config } = await setUpStack(cli, paths, emulator.endpoint, ids, redactor, session.pulumiChildren);
        writeLocalOutputs(paths, emulator.endpoint, ids, config);
        checkInterrupted(session);
        await pulumiUp(pulumi, cli, paths, session);
        const secrets = await totpSecrets(pulumi, config, redactor);
        const results = await signInEveryone(client, ids, config, emulator.endpoint, secrets);
        printSignIns(results, redactor);
        printHowToUse(emulator.endpoint, ids, config, cli, paths);
        await appOutputs(args.web === true, paths, emulator.endpoint);
        printTotpLines(results);
        printSummary(results, started);
        const failed = results.filter((r) => !r.ok);
        return args.once ? await destroyAndStop(pulumi, session, failed) : await serve(emulator, session, failed);
    } finally {
        client.destroy();
    }
}

async function checkPort(port: number, paths: LocalPaths): Promise<void> {
    if (await portInUse(port)) throw new Stop(portInUseMessage(port, paths));
}

/** Step 2: cognito-local, tracked by the session as soon as it is spawned. */
async function startLocalEmulator(port: number, paths: LocalPaths, session: Session): Promise<Emulator> {
    // Again: the CLI build may have taken minutes.
    await checkPort(port, paths);
    step(2, `cognito-local on http://127.0.0.1:${port} (data in .local/cognito, log in .local/cognito.log)`);
    const emulator = await startEmulator(
        paths,
        port,
        (e) => {
            session.emulator = e;
        },
        (note) => say(`  ${note}`),
    );
    checkInterrupted(session);
    return emulator;
}

/** Step 3: the user pool and app client, found again or created. */
async function poolAndClient(client: CognitoIdentityProviderClient, session: Session): Promise<PoolAndClient> {
    const ids = await ensurePoolAndClient(client).catch((err) => {
        throw new Stop(`could not create or find the user pool in cognito-local: ${(err as Error).name}: ${(err as Error).message}`);
    });
    step(
        3,
        `user pool ${ids.userPoolId} (${ids.poolCreated ? "created" : "found again"}${ids.mfaSet ? "; MFA set to OPTIONAL with TOTP" : ""}) and app client ${ids.clientId} (${ids.clientCreated ? "created" : "found again"})`,
    );
    checkInterrupted(session);
    return ids;
}

/** Step 5: the real program in existing-pool mode. */
async function pulumiUp(pulumi: PulumiRunner, cli: string, paths: LocalPaths, session: Session): Promise<void> {
    step(5, `pulumi up --refresh on stack '${stackName}' (the real program, existing-pool mode)`);
    // One operation at a time: cognito-local can damage its data file when two changes overlap (see repairDataFiles).
    const up = await pulumi.run(["up", "--yes", "--skip-preview", "--refresh", "--parallel", "1", "--suppress-progress", "-s", stackName], {
        stream: true,
    });
    checkInterrupted(session);
    if (up.code !== 0) throw new Stop(upFailure(up, cli, paths));
}

/**
 * The TOTP secrets the up made (stack output totpSecrets), only when a user has mfa TOTP: in memory
 * for the sign-in, and redacted from everything printed.
 */
async function totpSecrets(pulumi: PulumiRunner, config: LocalConfig, redactor: Redactor): Promise<Record<string, string>> {
    if (totpUsers(config.users).length === 0) return {};
    const secrets = await readTotpSecrets(pulumi);
    for (const secret of Object.values(secrets)) redactor.add(secret);
    return secrets;
}

/** Step 6: every user signs in with its password (one disabled in config is not tried), a user with mfa TOTP with a code. */
async function signInEveryone(
    client: CognitoIdentityProviderClient,
    ids: PoolAndClient,
    config: LocalConfig,
    endpoint: string,
    secrets: Record<string, string>,
): Promise<SignInResult[]> {
    step(6, `signing in every user with USER_PASSWORD_AUTH against ${endpoint}`);
    const withTotp = new Set(totpUsers(config.users));
    const results: SignInResult[] = [];
    for (const [user, spec] of Object.entries(config.users)) {
        const totp = withTotp.has(user)
            ? { secret: Object.prototype.hasOwnProperty.call(secrets, user) ? secrets[user] : undefined }
            : undefined;
        results.push(await signIn(client, ids, user, config.passwords[user], !disabledInConfig(spec), totp));
    }
    return results;
}

/** --once: the stack is destroyed; the session's cleanup then stops the emulator. */
async function destroyAndStop(pulumi: PulumiRunner, session: Session, failed: SignInResult[]): Promise<number> {
    say(`--once: pulumi destroy on stack '${stackName}', then stopping cognito-local`);
    const destroy = await pulumi.run(["destroy", "--yes", "--skip-preview", "--parallel", "1", "--suppress-progress", "-s", stackName], {
        stream: true,
    });
    checkInterrupted(session);
    if (destroy.code !== 0) throw new Stop(`pulumi destroy failed (exit ${destroy.code ?? destroy.signal}); see its output above`);
    if (failed.length > 0) {
        warn(`${failed.length} user(s) could not sign in: ${failed.map((r) => r.user).join(", ")}`);
        return 1;
    }
    return 0;
}

/** Until Ctrl-C or SIGTERM; an emulator that stops by itself is an error. */
async function serve(emulator: Emulator, session: Session, failed: SignInResult[]): Promise<number> {
    say(`serving cognito-local on ${emulator.endpoint}; press Ctrl-C to stop (data is kept in .local/)`);
    const ended = await Promise.race([session.interruption().then(() => "signal" as const), emulator.exited.then((e) => e)]);
    if (ended !== "signal") {
        throw new Stop(`cognito-local stopped by itself (${ended.code ?? ended.signal}); see .local/cognito.log. Run npm run local again`);
    }
    return failed.length > 0 ? 1 : 0;
}

/** Step 1: `pulumi` on PATH, else the built one, else `npm run install:pulumi` (which needs Go). */
async function ensurePulumi(root: string, session: Session): Promise<string> {
    let found = findPulumi(root);
    if (!found.cli) {
        const go = spawnSync("go", ["version"], { encoding: "utf8" });
        if (go.status !== 0) {
            throw new Stop(
                "no Pulumi CLI: `pulumi` is not on PATH and none is built in .pulumi-cli/bin, and Go (needed to build it) is not installed either. " +
                    "Install one of: the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/, e.g. `curl -fsSL https://get.pulumi.com | sh`), " +
                    `or Go >= ${goMinimum(root)} (https://go.dev/dl/) so that \`npm run install:pulumi\` can build it; then run npm run local again`,
            );
        }
        step(
            1,
            `no Pulumi CLI on PATH or in .pulumi-cli/bin: building it with \`npm run install:pulumi\` (${go.stdout.trim()}; up to about 8 minutes with a cold Go build cache, its progress follows)`,
        );
        const code = await new Promise<number | null>((resolve) => {
            const child = spawn("npm", ["run", "--silent", "install:pulumi"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
            session.pulumiChildren.add(child);
            child.once("error", () => {
                session.pulumiChildren.delete(child);
                resolve(null);
            });
            child.once("close", (c) => {
                session.pulumiChildren.delete(child);
                resolve(c);
            });
        });
        checkInterrupted(session);
        found = findPulumi(root);
        if (code !== 0 || !found.cli) {
            throw new Stop(
                `\`npm run install:pulumi\` failed (exit ${code}; its output is above, the build log is .pulumi-cli/build.log). ` +
                    "Fix that, or install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) so that `pulumi` is on PATH; then run npm run local again",
            );
        }
    }
    const cli = found.cli;
    step(1, `Pulumi CLI ${pulumiVersion(cli) ?? "(version unknown)"}: ${cli === "pulumi" ? "pulumi on PATH" : path.relative(root, cli)}`);
    return cli;
}

function goMinimum(root: string): string {
    try {
        return /^go\s+(\S+)/m.exec(fs.readFileSync(path.join(root, "tools", "pulumi-cli", "go.mod"), "utf8"))?.[1] ?? "1.26";
    } catch {
        return "1.26";
    }
}

/** `--reset`: removes .local/ and Pulumi.local.yaml; refuses while `npm run local` is running. */
async function reset(paths: LocalPaths): Promise<number> {
    let lock: Lock | undefined;
    try {
        // Held while removing, so that no run starts meanwhile; without .local/ there is nothing to lock.
        if (fs.existsSync(paths.dir)) lock = takeLock(paths);
    } catch (err) {
        if (!(err instanceof Locked)) throw err;
        warn(`error: ${err.message}; then run npm run local -- --reset again`);
        return 1;
    }
    try {
        // A killed run's emulator would keep serving (and writing) the data removed here.
        if (lock) await clearLeftovers(paths, lock);
        const removed: string[] = [];
        if (fs.existsSync(paths.dir)) {
            fs.rmSync(paths.dir, { recursive: true, force: true });
            removed.push(".local/ (emulator data, local stack state, passphrase)");
        }
        if (fs.existsSync(paths.stackConfig)) {
            fs.rmSync(paths.stackConfig, { force: true });
            removed.push(`Pulumi.${stackName}.yaml (the local stack's users and encrypted passwords)`);
        }
        say(removed.length ? `removed ${removed.join(" and ")}` : "nothing to remove: no .local/ and no Pulumi.local.yaml");
        return 0;
    } finally {
        lock?.release();
    }
}

/**
 * `--totp <user>`: the QR code and URI from the local stack's outputs. Reads only (no lock, no
 * emulator), so it also works while another `npm run local` serves.
 */
async function totp(user: string, paths: LocalPaths): Promise<number> {
    if (!localStackExists(paths)) {
        warn(`error: there is no local stack yet (no .local/passphrase or Pulumi.${stackName}.yaml): run npm run local first`);
        return 2;
    }
    const found = findPulumi(paths.root);
    if (!found.cli) {
        warn(`error: no Pulumi CLI to read the local stack with: ${found.reason}`);
        return 1;
    }
    const children = new Set<ChildProcess>();
    const env = offlineEnv(found.cli, { stateDir: paths.stateDir, homeDir: paths.homeDir, passphraseFile: paths.passphrase });
    // Nothing it prints while reading is shown: the runner streams nothing, and its failures carry no secret.
    const pulumi = pulumiRunner(found.cli, env, paths.root, new Redactor(), children);
    try {
        return await showTotp(
            user,
            stackTotpSources(pulumi, found.cli, paths, () => readConfig(pulumi)),
        );
    } catch (err) {
        warn(`error: ${(err as Error)?.message ?? err}`);
        return 1;
    }
}

function checkInterrupted(session: Session): void {
    if (session.interrupted) throw new Stop(`stopped by ${session.interrupted}`);
}
