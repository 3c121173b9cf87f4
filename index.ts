import type * as pulumi from "@pulumi/pulumi";
import { amplifyOutputs, amplifyOutputsWarnings } from "./components/amplifyOutputs";
import type { CognitoAuth as CognitoAuthType } from "./components/cognitoAuth";
import { readStackConfig } from "./components/stackConfig";
import { CognitoUsers, totpSecretsOutput, usersOutput } from "./components/users";
import { configKeyIsSecret } from "./lib/pulumiInternals";
import { keyedMap } from "./lib/maps";
import { all, allConfig, getProject, getRootDirectory, getStack, log, secret } from "./lib/sdk";
import { StoredSecrets, readStoredSecrets } from "./lib/stackSecrets";

// The program: reads the stack config (README: "Configuration"; the reader and its checks are
// components/stackConfig.ts), refuses to run on any problem before a resource is declared, builds
// the components and exports their ids. Never exports a password.

const project = getProject();
const stack = getStack();
const config = allConfig();
const passwordsKey = `${project}:passwords`;

/** The stack file's `passwords` leaf by leaf; never the reader's message, which may quote a line of the file. */
function storedPasswords(): StoredSecrets | { unreadable: string } | undefined {
    if (config[passwordsKey] === undefined) return undefined;
    try {
        return readStoredSecrets(getRootDirectory() || process.cwd(), stack, passwordsKey);
    } catch (err) {
        return { unreadable: (err as NodeJS.ErrnoException)?.code ?? "not YAML this check can read" };
    }
}

const read = readStackConfig({ project, stack, config, isSecret: configKeyIsSecret, storedPasswords: storedPasswords() });
read.warnings.forEach((warning) => log.warn(warning));
amplifyOutputsWarnings(read.settings).forEach((warning) => log.warn(warning));
if (read.problems.length > 0) {
    throw new Error(`Invalid stack configuration for ${project}/${stack}:\n  - ${read.problems.join("\n  - ")}`);
}
// Each password travels as a Pulumi secret from here on.
const passwords = keyedMap(Object.entries(read.plainPasswords).map(([name, password]) => [name, secret(password)] as const));

/**
 * The stack outputs. Always `userPoolId`, `region`, `users` (username -> { sub, status }) and
 * `amplifyOutputs` (the `amplify_outputs.json` of an app, components/amplifyOutputs.ts); for a
 * pool this stack creates also its ARN, the client, the identity pool and the roles (`groupRoleArns`:
 * group -> role ARN, when a group has a role). An output that
 * does not apply is absent, not undefined.
 */
function outputs(): Record<string, pulumi.Input<unknown>> {
    // The component's (and so every child's) logical name is fixed: renaming the pool in config must
    // not give every resource a new URN, which would replace the identity pool, roles and users too.
    const { userPoolId, ...settings } = read.settings;
    if (userPoolId !== undefined) {
        // Stacks made before the users component existed have these users under a CognitoAuth of the same name.
        const users = new CognitoUsers(
            project,
            { ...settings, userPoolId, passwords },
            { aliases: [{ type: "cognito-auth:index:CognitoAuth" }] },
        );
        const totpSecrets = totpSecretsOutput(users.users, settings.users ?? {});
        return {
            userPoolId: users.userPoolId,
            region: users.region,
            users: usersOutput(users.users),
            amplifyOutputs: all([users.region, users.userPoolId, settings.userPoolClientId]).apply(([region, id, clientId]) =>
                amplifyOutputs({ settings: read.settings, region, userPoolId: id, userPoolClientId: clientId }),
            ),
            ...(totpSecrets ? { totpSecrets } : {}),
        };
    }
    // Loaded only here: with an existing pool nothing of the created pool's (nor @pulumi/aws) is needed.
    const { CognitoAuth } = require("./components/cognitoAuth") as { CognitoAuth: typeof CognitoAuthType };
    const auth = new CognitoAuth(project, { ...settings, passwords });
    const totpSecrets = totpSecretsOutput(auth.users, settings.users ?? {});
    return {
        userPoolId: auth.userPoolId,
        region: auth.region,
        users: usersOutput(auth.users),
        amplifyOutputs: all([auth.region, auth.userPoolId, auth.userPoolClient.id, auth.identityPool.id]).apply(
            ([region, id, clientId, identityPoolId]) =>
                amplifyOutputs({ settings: read.settings, region, userPoolId: id, userPoolClientId: clientId, identityPoolId }),
        ),
        userPoolArn: auth.userPool.arn,
        userPoolClientId: auth.userPoolClient.id,
        identityPoolId: auth.identityPool.id,
        authenticatedRoleArn: auth.authenticatedRole.arn,
        ...(auth.unauthenticatedRole ? { unauthenticatedRoleArn: auth.unauthenticatedRole.arn } : {}),
        ...(Object.keys(auth.groupRoles).length > 0
            ? { groupRoleArns: Object.fromEntries(Object.entries(auth.groupRoles).map(([group, role]) => [group, role.arn])) }
            : {}),
        ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
        ...(totpSecrets ? { totpSecrets } : {}),
    };
}

export = outputs();
