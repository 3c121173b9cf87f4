import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findPulumi, offlineEnv, projectRoot } from "../scripts/pulumiCli";
import { CognitoLocal, createPoolWithClient, startCognitoLocal } from "./cognitoLocal";

// Runs the real Pulumi CLI (`pulumi` on PATH, else the one `npm run install:pulumi` built into
// .pulumi-cli/bin) on a copy of this project, offline: a file backend and PULUMI_HOME in a temp
// folder, passphrase secrets, no update check, no plugin downloads. The copy holds the program's
// sources and links node_modules, so the engine runs the real index.ts and the real provider
// (the loader resolves to this project's providers/) while stack files stay out of the repo.

/**
 * What the program needs; copied into each temp project. The runner starts package.json's "main",
 * lib/entry.js, which loads index.ts through ts-node without a type check, as for users.
 */
const programFiles = ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "lib", "components", "providers"];

export { findPulumi };

export interface CommandResult {
    code: number | null;
    stdout: string;
    stderr: string;
    /** stdout and stderr together, in the order they arrived as far as pipes allow. */
    output: string;
}

export interface EngineProject {
    dir: string;
    stack: string;
    env: Record<string, string>;
    /** Runs `pulumi <args>` in the project; never throws on a non-zero exit. */
    run(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<CommandResult>;
    /** Like `run`, but fails with the whole output when the exit code is not 0. */
    ok(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<CommandResult>;
    /** Starts `pulumi <args>` and returns the child, for tests that interrupt it. */
    start(args: string[]): ReturnType<typeof spawn>;
    /** The stack's state file in the file backend (what `pulumi up` writes after each step). */
    stateFiles(): string[];
    remove(): void;
}

export interface EngineProjectOptions {
    /** Fills the empty project folder instead of copying this work tree's `programFiles` and linking its node_modules. */
    populate?: (projectDir: string) => void;
    /**
     * Drives that project's stack instead of a new one: the same backend, PULUMI_HOME, passphrase
     * and stack name (no `stack init`), and a copy of its stack config file as it is now, so set
     * the config before. `env` is added to a copy of that project's environment.
     */
    stackOf?: EngineProject;
}

/**
 * A fresh project copy and stack. `env` is added to the CLI's environment (e.g. the emulator's
 * endpoint); nothing from the caller's PULUMI_* variables leaks in.
 */
export async function createEngineProject(
    cli: string,
    env: Record<string, string>,
    options: EngineProjectOptions = {},
): Promise<EngineProject> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-engine-"));
    const project = path.join(dir, "project");
    fs.mkdirSync(project);
    if (options.populate) options.populate(project);
    else {
        for (const name of programFiles) fs.cpSync(path.join(projectRoot, name), path.join(project, name), { recursive: true });
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(project, "node_modules"), "dir");
    }
    const shared = options.stackOf;
    const stateDir = shared ? shared.env.PULUMI_BACKEND_URL.replace(/^file:\/\//, "") : path.join(dir, "state");
    const fullEnv = shared
        ? { ...shared.env, ...env }
        : offlineEnv(cli, {
              stateDir,
              homeDir: path.join(dir, "home"),
              passphrase: crypto.randomBytes(12).toString("hex"),
              extra: env,
          });
    const stack = shared ? shared.stack : `engine-${crypto.randomBytes(3).toString("hex")}`;
    if (shared) {
        const config = `Pulumi.${stack}.yaml`;
        if (fs.existsSync(path.join(shared.dir, config))) fs.copyFileSync(path.join(shared.dir, config), path.join(project, config));
    } else fs.mkdirSync(stateDir);

    const run = (args: string[], options: { input?: string; timeoutMs?: number } = {}) =>
        new Promise<CommandResult>((resolve, reject) => {
            const child = spawn(cli, [...args, "--non-interactive", "--color", "never"], {
                cwd: project,
                env: fullEnv,
                stdio: ["pipe", "pipe", "pipe"],
            });
            let stdout = "",
                stderr = "",
                output = "";
            child.stdout!.on("data", (c) => {
                stdout += c;
                output += c;
            });
            child.stderr!.on("data", (c) => {
                stderr += c;
                output += c;
            });
            const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
            child.on("error", reject);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code, stdout, stderr, output });
            });
            child.stdin!.end(options.input ?? "");
        });
    const engine: EngineProject = {
        dir: project,
        stack,
        env: fullEnv,
        run,
        async ok(args, options) {
            const result = await run(args, options);
            if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-6000)}`);
            return result;
        },
        // Its own process group, so that a test can kill the CLI with every process it started.
        start: (args) =>
            spawn(cli, [...args, "--non-interactive", "--color", "never"], {
                cwd: project,
                env: fullEnv,
                stdio: ["ignore", "pipe", "pipe"],
                detached: true,
            }),
        stateFiles() {
            const found: string[] = [];
            const walk = (d: string) => {
                for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
                    const full = path.join(d, entry.name);
                    if (entry.isDirectory()) walk(full);
                    else found.push(full);
                }
            };
            walk(stateDir);
            return found;
        },
        remove() {
            killProcessesIn(project);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
    if (shared) await engine.ok(["stack", "select", stack]);
    else await engine.ok(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    return engine;
}

/**
 * Kills every process whose working directory is inside `dir`. The engine starts each plugin (the
 * dynamic-provider host) in a process group of its own, so a test that kills the CLI's group
 * leaves them running; they all run in the project folder. Linux only (/proc); elsewhere a no-op.
 */
export function killProcessesIn(dir: string): void {
    if (!fs.existsSync("/proc")) return;
    for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
        let cwd: string;
        try {
            cwd = fs.readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, "");
        } catch {
            continue; // gone, or not ours to read
        }
        if (cwd === dir || cwd.startsWith(dir + path.sep)) {
            try {
                process.kill(Number(pid), "SIGKILL");
            } catch {
                /* already gone */
            }
        }
    }
}

/** A stack of `existingPoolSuite`: the project and the pool it manages the users of. */
export interface ExistingPoolStack {
    project: EngineProject;
    userPoolId: string;
    clientId: string;
}

export interface ExistingPoolSuite {
    /** This file's emulator (set in the suite's `before`). */
    readonly local: CognitoLocal;
    /**
     * A new stack on a new pool in existing-pool mode (`aws:region` local: a cognito-local pool id
     * starts with "local", which stands for its region). The endpoint is the emulator's unless
     * `endpoint` gives another, or makes one for the new pool (e.g. a proxy in front of it).
     */
    newStack(endpoint?: string | ((userPoolId: string) => Promise<string>)): Promise<ExistingPoolStack>;
}

/**
 * The hooks every engine test file in existing-pool mode shares, for the `describe` it is called
 * in: skipped with one line saying why when there is no CLI; one cognito-local for the file; every
 * stack's folder removed and the emulator stopped afterwards.
 */
export function existingPoolSuite(tag: string): ExistingPoolSuite {
    const { cli, reason } = findPulumi();
    const projects: EngineProject[] = [];
    let local: CognitoLocal | undefined;
    before(async function () {
        if (!cli) {
            console.log(`      engine tests skipped: ${reason}`);
            this.skip();
        }
        local = await startCognitoLocal();
    });
    after(async () => {
        for (const project of projects) project.remove();
        await local?.stop();
    });
    return {
        get local() {
            return local!;
        },
        async newStack(endpoint) {
            const pool = await createPoolWithClient(local!, `${tag}-${crypto.randomBytes(3).toString("hex")}`);
            const url = typeof endpoint === "function" ? await endpoint(pool.userPoolId) : (endpoint ?? local!.endpoint);
            const project = await createEngineProject(cli!, { ...local!.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: url });
            projects.push(project);
            await project.ok(["config", "set", "aws:region", "local"]);
            await project.ok(["config", "set", "userPoolId", pool.userPoolId]);
            return { project, ...pool };
        },
    };
}
