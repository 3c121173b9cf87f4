import { execFile } from "child_process";
import { createHmac } from "crypto";
import * as fs from "fs";
import {
    AuthFlowType, CognitoIdentityProviderClient, InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
    CognitoIdentityClient, Credentials, GetCredentialsForIdentityCommand, GetIdCommand,
} from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

// `npm run verify`: proves that a deployed stack lets its users sign in and receive temporary AWS
// credentials from the identity pool. Reads the stack's outputs and config (Pulumi CLI or JSON
// files), signs every configured user in with USER_PASSWORD_AUTH, exchanges the ID token for an
// identity and credentials, asks STS whose credentials they are (the role must be the stack's
// authenticated role; the unauthenticated one for guests), and prints one row per user. Never prints a password, token, client
// secret or credential: only whether each step worked, the identity id and the expiry.
//
// Everything below is a pure function taking its SDK clients as parameters so tests can inject
// emulators and mocks; only the entry point at the bottom touches process.argv and the exit code.

const project = "cognito-auth";

export const usage = `Usage: npm run verify -- [options]

Signs in every user of the stack's config (USER_PASSWORD_AUTH, with SECRET_HASH when the app
client has a secret), gets an identity and temporary credentials from the identity pool with the
user-pool login, and does the same as a guest when guests are allowed. Prints a table per user
(sign-in, identity, credentials, expiry) without passwords, tokens or credentials. Exits 1 if any
step fails, saying which step and why; 2 on a usage or input error.

Options:
  -s, --stack NAME     Stack to verify (default: the currently selected stack). Reads
                       'pulumi stack output --json --show-secrets' and
                       'pulumi config --json --show-secrets' for it.
  --outputs FILE       Read the stack outputs from FILE instead (JSON as printed by
                       'pulumi stack output --json --show-secrets').
  --config FILE        Read the stack config from FILE instead (JSON as printed by
                       'pulumi config --json --show-secrets').
  --cwd DIR            Directory of the Pulumi project for the CLI calls (default: current).
  -h, --help           Show this help.

Endpoints and region come from the standard AWS SDK chain (AWS_REGION,
AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL_COGNITO_IDENTITY, ...); the region
defaults to the stack's 'region' output. The sign-in and identity calls need no AWS credentials.

Examples:
  npm run verify -- --stack dev
  npm run verify -- --outputs outputs.json --config config.json
`;

/** One configured user. `password` is undefined when the config has none for this user. */
export interface UserToVerify {
    username: string;
    password?: string;
    /** `enabled` from config; a disabled user is expected to be refused at sign-in. */
    enabled: boolean;
}

/** Everything the checks need, from the stack's outputs and config. */
export interface VerifyInputs {
    region: string;
    userPoolId: string;
    clientId: string;
    clientSecret?: string;
    identityPoolId: string;
    authenticatedRoleArn: string;
    unauthenticatedRoleArn?: string;
    users: UserToVerify[];
}

export interface LoadOptions {
    stack?: string;
    outputsFile?: string;
    configFile?: string;
    cwd?: string;
}

/** Runs the Pulumi CLI with the given arguments and returns its stdout (never logged). */
export type PulumiRunner = (args: string[], cwd?: string) => Promise<string>;

/** An error in the inputs or arguments (exit code 2), as opposed to a failed check (exit code 1). */
export class InputError extends Error {}

export const runPulumi: PulumiRunner = (args, cwd) => new Promise((resolve, reject) => {
    execFile("pulumi", args, { cwd, maxBuffer: 64 * 1024 * 1024, env: process.env }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        // Only stderr and the command (no secret is on the command line): stdout may hold secrets.
        const why = (err as NodeJS.ErrnoException).code === "ENOENT"
            ? "the pulumi CLI is not on PATH; install it, or pass --outputs and --config files"
            : String(stderr).trim() || err.message.split("\n")[0];
        reject(new InputError(`pulumi ${args.filter((a) => a !== "--show-secrets").join(" ")} failed: ${why}`));
    });
});

function readJsonFile(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new InputError(`cannot read the ${what} file ${file}: ${(err as Error).message}`);
    }
    return parseJson(text, `the ${what} file ${file}`);
}

function parseJson(text: string, what: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        // Not the parser's message: it can quote the text, which may hold secrets.
        throw new InputError(`${what} is not valid JSON`);
    }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A value of `pulumi config --json`: `{ value, objectValue?, secret }`, where `value` is the
 * string as stored (JSON text for objects) and `objectValue` the parsed object when there is one.
 */
export function configValue(config: Record<string, unknown>, key: string): unknown {
    const entry = config[key];
    if (entry === undefined) return undefined;
    if (!isObject(entry)) return entry; // a plain `{ key: value }` file
    if ("objectValue" in entry && entry.objectValue !== undefined) return entry.objectValue;
    if (!("value" in entry)) {
        if (entry.secret === true) {
            throw new InputError(`config ${key} is secret and its value is missing: read it with 'pulumi config --json --show-secrets'`);
        }
        return entry;
    }
    const value = entry.value;
    if (value === "[secret]") {
        throw new InputError(`config ${key} shows "[secret]": read it with 'pulumi config --json --show-secrets'`);
    }
    if (typeof value === "string" && /^\s*[[{]/.test(value)) return parseJson(value, `config ${key}`);
    return value;
}

function requiredString(outputs: Record<string, unknown>, key: string, optional = false): string | undefined {
    const value = outputs[key];
    if (value === undefined || value === null || value === "") {
        if (optional) return undefined;
        throw new InputError(`stack output ${key} is missing; is this the right stack, and has 'pulumi up' run?`);
    }
    if (value === "[secret]") {
        throw new InputError(`stack output ${key} shows "[secret]": read outputs with 'pulumi stack output --json --show-secrets'`);
    }
    if (typeof value !== "string") throw new InputError(`stack output ${key} must be a string`);
    return value;
}

/** Reads and checks the stack's outputs and config, from files or through the Pulumi CLI. */
export async function loadInputs(options: LoadOptions, run: PulumiRunner = runPulumi): Promise<VerifyInputs> {
    const stackArgs = options.stack ? ["-s", options.stack] : [];
    const outputs = options.outputsFile
        ? readJsonFile(options.outputsFile, "outputs")
        : parseJson(await run(["stack", "output", "--json", "--show-secrets", ...stackArgs], options.cwd), "the output of pulumi stack output");
    const config = options.configFile
        ? readJsonFile(options.configFile, "config")
        : parseJson(await run(["config", "--json", "--show-secrets", ...stackArgs], options.cwd), "the output of pulumi config");
    if (!isObject(outputs)) throw new InputError("the stack outputs must be a JSON object");
    if (!isObject(config)) throw new InputError("the stack config must be a JSON object");

    const userPoolId = requiredString(outputs, "userPoolId")!;
    const region = requiredString(outputs, "region", true)
        ?? (configValue(config, "aws:region") as string | undefined)
        ?? userPoolId.split("_")[0];
    const users = configValue(config, `${project}:users`) ?? {};
    const passwords = configValue(config, `${project}:passwords`) ?? {};
    if (!isObject(users)) throw new InputError(`config ${project}:users must be a map of username to settings`);
    if (!isObject(passwords)) throw new InputError(`config ${project}:passwords must be a map of username to password`);
    return {
        region,
        userPoolId,
        clientId: requiredString(outputs, "userPoolClientId")!,
        clientSecret: requiredString(outputs, "clientSecret", true),
        identityPoolId: requiredString(outputs, "identityPoolId")!,
        authenticatedRoleArn: requiredString(outputs, "authenticatedRoleArn")!,
        unauthenticatedRoleArn: requiredString(outputs, "unauthenticatedRoleArn", true),
        users: Object.entries(users).map(([username, spec]) => ({
            username,
            password: typeof passwords[username] === "string" ? passwords[username] as string : undefined,
            enabled: !(isObject(spec) && (spec.enabled === false || spec.enabled === "false")),
        })),
    };
}

/** Cognito's SECRET_HASH: base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
    return createHmac("sha256", clientSecret).update(username + clientId, "utf8").digest("base64");
}

export type StepName = "sign-in" | "identity" | "credentials";

/** The result of verifying one user (or the guest). Holds no secret. */
export interface UserReport {
    user: string;
    signIn: string;
    identity: string;
    credentials: string;
    expiry: string;
    ok: boolean;
    /** The step that failed and why, in plain words. */
    failure?: { step: StepName; reason: string };
}

export interface Clients {
    idp: CognitoIdentityProviderClient;
    identity: CognitoIdentityClient;
    /** An STS client that signs with the given temporary credentials. */
    stsWith(credentials: Credentials): STSClient;
}

/** The role name in an IAM role ARN (`arn:aws:iam::<account>:role/<path/>name`). */
export function roleName(roleArn: string): string {
    return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

/** The role name in an STS assumed-role ARN (`arn:aws:sts::<account>:assumed-role/<name>/<session>`). */
export function assumedRoleName(callerArn: string): string | undefined {
    return /:assumed-role\/([^/]+)\//.exec(callerArn)?.[1];
}

function errorName(err: unknown): string {
    return String((err as { name?: string })?.name ?? "Error");
}

function errorMessage(err: unknown): string {
    return String((err as { message?: string })?.message ?? err);
}

/** Plain-words reason for a failed InitiateAuth. */
export function explainSignInError(err: unknown, inputs: Pick<VerifyInputs, "clientSecret">): string {
    const name = errorName(err);
    const message = errorMessage(err);
    const raw = `(${name}: ${message})`;
    if (name === "NotAuthorizedException") {
        if (/disabled/i.test(message)) return `user is disabled in the pool; set enabled: true in config and run pulumi up ${raw}`;
        if (/secret hash|SECRET_HASH|configured with secret/i.test(message)) {
            return inputs.clientSecret
                ? `client secret mismatch: the SECRET_HASH was rejected; the clientSecret output does not belong to this app client ${raw}`
                : `the app client has a secret but the outputs have no clientSecret; export it or use a client without a secret ${raw}`;
        }
        if (/attempts exceeded/i.test(message)) return `too many failed sign-ins: Cognito locked the user out for a while; wait and retry ${raw}`;
        if (/incorrect username or password/i.test(message)) {
            return `wrong password (or no such user in the pool): the password in config differs from the user's; run pulumi up to apply it ${raw}`;
        }
        return `sign-in not authorized ${raw}`;
    }
    switch (name) {
        case "InvalidPasswordException": // what cognito-local answers for a wrong password
            return `wrong password: the password in config differs from the user's; run pulumi up to apply it ${raw}`;
        case "UserNotFoundException":
            return `user does not exist in the pool; run pulumi up to create it ${raw}`;
        case "UserNotConfirmedException":
            return `user not confirmed: the user exists but was never confirmed; run pulumi up so the permanent password is set ${raw}`;
        case "PasswordResetRequiredException":
            return `password reset required: an administrator reset the user's password; run pulumi up to re-apply it ${raw}`;
        case "InvalidParameterException":
            return /USER_PASSWORD_AUTH/i.test(message)
                ? `the app client does not allow USER_PASSWORD_AUTH; add ALLOW_USER_PASSWORD_AUTH to its auth flows ${raw}`
                : `invalid sign-in request ${raw}`;
        case "ResourceNotFoundException":
            return `the user pool or app client does not exist (wrong stack or region?) ${raw}`;
        case "TooManyRequestsException":
            return `throttled by Cognito; retry in a moment ${raw}`;
        default:
            return `sign-in failed ${raw}`;
    }
}

/** Plain-words reason for a challenge returned instead of tokens. */
export function explainChallenge(challenge: string): string {
    switch (challenge) {
        case "NEW_PASSWORD_REQUIRED":
            return "user not confirmed: Cognito asks for a new password (status FORCE_CHANGE_PASSWORD), so the permanent password was never applied; run pulumi up";
        case "SOFTWARE_TOKEN_MFA":
        case "SMS_MFA":
        case "EMAIL_OTP":
        case "SELECT_MFA_TYPE":
            return `MFA challenge (${challenge}): the user has MFA set up and verify cannot answer it; sign in interactively, or verify with a user without MFA`;
        case "MFA_SETUP":
            return "MFA challenge (MFA_SETUP): the pool requires MFA (mfa = ON) and the user has not enrolled a device yet";
        default:
            return `unexpected challenge ${challenge} instead of tokens`;
    }
}

const roleTrustHint = "role trust mismatch: the role's trust policy must allow this identity pool (aud) and amr authenticated";

/** Plain-words reason for a failed GetId or GetCredentialsForIdentity. */
export function explainIdentityError(err: unknown, step: "identity" | "credentials", guest: boolean): string {
    const name = errorName(err);
    const message = errorMessage(err);
    const raw = `(${name}: ${message})`;
    const kind = guest ? "unauthenticated" : "authenticated";
    const trust = guest ? roleTrustHint.replace("amr authenticated", "amr unauthenticated") : roleTrustHint;
    if (name === "InvalidIdentityPoolConfigurationException" || /AccessDenied|AssumeRoleWithWebIdentity|not authorized to perform: sts/i.test(`${name} ${message}`)) {
        return `${trust}; or the pool has no ${kind} role attached ${raw}`;
    }
    if (name === "NotAuthorizedException") {
        if (/unauthenticated access is not supported/i.test(message)) {
            return `guests are not allowed by the identity pool (allowUnauthenticatedIdentities is false there) ${raw}`;
        }
        if (/not from a supported provider|invalid login token|token is not/i.test(message)) {
            return `the identity pool does not accept this user pool's token: its provider must be cognito-idp.<region>.amazonaws.com/<pool id> with this app client id ${raw}`;
        }
        return `the identity pool refused the ${guest ? "guest" : "login"} ${raw}`;
    }
    switch (name) {
        case "ResourceNotFoundException":
            return `${step === "identity" ? "the identity pool" : "the identity"} does not exist (wrong stack or region?) ${raw}`;
        case "ExternalServiceException":
            return `the identity pool could not check the token with the user pool or STS ${raw}`;
        case "TooManyRequestsException":
        case "LimitExceededException":
            return `throttled by Cognito Identity; retry in a moment ${raw}`;
        default:
            return `${step === "identity" ? "getting an identity" : "getting credentials"} failed ${raw}`;
    }
}

function blankReport(user: string): UserReport {
    return { user, signIn: "-", identity: "-", credentials: "-", expiry: "-", ok: false };
}

function fail(report: UserReport, step: StepName, reason: string): UserReport {
    report.ok = false;
    report.failure = { step, reason };
    if (step === "sign-in") report.signIn = "FAILED";
    if (step === "identity") report.identity = "FAILED";
    if (step === "credentials") report.credentials = "FAILED";
    return report;
}

/** GetId (+ Logins when signed in) then GetCredentialsForIdentity; fills the report's last columns. */
async function identityAndCredentials(
    clients: Clients, inputs: VerifyInputs, report: UserReport, logins: Record<string, string> | undefined,
): Promise<UserReport> {
    const guest = logins === undefined;
    let identityId: string | undefined;
    try {
        const got = await clients.identity.send(new GetIdCommand({ IdentityPoolId: inputs.identityPoolId, Logins: logins }));
        identityId = got.IdentityId;
    } catch (err) {
        return fail(report, "identity", explainIdentityError(err, "identity", guest));
    }
    if (!identityId) return fail(report, "identity", "GetId returned no identity id");
    report.identity = identityId;
    try {
        const got = await clients.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: logins }));
        const c = got.Credentials;
        if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken) {
            return fail(report, "credentials", "GetCredentialsForIdentity returned no complete credentials (access key, secret key and session token)");
        }
        if (got.IdentityId && got.IdentityId !== identityId) {
            return fail(report, "credentials", `credentials were issued for another identity (${got.IdentityId}) than the one requested`);
        }
        const role = guest ? inputs.unauthenticatedRoleArn : inputs.authenticatedRoleArn;
        if (!role) {
            return fail(report, "credentials", `credentials were issued but the stack has no ${guest ? "unauthenticatedRoleArn" : "authenticatedRoleArn"} output to compare`);
        }
        // Cognito does not say which role the credentials are for: STS does, for the credentials
        // themselves (GetCallerIdentity needs no permission).
        const kind = guest ? "unauthenticated" : "authenticated";
        let callerArn: string | undefined;
        try {
            callerArn = (await clients.stsWith(c).send(new GetCallerIdentityCommand({}))).Arn;
        } catch (err) {
            return fail(report, "credentials", `could not ask STS which role the credentials are for (${errorName(err)}: ${errorMessage(err)})`);
        }
        const actual = assumedRoleName(callerArn ?? "");
        if (actual !== roleName(role)) {
            return fail(report, "credentials", `the credentials are for ${actual ? `role ${actual}` : callerArn ?? "an unknown principal"}, `
                + `not for the ${kind} role ${roleName(role)}: check the identity pool's role attachment`);
        }
        report.credentials = `OK (${kind} role)`;
        report.expiry = c.Expiration ? c.Expiration.toISOString() : "-";
        report.ok = true;
        return report;
    } catch (err) {
        return fail(report, "credentials", explainIdentityError(err, "credentials", guest));
    }
}

/** Signs one user in, then gets its identity and credentials. Never throws for a failed step. */
export async function verifyUser(clients: Clients, inputs: VerifyInputs, user: UserToVerify): Promise<UserReport> {
    const report = blankReport(user.username);
    if (!user.password) {
        return fail(report, "sign-in", `no password in config; set one with pulumi config set --secret --path 'passwords.${user.username}' '<password>'`);
    }
    const AuthParameters: Record<string, string> = { USERNAME: user.username, PASSWORD: user.password };
    if (inputs.clientSecret) AuthParameters.SECRET_HASH = secretHash(inputs.clientSecret, user.username, inputs.clientId);
    let idToken: string | undefined;
    try {
        const auth = await clients.idp.send(new InitiateAuthCommand({
            AuthFlow: AuthFlowType.USER_PASSWORD_AUTH, ClientId: inputs.clientId, AuthParameters,
        }));
        if (auth.ChallengeName) {
            return fail(report, "sign-in", user.enabled
                ? explainChallenge(auth.ChallengeName)
                : `user is disabled in config but was not refused (${auth.ChallengeName}); run pulumi up to disable it`);
        }
        idToken = auth.AuthenticationResult?.IdToken;
    } catch (err) {
        if (!user.enabled && errorName(err) === "NotAuthorizedException" && /disabled/i.test(errorMessage(err))) {
            // Disabled on purpose: being refused is the expected result.
            report.signIn = "refused (disabled in config, as expected)";
            report.ok = true;
            return report;
        }
        return fail(report, "sign-in", explainSignInError(err, inputs));
    }
    if (!user.enabled) {
        return fail(report, "sign-in", "user is disabled in config but signed in: the user in the pool is enabled; run pulumi up");
    }
    if (!idToken) return fail(report, "sign-in", "sign-in returned no ID token");
    report.signIn = "OK";
    const provider = `cognito-idp.${inputs.region}.amazonaws.com/${inputs.userPoolId}`;
    return identityAndCredentials(clients, inputs, report, { [provider]: idToken });
}

/** A guest identity and its credentials (only meaningful when guests are allowed). */
export async function verifyGuest(clients: Clients, inputs: VerifyInputs): Promise<UserReport> {
    const report = blankReport("(guest)");
    report.signIn = "n/a (guest)";
    return identityAndCredentials(clients, inputs, report, undefined);
}

/** The result table plus one "step failed: why" line per failure. */
export function formatTable(reports: UserReport[]): string {
    const header = ["user", "sign-in", "identity", "credentials", "expiry"];
    const rows = reports.map((r) => [r.user, r.signIn, r.identity, r.credentials, r.expiry]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
    const lines = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
    const failures = reports.filter((r) => r.failure);
    if (failures.length > 0) {
        lines.push("");
        for (const r of failures) lines.push(`${r.user}: ${r.failure!.step} failed: ${r.failure!.reason}`);
    }
    return lines.join("\n");
}

export interface ParsedArgs extends LoadOptions {
    help: boolean;
}

export function parseArgs(argv: string[]): ParsedArgs {
    const parsed: ParsedArgs = { help: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const value = () => {
            const v = inline ?? argv[++i];
            if (v === undefined || v === "") throw new InputError(`${flag} needs a value`);
            return v;
        };
        switch (flag) {
            case "-h": case "--help": parsed.help = true; break;
            case "-s": case "--stack": parsed.stack = value(); break;
            case "--outputs": parsed.outputsFile = value(); break;
            case "--config": parsed.configFile = value(); break;
            case "--cwd": parsed.cwd = value(); break;
            default: throw new InputError(`unknown argument ${arg}`);
        }
    }
    return parsed;
}

export interface MainDeps {
    /** Builds the SDK clients for a region; default: standard SDK chain (endpoints from env). */
    clients?: (region: string) => Clients;
    runPulumi?: PulumiRunner;
    out?: (text: string) => void;
    err?: (text: string) => void;
}

/** Removes any secret value that might still have slipped into a text (defence in depth). */
function redact(text: string, secrets: (string | undefined)[]): string {
    let result = text;
    for (const secret of secrets) {
        if (secret && secret.length >= 4) result = result.split(secret).join("[secret]");
    }
    return result;
}

/** Runs the whole verification; returns the exit code (0 ok, 1 a check failed, 2 bad input). */
export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
    const out = deps.out ?? ((text: string) => process.stdout.write(text + "\n"));
    const err = deps.err ?? ((text: string) => process.stderr.write(text + "\n"));
    let inputs: VerifyInputs;
    try {
        const args = parseArgs(argv);
        if (args.help) {
            out(usage);
            return 0;
        }
        inputs = await loadInputs(args, deps.runPulumi ?? runPulumi);
    } catch (e) {
        if (e instanceof InputError) {
            err(`verify: ${e.message}\nRun with --help for usage.`);
            return 2;
        }
        throw e;
    }
    const secrets = [inputs.clientSecret, ...inputs.users.map((u) => u.password)];
    const clients = (deps.clients ?? defaultClients)(inputs.region);
    const reports: UserReport[] = [];
    try {
        for (const user of inputs.users) reports.push(await verifyUser(clients, inputs, user));
        if (inputs.unauthenticatedRoleArn) reports.push(await verifyGuest(clients, inputs));
    } finally {
        if (!deps.clients) {
            clients.idp.destroy();
            clients.identity.destroy();
        }
    }
    out(redact([
        `Stack: user pool ${inputs.userPoolId}, app client ${inputs.clientId}${inputs.clientSecret ? " (with secret)" : ""}, identity pool ${inputs.identityPoolId}, region ${inputs.region}`,
        `Roles: authenticated ${inputs.authenticatedRoleArn}; unauthenticated ${inputs.unauthenticatedRoleArn ?? "(guests not allowed)"}`,
        "",
        reports.length > 0 ? formatTable(reports) : "No users in config (cognito-auth:users) and guests not allowed: nothing to verify.",
    ].join("\n"), secrets));
    const failed = reports.filter((r) => !r.ok).length;
    if (failed > 0) {
        err(`verify: ${failed} of ${reports.length} checks failed`);
        return 1;
    }
    if (reports.length > 0) out(`verify: all ${reports.length} checks passed`);
    return 0;
}

function defaultClients(region: string): Clients {
    return {
        idp: new CognitoIdentityProviderClient({ region }),
        identity: new CognitoIdentityClient({ region }),
        stsWith: (c) => new STSClient({
            region, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken },
        }),
    };
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    }, (e) => {
        process.stderr.write(`verify: unexpected error: ${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? e}\n`);
        process.exitCode = 1;
    });
}
