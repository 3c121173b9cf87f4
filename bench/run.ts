import "../harness/setup";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Skipped, installSignalHandlers, isSkipped, load, redact } from "./common";
import { EngineResults, runEngine } from "./engine";
import { EvalRow, baselineCommit, evaluate, projectRoot, withBaseline } from "./evaluation";
import { PeerRow, peerSizes } from "./peer";
import { ProvisioningResults, addAwsCli, runProvisioning } from "./provisioning";
import {
    BaselineRow,
    BenchData,
    checks,
    renderChecks,
    renderEngine,
    renderEvaluation,
    renderProvisioning,
    renderStartup,
    targets,
} from "./render";
import { StartupResults, runStartup } from "./startup";

// `npm run bench`:
// (a) index.ts evaluated under Pulumi mocks, a fresh process per size: this checkout at 10, 100,
//     1,000 and 10,000 users, and at 1,000 and 10,000 the peer (the same users as aws.cognito.User,
//     ./peer.ts) and the baseline commit (cognito-auth 0.1) in a temporary git worktree beside it
//     (./evaluation.ts);
// (b) 200 users provisioned against cognito-local through the dynamic-provider host, in process,
//     and with a plain AWS SDK v3 loop (./provisioning.ts);
// (c) the real Pulumi CLI on 10 / 100 / 1,000 users in an existing pool against cognito-local,
//     beside the plain loop, and the version-1 state upgrade (./engine.ts);
// (d) `pulumi preview` and `up` of a 10-user stack beside an empty JavaScript program, and where the
//     start-up goes (./startup.ts).
// Prints the tables (./render.ts) and overwrites bench/results.json and bench/README-bench.md.
// Never prints a password. BENCH_SKIP_CLI=1 skips the AWS CLI row; BENCH_PARTS=eval,provision,engine,startup
// runs only some parts, BENCH_ENGINE_SIZES=10,100 only some engine sizes, and then no file is written,
// unless BENCH_MERGE=1: then the parts that ran replace theirs in bench/results.json and both files are
// written again from it (the header keeps the full run's date and load; each re-measured part says its own).

const benchDir = __dirname;
const currentSizes = [10, 100];
const comparedSizes = [1000, 10_000];
const resultsFile = path.join(benchDir, "results.json");
const readmeFile = path.join(benchDir, "README-bench.md");

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}, ${load().text}] ${line}\n`);

async function evaluations(): Promise<{ evaluations: EvalRow[]; baseline: BaselineRow[] | Skipped; peer: PeerRow[] }> {
    const current: EvalRow[] = [];
    const peer: PeerRow[] = [];
    // At the peer's sizes, the peer (the same users as aws.cognito.User) right after this checkout.
    const evaluateCurrent = async (users: number) => {
        log(`(a) evaluating ${users} users (current)`);
        current.push(await evaluate(projectRoot, users, "current"));
        if (!peerSizes.includes(users)) return;
        log(`(a) evaluating ${users} users (peer: aws.cognito.User)`);
        try {
            peer.push(await evaluate(projectRoot, users, "peer"));
        } catch (err: any) {
            peer.push({
                users,
                skipped: `failed: ${redact(String(err?.message ?? err))
                    .split("\n")
                    .slice(0, 2)
                    .join(" ")}`,
            });
        }
    };
    for (const users of currentSizes) await evaluateCurrent(users);
    // Each compared size: this checkout, then the baseline right after it.
    const baseline = await withBaseline(async (dir) => {
        const before: BaselineRow[] = [];
        for (const users of comparedSizes) {
            await evaluateCurrent(users);
            log(`(a) evaluating ${users} users (before: ${baselineCommit})`);
            try {
                before.push(await evaluate(dir, users, "baseline"));
            } catch (err: any) {
                before.push({
                    users,
                    skipped: `failed: ${redact(String(err?.message ?? err))
                        .split("\n")
                        .slice(0, 2)
                        .join(" ")}`,
                });
            }
        }
        return before;
    });
    for (const users of comparedSizes) {
        if (!current.some((e) => e.users === users)) await evaluateCurrent(users);
    }
    return { evaluations: current, baseline, peer };
}

async function main() {
    installSignalHandlers();
    const started = Date.now();
    const loadAtStart = load();
    const parts = new Set((process.env.BENCH_PARTS ?? "eval,provision,engine,startup").split(",").map((p) => p.trim()));
    const partial = Boolean(process.env.BENCH_PARTS || process.env.BENCH_ENGINE_SIZES);

    const notRun: Skipped = { skipped: "not run (BENCH_PARTS)" };
    const partMs: Record<string, number> = {};
    const timed = async <T>(part: string, fn: () => Promise<T>): Promise<T> => {
        const partStarted = Date.now();
        try {
            return await fn();
        } finally {
            partMs[part] = Date.now() - partStarted;
        }
    };
    const {
        evaluations: evals,
        baseline,
        peer,
    } = parts.has("eval") ? await timed("a", evaluations) : { evaluations: [], baseline: notRun, peer: notRun };
    const provisioning: ProvisioningResults | Skipped = parts.has("provision") ? await timed("b", () => runProvisioning(log)) : notRun;
    const engine: EngineResults | Skipped = parts.has("engine") ? await timed("c", () => runEngine(log)) : notRun;
    if (!isSkipped(provisioning)) await timed("b, AWS CLI", () => addAwsCli(provisioning, log));
    const startup: StartupResults | Skipped = parts.has("startup") ? await timed("d", () => runStartup(log)) : notRun;

    const merge = partial && process.env.BENCH_MERGE === "1";
    const stored = merge ? JSON.parse(fs.readFileSync(resultsFile, "utf8")) : undefined;
    const data: BenchData = stored
        ? {
              evaluations: parts.has("eval") ? evals : stored.evaluations,
              baseline: parts.has("eval") ? baseline : stored.baseline,
              peer: parts.has("eval") ? peer : stored.peer,
              provisioning: parts.has("provision") ? provisioning : stored.provisioning,
              engine: parts.has("engine") ? engine : stored.engine,
              startup: parts.has("startup") ? startup : stored.startup,
          }
        : { evaluations: evals, baseline, peer, provisioning, engine, startup };
    const list = checks(data);
    const durationMs = Date.now() - started;
    const loadAtEnd = load();
    const environment = {
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
        date: new Date().toISOString(),
        load1AtStart: loadAtStart.load1,
        load1AtEnd: loadAtEnd.load1,
        durationMs,
        partMs,
    };
    const body = [
        ...renderEvaluation(data),
        "",
        ...renderProvisioning(data.provisioning),
        "",
        ...renderEngine(data.engine),
        "",
        ...renderStartup(data.startup),
        "",
        ...renderChecks(list),
    ].join("\n");
    // A merged run keeps the full run's environment for the header; the parts it re-measured are listed.
    const full: typeof environment = stored ? stored.environment : environment;
    const remeasured: Record<string, string> = { ...stored?.remeasured };
    if (stored)
        for (const [part] of Object.entries(partMs))
            remeasured[part] = `${environment.date.slice(0, 10)}, load ${loadAtStart.load1.toFixed(1)}`;
    const minutes = (full.durationMs / 60_000).toFixed(1);
    const partText = Object.entries(full.partMs)
        .map(([part, ms]) => `(${part}) ${(ms / 60_000).toFixed(1)}`)
        .join(", ");
    const header = [
        `Measured by \`npm run bench\` on ${full.date.slice(0, 10)}: Node ${full.node}, ${full.platform}, ${full.cpus} CPUs,`,
        `${full.memoryGiB} GiB; the run took ${minutes} min (${partText} min). The machine is shared: 1-minute load average ${full.load1AtStart.toFixed(1)} at the start,`,
        `${full.load1AtEnd.toFixed(1)} at the end (per-row loads below); wall times grow with the load, the child CPU column of (a) does not.`,
        ...(Object.keys(remeasured).length
            ? [
                  `Re-measured later on their own (\`BENCH_PARTS=... BENCH_MERGE=1\`): ${Object.entries(remeasured)
                      .map(([part, when]) => `(${part}) on ${when}`)
                      .join("; ")}.`,
              ]
            : []),
        "Target sources: issue 8 (the real engine), issue 10 (a thin stored provider, small state), issue 20 (start-up beside an empty program), earlier (targets of the previous bench).",
    ].join("\n");
    console.log(`${header}\n\n${body}`);

    if (partial && !merge) {
        console.log(
            `\nBENCH_PARTS or BENCH_ENGINE_SIZES is set: ${path.relative(projectRoot, resultsFile)} and ${path.relative(projectRoot, readmeFile)} were left as they were.`,
        );
        return;
    }
    fs.writeFileSync(
        resultsFile,
        JSON.stringify(
            {
                environment: full,
                ...(Object.keys(remeasured).length ? { remeasured } : {}),
                baselineCommit,
                targets,
                evaluations: data.evaluations,
                baseline: data.baseline,
                peer: data.peer,
                provisioning: data.provisioning,
                engine: data.engine,
                startup: data.startup,
                checks: list,
            },
            null,
            2,
        ) + "\n",
    );
    fs.writeFileSync(
        readmeFile,
        [
            "## Benchmark",
            "",
            header,
            "",
            "`npm run bench` overwrites two files: `bench/results.json` (every raw figure) and `bench/README-bench.md` (this page).",
            "",
            body,
            "",
            "### How to reproduce",
            "",
            "`npm ci`, then `npm run bench`. Parts (c) and (d) need a Pulumi CLI (`pulumi` on PATH, or `npm run install:pulumi`, which",
            "builds one with Go); without one their rows say why they were skipped. No AWS account is needed: the bench starts",
            "cognito-local on a free loopback port (stopped at the end, also on error or Ctrl-C), the SDK's dynamic-provider host,",
            "and a temporary git worktree of the baseline commit (removed afterwards). `BENCH_SKIP_CLI=1` skips the AWS CLI row of",
            "(b), which takes minutes (one process per call); `BENCH_PARTS=eval,provision,engine,startup` runs only the parts named and",
            "then only prints (no file is written), or with `BENCH_MERGE=1` puts their figures into both files in place of the old",
            "ones (e.g. `BENCH_PARTS=startup BENCH_MERGE=1 npm run bench`, about 3 minutes; `BENCH_STARTUP_ROUNDS` (5) rounds of (d));",
            "a `pulumi up` or `destroy` running longer than `BENCH_ENGINE_STEP_TIMEOUT_MIN`",
            "(12) minutes is stopped and reported with what it had made. cognito-local's speed, not AWS quotas, bounds the",
            "provisioning figures (real Cognito allows about 50 AdminCreateUser/s and 25 AdminSetUserPassword/s per account by default).",
            "",
        ].join("\n"),
    );
    console.log(
        `\nWrote ${path.relative(projectRoot, resultsFile)} and ${path.relative(projectRoot, readmeFile)} (both overwritten) in ${(durationMs / 60_000).toFixed(1)} min.`,
    );
}

main().catch((err) => {
    console.error(redact(String(err?.stack ?? err)));
    process.exit(1);
});
