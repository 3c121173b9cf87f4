// `npm run local`: this stack's users in a local Cognito (cognito-local) through a real
// `pulumi up`, with no AWS account. See README, "Try it locally", and `npm run local -- --help`.
// The modules:
//   local/args.ts      command line
//   local/paths.ts     what lives where (.local/, Pulumi.local.yaml)
//   local/emulator.ts  cognito-local in .local/ (started by harness/emulator.ts), the busy-port message
//   local/cognito.ts   the user pool and app client in it; the sign-in check
//   local/stack.ts     passphrase, stack, config, generated passwords, Pulumi CLI runs
//   local/stackSetup.ts step 4: the local stack made ready for up (recovery notes, config, passwords)
//   local/report.ts    what is printed after the sign-in check
//   local/output.ts    progress lines, table, redaction of passwords
//   local/lock.ts      one run per folder: the atomic lock .local/run.pid, stale-lock detection
//   local/leftovers.ts what a killed run left (its processes, the stack lock), found and proved
//   local/recovery.ts  the start of a run after a killed one: stop, unlock, drop unfinished creates
//   local/failures.ts  failure messages and the pasteable commands they suggest
//   local/session.ts   what a run started, for signals and the final cleanup
//   local/main.ts      the steps, one function each, and run, their sequence
//   pulumiCli.ts       finding the Pulumi CLI and its offline environment (shared)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"; // before any AWS SDK module loads

import * as path from "path";

if (require.main === module) {
    // Loaded after the line above, so the SDK sees the setting.
    const { main } = require("./local/main") as typeof import("./local/main");
    main(process.argv.slice(2), path.resolve(__dirname, "..")).then(
        (code) => {
            process.exitCode = code;
        },
        (err) => {
            process.stderr.write(`local: unexpected error: ${(err as Error)?.stack ?? err}\n`);
            process.exitCode = 1;
        },
    );
}
