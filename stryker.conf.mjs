// Mutation testing with StrykerJS: `npm run mutate` (not part of `npm test`). How to run it, the last
// score and every surviving mutant: docs/mutation-testing.md.
// @ts-check
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
    // Product code only: the program, the component, the user provider and its rules, the verify script,
    // and lib/pulumiInternals.ts (the adapter to the SDK's private modules: the program calls it to tell
    // whether a password was set as a secret; the test helpers call the rest).
    // Not the loader (JavaScript, providers/cognitoUser/loader) and not its type declaration; not
    // scripts/local (npm run local, a developer tool tested only through real processes in
    // test/local.test.ts, where mutants are not active) nor scripts/pulumiCli.ts, scripts/configDocs.ts
    // (npm run docs) and bench/ (tools).
    mutate: [
        "index.ts",
        "components/**/*.ts",
        "providers/**/*.ts",
        "!providers/**/*.d.ts",
        "scripts/verify.ts",
        "scripts/verify/**/*.ts",
        "lib/**/*.ts",
    ],
    testRunner: "mocha",
    // Only the tests that cover a mutant run against it.
    coverageAnalysis: "perTest",
    // Static mutants (in code that runs once, as a module loads: the settings table, the defaults,
    // constant lists and patterns) are tested too. Each needs a fresh test process and every test
    // until one fails, so they take much of a full run; `npm run mutate -- --ignoreStatic` skips them.
    ignoreStatic: false,
    mochaOptions: {
        // Not .mocharc.json: its spec is every test file. The same requires as there.
        "no-config": true,
        require: ["ts-node/register/transpile-only", "harness/setup.ts"],
        // Tests that call the product code in this process, where Stryker's mutants are active.
        // Left out:
        // - test/engine.test.ts, test/local.test.ts: the real pulumi CLI and emulator processes (minutes).
        // - test/cognitoUser/host.test.ts, faults.test.ts: they run the provider in the SDK's dynamic-provider
        //   host, which loads it through node_modules/@cognito-auth/user-provider-loader. The sandbox
        //   links node_modules to the original checkout, and the loader finds the implementation from
        //   its own real path, so those hosts run the original, unmutated provider: any kill there
        //   would be a false one. (Mutants are active only in the test runner's own process.)
        // - test/workflows.test.ts: no code in the mutated scope.
        // Fastest first: a static mutant (in code that runs when a module loads, such as a constant
        // table) runs every test until the first failure, in a fresh process.
        spec: [
            "test/rules.test.ts",
            "test/settings.test.ts",
            "test/configDocs.test.ts",
            "test/stackConfig.test.ts",
            "test/components.test.ts",
            "test/component.replace.test.ts",
            "test/cognitoUser/plan.test.ts",
            "test/cognitoUser/errors.test.ts",
            "test/cognitoUser/resource.test.ts",
            "test/cognitoUser/check.test.ts",
            "test/cognitoUser/diff.test.ts",
            "test/cognitoUser/read.test.ts",
            "test/cognitoUser/update.test.ts",
            "test/cognitoUser/delete.test.ts",
            "test/cognitoUser/client.test.ts",
            "test/cognitoUser/identity.test.ts",
            "test/verify.checks.test.ts",
            "test/verify.inputs.test.ts",
            "test/verify.errors.test.ts",
            "test/verify.steps.test.ts",
            "test/verify.report.test.ts",
            "test/sdkWarning.test.ts",
            "test/program.test.ts",
            "test/cognitoUser/cognitoLocal.test.ts",
            "test/verify.signin.test.ts",
            "test/verify.cli.test.ts",
            "test/cognitoUser/create.test.ts",
            "test/cognitoUser/existingUser.test.ts",
            "test/pulumiInternals.test.ts",
        ],
        // Minus one load test (hundreds of throttled creates, ~50 s of real backoff) that would run
        // for every surviving create-path mutant; the other retry tests cover the same code paths.
        grep: "^(?!.*converges when many users are created at once)",
    },
    // No type-check of each mutant by default: on this 2-core machine the TypeScript checker was the
    // bottleneck (~15 s a mutant against ~1 s to test it; the full scope would take hours). Mutants
    // are then tested as transpiled JavaScript (ts-node transpile-only, as the tests run), so a mutant
    // that would not compile is tested for what it does at run time. `npm run mutate -- --checkers
    // typescript` type-checks them first and reports those as compile errors instead.
    checkers: [],
    tsconfigFile: "tsconfig.json",
    // Tests wait on real timers (SDK retry backoff, emulator start-up): room for a busy 2-core machine.
    timeoutMS: 15000,
    concurrency: 2,
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: "reports/mutation/mutation.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    // Not needed to run the tests; the CLI build alone is ~180 MB.
    ignorePatterns: [".pulumi-cli", "scratch", ".local", ".cognito", "bench/results.json.tmp"],
    tempDirName: ".stryker-tmp",
    // `npm run mutate -- --incremental` reuses the results of mutants whose code and tests did not
    // change since the last run (reports/stryker-incremental.json); `--force` re-tests everything.
    incrementalFile: "reports/stryker-incremental.json",
    thresholds: { high: 90, low: 85, break: null },
};
