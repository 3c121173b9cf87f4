import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { commandLine } from "../lib/shell";
import { projectRoot } from "../scripts/pulumiCli";
import { createEngineProject, EngineProject } from "./engine";

// An engine project holding the product files of another commit, for upgrade tests: a stack made
// by that commit's code, then driven by the work tree's.
//
// Which provider code runs: state stores `require("@cognito-auth/user-provider-loader")`, and the
// dynamic-provider host resolves it from its working folder, the project (require-from-string
// with no file name takes node_modules paths from the current directory). The loader then loads
// providers/ of the project root it finds from its own real path. A project whose node_modules is
// a link to the work tree's would therefore run the WORK TREE's provider under the baseline's
// program. So the baseline project gets a node_modules folder of its own: a link to each of the
// work tree's packages, except the loader, which is copied from the baseline's
// providers/cognitoUser/loader; its real path is then inside the baseline project, and the
// baseline's providers/ are the ones that run.

/**
 * The released version whose stacks must upgrade with no create, delete or replace: the last
 * commit before the components were split (issue 17). Stacks in use were made by this code.
 */
export const baselineCommit = "ec0728cf78975a2699186db4ce59c00ce1b37d75";

/** The same list harness/engine.ts copies from the work tree. */
const productFiles = ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "lib", "components", "providers"];

const loaderPackage = ["@cognito-auth", "user-provider-loader"];

function git(args: string[]): Buffer {
    return execFileSync("git", args, { cwd: projectRoot, maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

/** Fails, saying how to get it, when this clone lacks `commit` (a shallow clone). */
export function requireCommit(commit: string): void {
    try {
        git(["cat-file", "-e", `${commit}^{commit}`]);
    } catch {
        throw new Error(
            `the baseline commit ${commit} is not in this clone (a shallow clone has only recent history); ` +
                `the upgrade test needs it: run ${commandLine(["git", "fetch", "--unshallow"])} (or ${commandLine(["git", "fetch", "origin", commit])}) and run the test again`,
        );
    }
}

/** The dependencies the baseline declares that the work tree's node_modules was not installed for (another version, or none). */
function dependencyDifferences(commit: string): string[] {
    const deps = (text: string): Record<string, string> => JSON.parse(text).dependencies ?? {};
    const baseline = deps(git(["show", `${commit}:package.json`]).toString("utf8"));
    const current = deps(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8"));
    return (
        [...new Set([...Object.keys(baseline), ...Object.keys(current)])]
            // One the baseline does not declare is only linked, never loaded by the baseline's code.
            .filter((name) => name in baseline && baseline[name] !== current[name])
            .sort()
            .map((name) => `${name}: baseline ${baseline[name] ?? "(none)"}, work tree ${current[name] ?? "(none)"}`)
    );
}

/** Writes `commit`'s product files into `dir`, with a node_modules of links to the work tree's packages and the baseline's own loader. */
export function writeBaseline(dir: string, commit: string = baselineCommit): void {
    requireCommit(commit);
    const differences = dependencyDifferences(commit);
    if (differences.length > 0) {
        throw new Error(
            `package.json of the baseline commit ${commit} declares other dependencies than the work tree's, ` +
                `whose node_modules the baseline project links to, so it would not run its own versions:\n  ${differences.join("\n  ")}`,
        );
    }
    execFileSync("tar", ["-x", "-C", dir], { input: git(["archive", commit, "--", ...productFiles]) });

    const modules = path.join(projectRoot, "node_modules");
    const own = path.join(dir, "node_modules");
    fs.mkdirSync(path.join(own, loaderPackage[0]), { recursive: true });
    for (const entry of fs.readdirSync(modules)) {
        if (entry !== loaderPackage[0]) fs.symlinkSync(path.join(modules, entry), path.join(own, entry));
    }
    for (const entry of fs.readdirSync(path.join(modules, loaderPackage[0]))) {
        if (entry !== loaderPackage[1])
            fs.symlinkSync(path.join(modules, loaderPackage[0], entry), path.join(own, loaderPackage[0], entry));
    }
    fs.cpSync(path.join(dir, "providers", "cognitoUser", "loader"), path.join(own, ...loaderPackage), { recursive: true });

    // The check the comment at the top relies on: from the project folder the loader resolves to the copy.
    const resolved = fs.realpathSync(require.resolve(loaderPackage.join("/"), { paths: [dir] }));
    if (!resolved.startsWith(fs.realpathSync(own) + path.sep)) {
        throw new Error(
            `the baseline project's loader resolves to ${resolved}, not to its own copy: it would run another commit's provider`,
        );
    }
}

/**
 * A project with `commit`'s product files that drives `stackOf`'s stack (same backend, PULUMI_HOME,
 * passphrase, stack name; its stack config copied as it is now), running that commit's program
 * and provider.
 */
export function createBaselineProject(
    cli: string,
    stackOf: EngineProject,
    commit: string = baselineCommit,
    env: Record<string, string> = {},
): Promise<EngineProject> {
    return createEngineProject(cli, env, { populate: (dir) => writeBaseline(dir, commit), stackOf });
}
