import * as Mocha from "mocha";

// Mocha's spec reporter plus one closing line that CI reads: "N passed, N failed[, N skipped]".
class CountReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
            // After the spec reporter's own summary, which it prints on the same event.
            process.nextTick(() => console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}`));
        });
    }
}

export = CountReporter;
