// `npm run local`: the steps, the signals, and the guarantee that nothing it started outlives it.

import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { portInUse } from "../../harness/ports";
import { configPath, shellQuote } from "../../lib/shell";
import { findPulumi, offlineEnv, pulumiVersion } from "../pulumiCli";
import { LocalArgs, parseArgs, usage } from "./args";
import { cognitoClient, ensurePoolAndClient, localRegion, signIn, SignInResult } from "./cognito";
import { portInUseMessage, startEmulator } from "./emulator";
import { cliCommand, stackCommand, Stop, upFailure } from "./failures";
import { removeEmptyAttrs } from "./leftovers";
import { Lock, Locked, takeLock } from "./lock";
import { Redactor, say, table, warn } from "./output";
import { LocalPaths, localPaths, stackName } from "./paths";
import { clearLeftovers, clearPendingCreates, clearStaleStackLock } from "./recovery";
import { Session } from "./session";
import {
    devUsers,
    disabledInConfig,
    ensurePassphrase,
    ensureStack,
    generatePassword,
    project,
    pulumiRunner,
    readConfig,
    setPassword,
    usersWithGroups,
    writeFirstConfig,
} from "./stack";

const steps = 6;
const step = (n: number, text: string) => say(`[${n}/${steps}] ${text}`);

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
    // Before anything slow: a busy port is the most common problem, and the CLI build takes minutes.
    if (await portInUse(args.port)) throw new Stop(portInUseMessage(args.port, paths));

    // 1. Pulumi CLI
    const cli = await ensurePulumi(paths.root, session);
    const redactor = new Redactor();
    checkInterrupted(session);

    // 2. cognito-local
    if (await portInUse(args.port)) throw new Stop(portInUseMessage(args.port, paths));
    step(2, `cognito-local on http://127.0.0.1:${args.port} (data in .local/cognito, log in .local/cognito.log)`);
    const emulator = await startEmulator(
        paths,
        args.port,
        (e) => {
            session.emulator = e;
        },
        (note) => say(`  ${note}`),
    );
    checkInterrupted(session);

    // 3. user pool and app client
    const client = cognitoClient(emulator.endpoint);
    try {
        const ids = await ensurePoolAndClient(client).catch((err) => {
            throw new Stop(`could not create or find the user pool in cognito-local: ${(err as Error).name}: ${(err as Error).message}`);
        });
        step(
            3,
            `user pool ${ids.userPoolId} (${ids.poolCreated ? "created" : "found again"}) and app client ${ids.clientId} (${ids.clientCreated ? "created" : "found again"})`,
        );
        checkInterrupted(session);

        // 4. the local stack and its config
        const passphrase = ensurePassphrase(paths);
        const env = offlineEnv(cli, {
            stateDir: paths.stateDir,
            homeDir: paths.homeDir,
            passphraseFile: paths.passphrase,
            base: withoutAws(process.env),
            extra: {
                // What the user provider (run by the engine's dynamic-provider host) needs.
                AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: emulator.endpoint,
                AWS_REGION: localRegion,
                AWS_ACCESS_KEY_ID: "local",
                AWS_SECRET_ACCESS_KEY: "local",
                AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
                // The program runs without a type check (lib/entry.js); PULUMI_NODEJS_TRANSPILE_ONLY=false
                // turns it on, so that setting is passed on (offlineEnv drops the caller's PULUMI_* variables).
                ...(process.env.PULUMI_NODEJS_TRANSPILE_ONLY
                    ? { PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY }
                    : {}),
            },
        });
        const pulumi = pulumiRunner(cli, env, paths.root, redactor, session.pulumiChildren);
        const configExisted = fs.existsSync(paths.stackConfig);
        const notes: string[] = [];
        if (removeEmptyAttrs(paths))
            notes.push(`removed the empty .local/state/.pulumi/stacks/${project}/${stackName}.json.attrs a kill during a state write left`);
        const stack = await ensureStack(pulumi, paths);
        const unlocked = await clearStaleStackLock(pulumi, paths, cli);
        if (unlocked) notes.push(unlocked);
        const cleared = await clearPendingCreates(pulumi);
        if (cleared) notes.push(cleared);
        if (passphrase.created) notes.push("new passphrase in .local/passphrase");
        if (stack.created) notes.push("stack created");
        if (!configExisted) {
            const dev = devUsers(paths);
            writeFirstConfig(paths, ids.userPoolId, dev.users);
            notes.push(`Pulumi.${stackName}.yaml made with the ${Object.keys(dev.users).length} user(s) of Pulumi.dev.yaml`);
            if (dev.withoutGroups.length > 0)
                notes.push(
                    `groups left out for ${dev.withoutGroups.join(", ")} (groups need the AWS provider plugin, which the local run does not use)`,
                );
        }
        let config = await readConfig(pulumi);
        if (config.userPoolId !== ids.userPoolId) {
            // The emulator's data was removed and the pool made again: the users move to the new pool.
            await pulumi.ok(["config", "set", `${project}:userPoolId`, ids.userPoolId, "-s", stackName]);
            notes.push(`userPoolId set to ${ids.userPoolId} (was ${config.userPoolId ?? "unset"})`);
        }
        if (config.region !== localRegion) {
            await pulumi.ok(["config", "set", "aws:region", localRegion, "-s", stackName]);
            notes.push(`aws:region set to ${localRegion} (cognito-local pool ids start with it)`);
        }
        if (config.adoptExistingUsers === undefined) {
            // Every user in the local pool under a name the local stack configures is its own, made by an
            // earlier run: one a killed run created but never recorded is taken over, not refused.
            await pulumi.ok(["config", "set", `${project}:adoptExistingUsers`, "true", "-s", stackName]);
            notes.push(`adoptExistingUsers set to true (the local pool's users are the local stack's own)`);
        }
        const grouped = usersWithGroups(config.users);
        if (grouped.length > 0) {
            throw new Stop(
                `users with groups cannot run locally (groups are aws.cognito.UserGroup resources, which need the AWS provider plugin): ${grouped.join(", ")}. ` +
                    `Remove them from the local stack, e.g. ${stackCommand(cli, paths, ["config", "rm", "--path", configPath("users", grouped[0], "groups"), "-s", stackName])}`,
            );
        }
        for (const password of Object.values(config.passwords)) redactor.add(password);
        const generated: string[] = [];
        for (const user of Object.keys(config.users)) {
            if (config.passwords[user] !== undefined) continue;
            const password = generatePassword();
            redactor.add(password);
            await setPassword(pulumi, user, password);
            generated.push(user);
        }
        if (generated.length > 0) {
            notes.push(`generated a password for ${generated.join(", ")} (stored encrypted in Pulumi.${stackName}.yaml)`);
            config = await readConfig(pulumi);
            for (const password of Object.values(config.passwords)) redactor.add(password);
        }
        step(
            4,
            `local stack '${stackName}' (state in .local/state, config in Pulumi.${stackName}.yaml): ${Object.keys(config.users).length} user(s)${notes.length ? `; ${notes.join("; ")}` : ""}`,
        );
        if (Object.keys(config.users).length === 0) {
            say(
                `  the local stack has no users; add one with: ${stackCommand(cli, paths, ["config", "set", "--path", configPath("users", "alice", "email"), "alice@example.com", "-s", stackName])}`,
            );
        }
        checkInterrupted(session);

        // 5. pulumi up
        step(5, `pulumi up --refresh on stack '${stackName}' (the real program, existing-pool mode)`);
        // One operation at a time: cognito-local can damage its data file when two changes overlap (see repairDataFiles).
        const up = await pulumi.run(
            ["up", "--yes", "--skip-preview", "--refresh", "--parallel", "1", "--suppress-progress", "-s", stackName],
            { stream: true },
        );
        checkInterrupted(session);
        if (up.code !== 0) throw new Stop(upFailure(up, cli, paths));

        // 6. sign-in
        step(6, `signing in every user with USER_PASSWORD_AUTH against ${emulator.endpoint}`);
        const results: SignInResult[] = [];
        for (const [user, spec] of Object.entries(config.users)) {
            results.push(await signIn(client, ids, user, config.passwords[user], !disabledInConfig(spec)));
        }
        process.stdout.write(
            "\n" +
                redactor.redact(
                    table(
                        ["user", "sign-in", "status"],
                        results.map((r) => [r.user, r.signIn, r.status]),
                    ),
                ),
        );
        const failed = results.filter((r) => !r.ok);
        const newUser = ["alice", "bob", "carol", "dave"].find((name) => !(name in config.users)) ?? "newuser";
        const signedIn = results.filter((r) => r.ok && !r.skipped).length;
        process.stdout.write(
            "\n" +
                [
                    "What an app needs (no AWS account; any credentials work against the emulator):",
                    `  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=${emulator.endpoint}`,
                    `  region      ${localRegion}`,
                    `  userPoolId  ${ids.userPoolId}`,
                    `  clientId    ${ids.clientId}   (no client secret; flows USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH)`,
                    "",
                    "The Pulumi CLI on the local stack (a password, a new user):",
                    `  export PULUMI_BACKEND_URL=${shellQuote(`file://${paths.stateDir}`)} PULUMI_CONFIG_PASSPHRASE_FILE=${shellQuote(paths.passphrase)}`,
                    `  ${cliCommand(cli, ["config", "get", "--path", configPath("passwords", Object.keys(config.users)[0] ?? "<user>"), "-s", stackName])}`,
                    `  ${cliCommand(cli, ["config", "set", "--path", configPath("users", newUser, "email"), `${newUser}@example.com`, "-s", stackName])}   # then npm run local again`,
                    "",
                ].join("\n"),
        );
        say(
            `${signedIn} of ${results.length} user(s) signed in${failed.length ? `, ${failed.length} failed` : ""}${results.length - signedIn - failed.length ? `, ${results.length - signedIn - failed.length} not tried` : ""} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );

        if (args.once) {
            say(`--once: pulumi destroy on stack '${stackName}', then stopping cognito-local`);
            const destroy = await pulumi.run(
                ["destroy", "--yes", "--skip-preview", "--parallel", "1", "--suppress-progress", "-s", stackName],
                { stream: true },
            );
            checkInterrupted(session);
            if (destroy.code !== 0) throw new Stop(`pulumi destroy failed (exit ${destroy.code ?? destroy.signal}); see its output above`);
            if (failed.length > 0) {
                warn(`${failed.length} user(s) could not sign in: ${failed.map((r) => r.user).join(", ")}`);
                return 1;
            }
            return 0;
        }

        say(`serving cognito-local on ${emulator.endpoint}; press Ctrl-C to stop (data is kept in .local/)`);
        const ended = await Promise.race([session.interruption().then(() => "signal" as const), emulator.exited.then((e) => e)]);
        if (ended !== "signal") {
            throw new Stop(
                `cognito-local stopped by itself (${ended.code ?? ended.signal}); see .local/cognito.log. Run npm run local again`,
            );
        }
        return failed.length > 0 ? 1 : 0;
    } finally {
        client.destroy();
    }
}

/** `pulumi` on PATH, else the built one, else `npm run install:pulumi` (which needs Go). */
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

function checkInterrupted(session: Session): void {
    if (session.interrupted) throw new Stop(`stopped by ${session.interrupted}`);
}

/** The caller's AWS_* settings (profile, session token, endpoints) must not reach the local run. */
function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("AWS_")));
}
