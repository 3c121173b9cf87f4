// What `npm run local` gives an app: .local/amplify_outputs.json, the stack's amplify_outputs.json
// (components/amplifyOutputs.ts) for the emulator's pool and client: removed when a run starts and
// written once the port, ids and users are known, so it never names an old port or pool; and with
// --web, the example page (./web.ts) beside the emulator.

import * as fs from "fs";
import * as path from "path";
import { amplifyOutputs, AmplifyOutputsFile } from "../../components/amplifyOutputs";
import type { GroupSpec } from "../../components/types";
import { isMap } from "../../lib/maps";
import { localRegion, passwordPolicy, PoolAndClient } from "./cognito";
import { say } from "./output";
import { LocalPaths } from "./paths";
import { LocalConfig } from "./stack";
import { serveWebSignIn, WebServer } from "./web";

const yaml = require("js-yaml") as { load(text: string): unknown };

export const amplifyOutputsFile = (paths: LocalPaths): string => path.join(paths.dir, "amplify_outputs.json");

/**
 * The file for the emulator's pool: as a pool this stack creates with its defaults would be (the
 * emulator's pool has that policy and MFA OPTIONAL with TOTP), no identity pool (cognito-local has
 * none), and the emulator's address for Amplify's `Auth.Cognito.userPoolEndpoint`.
 */
export function localAmplifyOutputs(
    endpoint: string,
    ids: PoolAndClient,
    config: LocalConfig,
    groups: Record<string, GroupSpec>,
): AmplifyOutputsFile {
    return amplifyOutputs({
        settings: {
            mfa: "OPTIONAL",
            passwordPolicy: {
                minimumLength: passwordPolicy.MinimumLength,
                requireLowercase: passwordPolicy.RequireLowercase,
                requireUppercase: passwordPolicy.RequireUppercase,
                requireNumbers: passwordPolicy.RequireNumbers,
                requireSymbols: passwordPolicy.RequireSymbols,
            },
            users: config.users,
            groups,
        },
        region: localRegion,
        userPoolId: ids.userPoolId,
        userPoolClientId: ids.clientId,
        userPoolEndpoint: endpoint,
    });
}

/** `cognito-auth:groups` of the local stack's file (plain config), for the groups' precedence. */
function localGroups(paths: LocalPaths): Record<string, GroupSpec> {
    try {
        const doc = yaml.load(fs.readFileSync(paths.stackConfig, "utf8")) as { config?: Record<string, unknown> };
        const groups = doc?.config?.["cognito-auth:groups"];
        return isMap(groups) ? (groups as Record<string, GroupSpec>) : {};
    } catch {
        return {};
    }
}

/**
 * At the start of a run: the file of an earlier run goes, so that a run that fails before
 * `writeLocalOutputs` never leaves one naming an old port, pool or client.
 */
export function removeLocalOutputs(paths: LocalPaths): void {
    fs.rmSync(amplifyOutputsFile(paths), { force: true });
}

/** Writes .local/amplify_outputs.json (whole or not at all), as soon as the port, pool, client and users are known. */
export function writeLocalOutputs(paths: LocalPaths, endpoint: string, ids: PoolAndClient, config: LocalConfig): string {
    const file = amplifyOutputsFile(paths);
    const temporary = `${file}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(localAmplifyOutputs(endpoint, ids, config, localGroups(paths)), null, 2) + "\n");
    fs.renameSync(temporary, file);
    return file;
}

/** Says where the file is and with `web` serves the example page. */
export async function appOutputs(web: boolean, paths: LocalPaths, endpoint: string): Promise<WebServer | undefined> {
    const file = amplifyOutputsFile(paths);
    say(
        `amplify_outputs.json for an app: ${path.relative(paths.root, file)} (Amplify JS: Amplify.configure it, with Auth.Cognito.userPoolEndpoint ${endpoint} from custom.cognito_auth.user_pool_endpoint)`,
    );
    if (!web) return undefined;
    const server = await serveWebSignIn(paths, file);
    say(`example sign-in page (examples/web-sign-in): ${server.url}  (USER_PASSWORD_AUTH through Amplify JS)`);
    return server;
}
