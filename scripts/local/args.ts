// Command line of `npm run local`.

export const defaultPort = 9229;

export interface LocalArgs {
    port: number;
    /** Up, sign in, destroy, stop: for CI and a quick try. */
    once: boolean;
    /** Remove the local data and exit. */
    reset: boolean;
    help: boolean;
    /** Print this user's TOTP QR code and otpauth:// URI (the secret) and exit. */
    totp?: string;
    /** Also serve examples/web-sign-in on a free loopback port (scripts/local/web.ts). */
    web?: boolean;
}

export const usage = `Usage: npm run local [-- [--port <n>] [--once | --web] | --totp <user> | --reset | --help]

Runs this stack's users in cognito-local (a Cognito user-pool emulator) through a real
\`pulumi up\`, signs every user in, prints what an app needs, and keeps serving until Ctrl-C.
No AWS account needed. Data (emulator, local stack state, passphrase) stays in .local/.

  --port <n>     port of the emulator on 127.0.0.1 (default ${defaultPort})
  --once         up, sign in, then \`pulumi destroy\` and stop; exit 0 only if every user signed in
  --web          also serve the example sign-in page (examples/web-sign-in, Amplify JS) on a free
                 127.0.0.1 port, configured from .local/amplify_outputs.json
  --totp <user>  print the QR code and otpauth:// URI of a user with mfa TOTP, to add it to an
                 authenticator app (this shows its TOTP secret; nothing else does)
  --reset        remove .local/ and Pulumi.local.yaml (the local stack, its users and passwords)
  --help         this text
`;

export function parseArgs(argv: readonly string[]): LocalArgs | { error: string } {
    const args: LocalArgs = { port: defaultPort, once: false, reset: false, help: false };
    let portGiven = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] =
            arg.startsWith("--") && arg.includes("=")
                ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
                : [arg, undefined];
        switch (flag) {
            case "--once":
                args.once = true;
                break;
            case "--reset":
                args.reset = true;
                break;
            case "--web":
                args.web = true;
                break;
            case "--help":
            case "-h":
                args.help = true;
                break;
            case "--totp": {
                const value = inline ?? argv[++i];
                if (value === undefined || value === "" || (inline === undefined && value.startsWith("--")))
                    return { error: "--totp needs a user name, e.g. --totp alice" };
                args.totp = value;
                break;
            }
            case "--port": {
                const value = inline ?? argv[++i];
                if (value === undefined) return { error: "--port needs a value, e.g. --port 9230" };
                if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535)
                    return { error: `--port: ${JSON.stringify(value)} is not a port (1-65535)` };
                args.port = Number(value);
                portGiven = true;
                break;
            }
            default:
                return { error: `unknown argument ${JSON.stringify(arg)}` };
        }
        if (inline !== undefined && flag !== "--port" && flag !== "--totp") return { error: `${flag} takes no value` };
    }
    if (args.web && (args.once || args.reset || args.totp !== undefined))
        return { error: "--web serves until Ctrl-C: not with --once, --reset or --totp" };
    if (args.reset && (args.once || portGiven || args.totp !== undefined)) return { error: "--reset takes no other option" };
    // It reads the local stack's outputs only: no emulator, no port, no up.
    if (args.totp !== undefined && (args.once || portGiven)) return { error: "--totp takes no other option" };
    return args;
}
