import { parseArgs as parseNodeArgs } from "util";
import { Clients, defaultClients, verifyGuest, verifyUser } from "./checks";
import { InputError, LoadOptions, PulumiRunner, VerifyInputs, loadInputs, runPulumi } from "./inputs";
import { Outcome } from "./outcome";
import { formatReport, progressLine, summary } from "./render";

// The command line: arguments (util.parseArgs), help, running the checks in order with a progress
// line on stderr, and the exit code (0 all checks passed, 1 a check failed, 2 usage or input error).

export const usage = `Usage: npm run verify -- [options]

Signs in every user of the stack's config (USER_PASSWORD_AUTH, with SECRET_HASH when the app
client has a secret; a user the stack enrolled in TOTP, with a secret in the totpSecrets output,
answers the SOFTWARE_TOKEN_MFA challenge with a code computed from it), gets an identity and
temporary credentials from the identity pool with the user-pool login, checks with STS that they
are for the role the user's groups give it (the stack's groupRoleArns, lowest precedence first;
else the authenticated role), and does the same as a guest when guests are allowed. Prints a table
per user (sign-in, identity, credentials, expiry) without passwords, TOTP secrets or codes, tokens
or credentials. Exits 1 if any step fails, saying which step and why; 2 on a usage or input error.

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
With many users, a progress line goes to stderr (every user on a terminal, else every 10).

Examples:
  npm run verify -- --stack dev
  npm run verify -- --outputs outputs.json --config config.json
`;

export interface ParsedArgs extends LoadOptions {
    help: boolean;
}

const options = {
    stack: { type: "string", short: "s" },
    outputs: { type: "string" },
    config: { type: "string" },
    cwd: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

const fileOption: Record<string, keyof LoadOptions> = { stack: "stack", outputs: "outputsFile", config: "configFile", cwd: "cwd" };

/**
 * The arguments, tokenized by util.parseArgs. Its non-strict mode gives the tokens, checked here
 * so the messages stay short: "unknown argument X", "X needs a value" (also for an empty value or
 * the next option taken as a value, as in `--stack --outputs f`).
 */
export function parseArgs(argv: string[]): ParsedArgs {
    const { tokens } = parseNodeArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
    const parsed: ParsedArgs = { help: false };
    for (const token of tokens) {
        if (token.kind === "option-terminator") continue;
        if (token.kind === "positional") throw new InputError(`unknown argument ${token.value}`);
        if (!Object.hasOwn(options, token.name)) throw new InputError(`unknown argument ${token.rawName}`);
        if (token.name === "help") {
            if (token.value !== undefined) throw new InputError(`${token.rawName} takes no value`);
            parsed.help = true;
            continue;
        }
        const value = token.value;
        if (value === undefined || value === "" || (!token.inlineValue && value.startsWith("-"))) {
            throw new InputError(`${token.rawName} needs a value`);
        }
        parsed[fileOption[token.name]] = value;
    }
    return parsed;
}

export interface MainDeps {
    /** Builds the SDK clients for a region; default: standard SDK chain (endpoints from env). */
    clients?: (region: string) => Clients;
    runPulumi?: PulumiRunner;
    out?: (text: string) => void;
    err?: (text: string) => void;
    /** Whether stderr is a terminal (a progress line per user); default: process.stderr's, false when `err` is given. */
    errIsTTY?: boolean;
}

/** Runs the whole verification; returns the exit code (0 ok, 1 a check failed, 2 bad input). */
export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
    const out = deps.out ?? ((text: string) => process.stdout.write(text + "\n"));
    const err = deps.err ?? ((text: string) => process.stderr.write(text + "\n"));
    const errIsTTY = deps.errIsTTY ?? (deps.err ? false : process.stderr.isTTY === true);
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
    const clients = (deps.clients ?? defaultClients)(inputs.region);
    const outcomes: Outcome[] = [];
    try {
        for (const user of inputs.users) {
            outcomes.push(await verifyUser(clients, inputs, user));
            const progress = progressLine(outcomes.length, inputs.users.length, errIsTTY);
            if (progress) err(progress);
        }
        if (inputs.unauthenticatedRoleArn) outcomes.push(await verifyGuest(clients, inputs));
    } finally {
        if (!deps.clients) {
            clients.idp.destroy();
            clients.identity.destroy();
        }
    }
    out(formatReport(inputs, outcomes));
    const { failed, line } = summary(outcomes);
    if (line) (failed > 0 ? err : out)(line);
    return failed > 0 ? 1 : 0;
}
