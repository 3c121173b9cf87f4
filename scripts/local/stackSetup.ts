// Step 4 of `npm run local`: the local stack and its config, made or repaired, pointed at the
// emulator's pool, every user with a password; what was done is one progress line.

import { ChildProcess } from "child_process";
import * as fs from "fs";
import { configPath } from "../../lib/shell";
import { offlineEnv } from "../pulumiCli";
import { localRegion, PoolAndClient } from "./cognito";
import { stackCommand, Stop } from "./failures";
import { removeEmptyAttrs } from "./leftovers";
import { Redactor, say, step } from "./output";
import { LocalPaths, stackName } from "./paths";
import { clearPendingCreates, clearStaleStackLock } from "./recovery";
import {
    devUsers,
    ensurePassphrase,
    ensureStack,
    generatePassword,
    LocalConfig,
    project,
    PulumiRunner,
    pulumiRunner,
    readConfig,
    setPassword,
    usersWithGroups,
    writeFirstConfig,
} from "./stack";

/** Makes the stack ready for `pulumi up`; returns the runner for it and its config. */
export async function setUpStack(
    cli: string,
    paths: LocalPaths,
    endpoint: string,
    ids: PoolAndClient,
    redactor: Redactor,
    children: Set<ChildProcess>,
): Promise<{ pulumi: PulumiRunner; config: LocalConfig }> {
    const passphrase = ensurePassphrase(paths);
    const pulumi = pulumiRunner(cli, localEnv(cli, paths, endpoint), paths.root, redactor, children);
    const configExisted = fs.existsSync(paths.stackConfig);
    const notes = await openStack(pulumi, paths, cli, passphrase.created);
    if (!configExisted) notes.push(...firstConfig(paths, ids.userPoolId));
    let config = await readConfig(pulumi);
    notes.push(...(await pointAtPool(pulumi, config, ids)));
    refuseGroups(config, cli, paths);
    const generated = await ensurePasswords(pulumi, config, redactor);
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
    return { pulumi, config };
}

/** The Pulumi CLI's environment: offline state, and what the user provider needs to reach the emulator. */
function localEnv(cli: string, paths: LocalPaths, endpoint: string): Record<string, string> {
    return offlineEnv(cli, {
        stateDir: paths.stateDir,
        homeDir: paths.homeDir,
        passphraseFile: paths.passphrase,
        base: withoutAws(process.env),
        extra: {
            // What the user provider (run by the engine's dynamic-provider host) needs.
            AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
            AWS_REGION: localRegion,
            AWS_ACCESS_KEY_ID: "local",
            AWS_SECRET_ACCESS_KEY: "local",
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            // The program runs without a type check (lib/entry.js); PULUMI_NODEJS_TRANSPILE_ONLY=false
            // turns it on, so that setting is passed on (offlineEnv drops the caller's PULUMI_* variables).
            ...(process.env.PULUMI_NODEJS_TRANSPILE_ONLY ? { PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY } : {}),
        },
    });
}

/** The caller's AWS_* settings (profile, session token, endpoints) must not reach the local run. */
function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("AWS_")));
}

/** The stack, made if missing, with what a killed run left in its state cleared; returns notes. */
async function openStack(pulumi: PulumiRunner, paths: LocalPaths, cli: string, passphraseCreated: boolean): Promise<string[]> {
    const notes: string[] = [];
    if (removeEmptyAttrs(paths))
        notes.push(`removed the empty .local/state/.pulumi/stacks/${project}/${stackName}.json.attrs a kill during a state write left`);
    const stack = await ensureStack(pulumi, paths);
    const unlocked = await clearStaleStackLock(pulumi, paths, cli);
    if (unlocked) notes.push(unlocked);
    const cleared = await clearPendingCreates(pulumi);
    if (cleared) notes.push(cleared);
    if (passphraseCreated) notes.push("new passphrase in .local/passphrase");
    if (stack.created) notes.push("stack created");
    return notes;
}

/** Pulumi.local.yaml with the users of Pulumi.dev.yaml (without groups); returns notes. */
function firstConfig(paths: LocalPaths, userPoolId: string): string[] {
    const dev = devUsers(paths);
    writeFirstConfig(paths, userPoolId, dev.users);
    const notes = [`Pulumi.${stackName}.yaml made with the ${Object.keys(dev.users).length} user(s) of Pulumi.dev.yaml`];
    if (dev.withoutGroups.length > 0)
        notes.push(
            `groups left out for ${dev.withoutGroups.join(", ")} (groups need the AWS provider plugin, which the local run does not use)`,
        );
    return notes;
}

/** The settings that tie the stack to the emulator's pool: pool id, region, adoption, app client; returns notes. */
async function pointAtPool(pulumi: PulumiRunner, config: LocalConfig, ids: PoolAndClient): Promise<string[]> {
    const { userPoolId } = ids;
    const notes: string[] = [];
    if (config.userPoolId !== userPoolId) {
        // The emulator's data was removed and the pool made again: the users move to the new pool.
        await pulumi.ok(["config", "set", `${project}:userPoolId`, userPoolId, "-s", stackName]);
        notes.push(`userPoolId set to ${userPoolId} (was ${config.userPoolId ?? "unset"})`);
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
    // The local app client: TOTP enrolment signs in through it, and the stack's amplifyOutputs names it
    // (without it the program warns that an app cannot sign in). It follows the local client, made
    // again with the emulator's data; only users with mfa TOTP take it, so no other user changes.
    if (config.userPoolClientId !== ids.clientId) {
        await pulumi.ok(["config", "set", `${project}:userPoolClientId`, ids.clientId, "-s", stackName]);
        notes.push(`userPoolClientId set to ${ids.clientId} (the app client of amplifyOutputs and of TOTP enrolment)`);
    }
    return notes;
}

function refuseGroups(config: LocalConfig, cli: string, paths: LocalPaths): void {
    const grouped = usersWithGroups(config.users);
    if (grouped.length > 0) {
        throw new Stop(
            `users with groups cannot run locally (groups are aws.cognito.UserGroup resources, which need the AWS provider plugin): ${grouped.join(", ")}. ` +
                `Remove them from the local stack, e.g. ${stackCommand(cli, paths, ["config", "rm", "--path", configPath("users", grouped[0], "groups"), "-s", stackName])}`,
        );
    }
}

/** A generated password for each user without one; every password goes to the redactor. Returns the users given one. */
async function ensurePasswords(pulumi: PulumiRunner, config: LocalConfig, redactor: Redactor): Promise<string[]> {
    for (const password of Object.values(config.passwords)) redactor.add(password);
    const generated: string[] = [];
    for (const user of Object.keys(config.users)) {
        if (config.passwords[user] !== undefined) continue;
        const password = generatePassword();
        redactor.add(password);
        await setPassword(pulumi, user, password);
        generated.push(user);
    }
    return generated;
}
