// `npm run verify`: proves that a deployed stack lets its users sign in and receive temporary AWS
// credentials from the identity pool, and that they are for the stack's roles. See the README
// ("Verify") and `npm run verify -- --help`. This file is only the entry point; the modules are:
//   verify/cli.ts      arguments, help, running the checks, progress, exit code
//   verify/inputs.ts   stack outputs and config, through the Pulumi CLI or from files
//   verify/checks.ts   sign-in, identity pool and STS checks -> outcomes (data)
//   verify/errors.ts   known AWS errors -> plain explanation
//   verify/render.ts   outcomes -> table and failure lines; redaction of secrets
import "./verify/quietSdk"; // first: before any AWS SDK module loads
import { main } from "./verify/cli";

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e) => {
            process.stderr.write(`verify: unexpected error: ${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? e}\n`);
            process.exitCode = 1;
        },
    );
}
