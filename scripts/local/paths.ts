// Where `npm run local` keeps its things. Everything but the stack's config file is under .local/
// (git-ignored); Pulumi.local.yaml sits next to Pulumi.yaml, where the CLI looks for it (also
// git-ignored).
import * as path from "path";

export const stackName = "local";
export const poolName = "cognito-auth-local";
export const clientName = `${poolName}-client`;

export interface LocalPaths {
    root: string;
    dir: string;
    /** cognito-local's working directory: its data is in .cognito/ below. */
    cognitoDir: string;
    cognitoLog: string;
    /** pid of the emulator this tool started, to name a stray one left by a killed run. */
    cognitoPid: string;
    stateDir: string;
    homeDir: string;
    passphrase: string;
    /** pid of the running `npm run local`, so --reset does not pull the data from under it. */
    lock: string;
    stackConfig: string;
    devConfig: string;
}

export function localPaths(root: string): LocalPaths {
    const dir = path.join(root, ".local");
    return {
        root,
        dir,
        cognitoDir: path.join(dir, "cognito"),
        cognitoLog: path.join(dir, "cognito.log"),
        cognitoPid: path.join(dir, "cognito.pid"),
        stateDir: path.join(dir, "state"),
        homeDir: path.join(dir, "home"),
        passphrase: path.join(dir, "passphrase"),
        lock: path.join(dir, "run.pid"),
        stackConfig: path.join(root, `Pulumi.${stackName}.yaml`),
        devConfig: path.join(root, "Pulumi.dev.yaml"),
    };
}
