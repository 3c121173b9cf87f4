import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    InitiateAuthCommand,
    ListUsersCommand,
    UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { dropSharedClients } from "../providers/cognitoUser/client";
import { Emulator, launchEmulator } from "./emulator";
import { freePort } from "./ports";

// cognito-local for a test or a bench run: on a free loopback port, in a temp dir, with a client
// and the environment that points the provider at it. Nothing is left running or on disk after `stop()`.

export interface CognitoLocal {
    endpoint: string;
    port: number;
    /** Environment that points the AWS SDK (and so the provider) at the emulator. */
    env: Record<string, string>;
    /** A client for tests' own calls (setup and assertions), outside the provider. */
    client: CognitoIdentityProviderClient;
    stop(): Promise<void>;
}

export async function startCognitoLocal(): Promise<CognitoLocal> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-local-"));
    let emulator: Emulator | undefined;
    // Also when the test process ends without running after() hooks (Ctrl-C, a CI timeout's
    // SIGTERM, process.exit): otherwise the emulator and its dir outlive the run.
    const abandon = () => {
        emulator?.killNow();
        fs.rmSync(dir, { recursive: true, force: true });
    };
    const onSignal = (signal: NodeJS.Signals) => {
        abandon();
        process.kill(process.pid, signal);
    };
    const unhook = () => {
        process.off("exit", abandon);
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
    };
    process.once("exit", abandon);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        await launchEmulator({
            dir,
            port: await freePort(),
            log: path.join(dir, "cognito-local.log"),
            track: (e) => {
                emulator = e;
            },
        });
    } catch (err) {
        unhook();
        await emulator?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
    }
    const { endpoint, port } = emulator!;
    const env = {
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
    };
    const client = new CognitoIdentityProviderClient({
        endpoint,
        region: env.AWS_REGION,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    return {
        endpoint,
        port,
        env,
        client,
        async stop() {
            // The emulator is killed and its folder removed even if closing a client throws.
            try {
                unhook();
                client.destroy();
                dropSharedClients(endpoint); // the provider keeps no socket to an emulator that is gone
            } finally {
                await emulator!.stop();
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
    };
}

/** The one env save/restore (harness/env.ts), also here for the emulator's callers. */
export { withEnv } from "./env";

/** A pool and an app client that allows USER_PASSWORD_AUTH, like the component's. */
export async function createPoolWithClient(local: CognitoLocal, name = "test-pool") {
    const pool = await local.client.send(new CreateUserPoolCommand({ PoolName: name }));
    const userPoolId = pool.UserPool!.Id!;
    const appClient = await local.client.send(
        new CreateUserPoolClientCommand({
            UserPoolId: userPoolId,
            ClientName: `${name}-client`,
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
    );
    return { userPoolId, clientId: appClient.UserPoolClient!.ClientId! };
}

/** Every user of a pool, read directly from the emulator, all pages. */
export async function listUsers(local: CognitoLocal, userPoolId: string): Promise<UserType[]> {
    const users: UserType[] = [];
    let PaginationToken: string | undefined;
    do {
        const page = await local.client.send(new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken }));
        users.push(...(page.Users ?? []));
        PaginationToken = page.PaginationToken;
    } while (PaginationToken);
    return users;
}

/**
 * Signs a user in with USER_PASSWORD_AUTH. False only for a refused password (cognito-local answers
 * a wrong one with InvalidPasswordException, Cognito with NotAuthorizedException); any other error,
 * a missing user included, throws, so "the old password no longer works" cannot pass for a user
 * that is gone. The error names the user, never the password.
 */
export async function signIn(local: CognitoLocal, clientId: string, username: string, password: string): Promise<boolean> {
    try {
        const result = await local.client.send(
            new InitiateAuthCommand({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: clientId,
                AuthParameters: { USERNAME: username, PASSWORD: password },
            }),
        );
        return Boolean(result.AuthenticationResult?.AccessToken);
    } catch (err) {
        const name = (err as Error)?.name;
        if (name === "NotAuthorizedException" || name === "InvalidPasswordException") return false;
        throw new Error(`sign-in of ${username} failed unexpectedly: ${name}`);
    }
}
