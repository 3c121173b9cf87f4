import { Skipped, bytes, isSkipped, mib, perSecond, ratio, seconds } from "./common";
import { CpuByRole } from "./processes";
import { EngineResults, EngineRow, MigrationRow } from "./engine";
import { EvalRow, baselineCommit } from "./evaluation";
import { PeerRow, renderPeer } from "./peer";
import { ProvisioningResults, concurrency, provisionUsers, realisticDelayMs } from "./provisioning";
import { StartupKind, StartupResults, median } from "./startup";

// Tables, column definitions and the target checks, from the measured data only. The same text
// is printed and written to bench/README-bench.md.

export const targets = {
    // issue 10
    eval10kMs: 30_000,
    eval10kRssBytes: 1.5 * 1024 ** 3,
    providerBytes: 2048,
    stateBytesPerUser: 2048,
    // earlier
    hostVsPlainRatio: 1.3,
    eval1000Ms: 10_000,
    eval1000RssBytes: 1024 ** 3,
    // issue 20
    previewVsFloorRatio: 1.5,
};

export interface Check {
    target: string;
    source: "issue 8" | "issue 10" | "issue 20" | "earlier";
    measured: string;
    result: "PASS" | "MISS" | "n/a";
}

/** A baseline evaluation, or why one size of it could not be measured. */
export type BaselineRow = EvalRow | (Skipped & { users: number });

export interface BenchData {
    evaluations: EvalRow[];
    baseline: BaselineRow[] | Skipped;
    /** The peer program's rows (absent in results.json files written before issue 17). */
    peer?: PeerRow[] | Skipped;
    provisioning: ProvisioningResults | Skipped;
    engine: EngineResults | Skipped;
    /** Absent in results.json files written before issue 20. */
    startup?: StartupResults | Skipped;
}

const pass = (ok: boolean): Check["result"] => (ok ? "PASS" : "MISS");
const table = (head: string[], align: string[], rows: string[][]) => [
    `| ${head.join(" | ")} |`,
    `|${align.join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
];

export function checks(data: BenchData): Check[] {
    const out: Check[] = [];
    const e10k = data.evaluations.find((e) => e.users === 10_000);
    const e1000 = data.evaluations.find((e) => e.users === 1000);
    if (e10k) {
        out.push({
            target: '10,000 users evaluate under mocks in < 30 s (column "evaluation")',
            source: "issue 10",
            measured: `${seconds(e10k.ms)} (to last registration ${seconds(e10k.toLastRegistrationMs)}; child CPU ${seconds(e10k.cpuMs)})`,
            result: pass(e10k.ms < targets.eval10kMs),
        });
        out.push({
            target: "10,000 users evaluate under mocks in < 1.5 GB peak RSS",
            source: "issue 10",
            measured: mib(e10k.maxRssBytes),
            result: pass(e10k.maxRssBytes < targets.eval10kRssBytes),
        });
    }
    if (data.evaluations.length) {
        const maxProvider = Math.max(...data.evaluations.map((e) => e.providerBytesPerUser));
        out.push({
            target: "`__provider` <= 2 KB per user",
            source: "issue 10",
            measured: bytes(maxProvider),
            result: pass(maxProvider <= targets.providerBytes),
        });
    }
    if (isSkipped(data.engine)) {
        out.push({
            target: "state <= 2 KB per user (engine: inputs + outputs)",
            source: "issue 10",
            measured: data.engine.skipped,
            result: "n/a",
        });
        out.push({
            target: "engine rows: up, unchanged preview, destroy of 10 / 100 / 1,000 users",
            source: "issue 8",
            measured: data.engine.skipped,
            result: "n/a",
        });
    } else {
        const rows = data.engine.rows.filter((r) => r.state);
        const worst = Math.max(...rows.map((r) => r.state!.inputsOutputsBytesPerUser));
        out.push({
            target: "state <= 2 KB per user (engine: inputs + outputs, largest of the sizes)",
            source: "issue 10",
            measured: rows.length ? bytes(worst) : "not measured",
            result: rows.length ? pass(worst <= targets.stateBytesPerUser) : "n/a",
        });
        const complete = data.engine.rows.filter(
            (r) => r.upConfirmed === r.users && r.previewNoChanges && r.remainingAfterDestroy === 0 && !r.error,
        );
        const sizes = data.engine.rows.map((r) => r.users.toLocaleString("en-US")).join(" / ");
        out.push({
            target: `engine rows: up (every user CONFIRMED), unchanged preview (no changes), destroy (no user left) of ${sizes} users`,
            source: "issue 8",
            measured: `${complete.length} of ${data.engine.rows.length} sizes complete`,
            result: pass(complete.length === data.engine.rows.length),
        });
        const m = data.engine.migration;
        if (isSkipped(m))
            out.push({
                target: "version-1 users migrate: one update each, no Cognito request, <= 2 KB per user after",
                source: "issue 10",
                measured: m.skipped,
                result: "n/a",
            });
        else {
            out.push({
                target: "version-1 users migrate: one update each, no Cognito request, <= 2 KB per user after",
                source: "issue 10",
                measured: `${m.updated ?? "?"} of ${m.users} updated, ${m.cognitoRequests} requests, ${bytes(m.after.inputsOutputsBytesPerUser)}`,
                result: pass(
                    m.updated === m.users && m.cognitoRequests === 0 && m.after.inputsOutputsBytesPerUser <= targets.stateBytesPerUser,
                ),
            });
        }
    }
    if (!isSkipped(data.provisioning)) {
        const p = data.provisioning;
        const worst = Math.max(...p.hostRatios.filter((r) => r.round !== 3).map((r) => r.ratio));
        out.push({
            target: `provider host within ${targets.hostVsPlainRatio}x of the plain SDK loop (worst of rounds 1-2)`,
            source: "earlier",
            measured: ratio(worst),
            result: pass(worst <= targets.hostVsPlainRatio),
        });
        const allOk = p.runs.every((r) => r.errors === 0 && r.confirmed === provisionUsers);
        out.push({
            target: `all ${provisionUsers} users CONFIRMED, no errors, every provisioning run`,
            source: "earlier",
            measured: allOk ? "yes" : "no",
            result: pass(allOk),
        });
    }
    if (data.startup) {
        const target = `unchanged preview of a ${data.startup && !isSkipped(data.startup) ? data.startup.users : 10}-user stack (existing pool) within ${targets.previewVsFloorRatio}x of an empty JavaScript program's preview (medians, same run)`;
        if (isSkipped(data.startup)) out.push({ target, source: "issue 20", measured: data.startup.skipped, result: "n/a" });
        else {
            const r = startupRatio(data.startup, "preview", "floorPreview");
            out.push({ target, source: "issue 20", measured: ratio(r), result: pass(r <= targets.previewVsFloorRatio) });
        }
    }
    if (e1000) {
        out.push({
            target: "1,000 users evaluate under mocks in < 10 s",
            source: "earlier",
            measured: seconds(e1000.ms),
            result: pass(e1000.ms < targets.eval1000Ms),
        });
        out.push({
            target: "1,000 users evaluate under mocks in < 1 GB peak RSS",
            source: "earlier",
            measured: mib(e1000.maxRssBytes),
            result: pass(e1000.maxRssBytes < targets.eval1000RssBytes),
        });
    }
    return out;
}

function evalCells(e: EvalRow): string[] {
    return [
        seconds(e.ms),
        seconds(e.toLastRegistrationMs),
        seconds(e.cpuMs),
        mib(e.maxRssBytes),
        mib(e.heapAtFirstUserBytes),
        mib(e.heapRetainedBytes),
        bytes(e.providerBytesPerUser),
        bytes(e.inputsBytesPerUser),
        e.load1.toFixed(1),
    ];
}
const evalHead = [
    "evaluation",
    "to last registration",
    "child CPU",
    "peak RSS",
    "heap, all declared",
    "heap kept",
    "`__provider` per user",
    "inputs per user",
    "load",
];
const evalAlign = evalHead.map(() => "---:");

export function renderEvaluation(data: BenchData): string[] {
    const lines: string[] = [];
    lines.push("### (a) Program evaluation under Pulumi mocks (fresh process per size)");
    lines.push("");
    lines.push("Current code:");
    lines.push("");
    lines.push(
        ...table(
            ["users", "resources", ...evalHead],
            ["---:", "---:", ...evalAlign],
            data.evaluations.map((e) => [e.users.toLocaleString("en-US"), e.resources.toLocaleString("en-US"), ...evalCells(e)]),
        ),
    );
    lines.push("");
    lines.push(
        `Before and after, side by side in this run (before = commit ${baselineCommit}, cognito-auth 0.1, evaluated in a temporary git worktree by its own bench/evalChild.ts; after = this checkout; each pair ran back to back):`,
    );
    lines.push("");
    if (isSkipped(data.baseline)) {
        lines.push(`before: ${data.baseline.skipped}`);
    } else {
        const rows: string[][] = [];
        for (const before of data.baseline) {
            const after = data.evaluations.find((e) => e.users === before.users);
            rows.push([
                before.users.toLocaleString("en-US"),
                `before (${baselineCommit})`,
                ...(isSkipped(before) ? [before.skipped, ...evalHead.slice(1).map(() => "-")] : evalCells(before)),
            ]);
            if (after) rows.push([after.users.toLocaleString("en-US"), "after (this checkout)", ...evalCells(after)]);
        }
        lines.push(...table(["users", "code", ...evalHead], ["---:", "---", ...evalAlign], rows));
    }
    lines.push("");
    lines.push(...renderPeer(data.evaluations, data.peer));
    lines.push("");
    lines.push("Columns: **evaluation** = `runProgram` in the child (harness/program.ts: mocks set, index.ts required, every");
    lines.push("registration answered, then the helper's own bookkeeping); **to last registration** = from the mocks' setup to the");
    lines.push("last resource reaching the mocked monitor (the same run without that bookkeeping); **child CPU** = user + system CPU");
    lines.push("of the whole child process (Node start and ts-node compiling the program included; unlike wall time, it does not");
    lines.push("grow with the machine's load); **peak RSS** = the child's `maxRSS`; **heap, all declared** = V8 heap in use when the");
    lines.push("first user reaches the mocked monitor (every resource declared, none registered yet); **heap kept** = heap in use");
    lines.push("after the evaluation and a full GC; **`__provider` per user** = bytes of the provider text a user resource stores;");
    lines.push("**inputs per user** = JSON of a user resource's inputs as the mock received them, secrets unwrapped (mean; only the");
    lines.push("size is kept); **load** = 1-minute load average when the child started.");
    return lines;
}

export function renderProvisioning(p: ProvisioningResults | Skipped): string[] {
    const lines: string[] = [];
    lines.push(`### (b) Provisioning ${provisionUsers} users against cognito-local, ${concurrency} in flight`);
    lines.push("");
    if (isSkipped(p)) return [...lines, p.skipped];
    const name = {
        host: "provider host (Check + Create over gRPC)",
        inProcess: "provider in this process (check + create)",
        plain: "plain SDK v3 loop",
        cli: "AWS CLI",
    };
    lines.push(
        ...table(
            ["round", "path", "time", "users/s", "errors", "CONFIRMED", "host start, first call (excluded)"],
            ["---:", "---", "---:", "---:", "---:", "---:", "---:"],
            p.runs.map((r) => [
                String(r.round),
                name[r.path],
                seconds(r.ms),
                perSecond(provisionUsers, r.ms),
                String(r.errors),
                String(r.confirmed),
                r.hostStartMs !== undefined ? `${r.hostStartMs} ms, ${r.firstCallMs?.toFixed(0)} ms` : "",
            ]),
        ),
    );
    lines.push("");
    lines.push(
        `host / plain: ${p.hostRatios.map((r) => `round ${r.round}${r.round === 3 ? ` (${realisticDelayMs} ms added per call)` : ""} ${ratio(r.ratio)}`).join(", ")}`,
    );
    lines.push(
        `provider in this process / plain (no host): ${p.inProcessRatios.map((r) => `round ${r.round} ${ratio(r.ratio)}`).join(", ")}`,
    );
    lines.push(`AWS CLI: ${p.cliNote}`);
    lines.push(`Load (1-minute average): ${p.load1[0].toFixed(1)} at the start of (b), ${p.load1[1].toFixed(1)} at its end.`);
    lines.push("");
    lines.push("Columns: **time** = the timed users only (a fresh pool per run; the host's start and its first call, which loads");
    lines.push("the provider and the SDK, are excluded and shown); the plain loop makes AdminCreateUser (no invitation) and");
    lines.push("AdminSetUserPassword (permanent) per user; **CONFIRMED** = users in that status afterwards (ListUsers).");
    lines.push(
        `Rounds 1 and 2 alternate the paths on loopback; round 3 adds ${realisticDelayMs} ms to every Cognito call through a local proxy.`,
    );
    return lines;
}

function engineCheck(r: EngineRow): string {
    const notes: string[] = [];
    if (r.plainConfirmed !== undefined) {
        const errors = (r.plainCreateErrors ?? 0) + (r.plainDeleteErrors ?? 0);
        notes.push(`plain: ${r.plainConfirmed} CONFIRMED, ${r.plainLeftAfterDelete ?? "?"} left${errors ? `, ${errors} errors` : ""}`);
    }
    if (r.upConfirmed !== undefined) notes.push(`engine: ${r.upConfirmed} CONFIRMED`);
    if (r.previewNoChanges !== undefined) notes.push(r.previewNoChanges ? "preview: no changes" : "preview: CHANGES");
    if (r.remainingAfterDestroy !== undefined) notes.push(`${r.remainingAfterDestroy} left`);
    if (r.destroyAfterMigration) notes.push("destroy after the migration");
    return notes.join("; ");
}

export function renderEngine(engine: EngineResults | Skipped): string[] {
    const lines: string[] = [];
    lines.push("### (c) The real engine, existing-pool mode, against cognito-local (file backend)");
    lines.push("");
    if (isSkipped(engine)) return [...lines, `skipped: ${engine.skipped}`];
    lines.push(
        `Pulumi CLI ${engine.version} (${engine.cli}); \`--parallel ${concurrency}\` for up and destroy; the plain loop at ${concurrency} in flight; a fresh pool per size and per path.`,
    );
    lines.push("");
    const t = (ms?: number) => (ms === undefined ? "-" : seconds(ms));
    lines.push(
        ...table(
            [
                "users",
                "pulumi up",
                "up users/s",
                "plain SDK create",
                "up / plain",
                "unchanged preview",
                "pulumi destroy",
                "destroy users/s",
                "plain SDK delete",
                "destroy / plain",
                "checks",
                "load before, after",
            ],
            ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---", "---:"],
            engine.rows.map((r) => [
                r.users.toLocaleString("en-US"),
                r.upStopped ? `stopped at ${seconds(r.upStopped.afterMs)} (${r.upStopped.confirmed} made)` : t(r.upMs),
                r.upMs ? perSecond(r.users, r.upMs) : r.upStopped ? perSecond(r.upStopped.confirmed, r.upStopped.afterMs) : "-",
                t(r.plainCreateMs),
                r.upMs && r.plainCreateMs ? ratio(r.upMs / r.plainCreateMs) : "-",
                t(r.previewMs),
                t(r.destroyMs),
                r.destroyMs ? perSecond(r.users, r.destroyMs) : "-",
                t(r.plainDeleteMs),
                r.destroyMs && r.plainDeleteMs ? ratio(r.destroyMs / r.plainDeleteMs) : "-",
                engineCheck(r) + (r.error ? `; failed: ${r.error.split("\n")[0].slice(0, 120)}` : ""),
                `${r.load1Before.toFixed(1)}, ${r.load1After?.toFixed(1) ?? "-"}`,
            ]),
        ),
    );
    for (const r of engine.rows.filter((row) => row.skipCheckpoints)) {
        const k = r.skipCheckpoints!;
        lines.push("");
        lines.push(
            `The same ${r.users.toLocaleString("en-US")} users again with \`PULUMI_SKIP_CHECKPOINTS=true\` (an experimental CLI setting: the engine saves`,
        );
        lines.push("the state once at the end instead of after every step, so an interrupted run leaves no record of what it made; not");
        lines.push("a recommendation), on a fresh pool and stack; the plain loop is the one above:");
        lines.push("");
        lines.push(
            ...table(
                ["users", "pulumi up", "up users/s", "up / plain", "pulumi destroy", "destroy users/s", "destroy / plain", "checks"],
                ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"],
                [
                    [
                        r.users.toLocaleString("en-US"),
                        t(k.upMs),
                        k.upMs ? perSecond(r.users, k.upMs) : "-",
                        k.upMs && r.plainCreateMs ? ratio(k.upMs / r.plainCreateMs) : "-",
                        t(k.destroyMs),
                        k.destroyMs ? perSecond(r.users, k.destroyMs) : "-",
                        k.destroyMs && r.plainDeleteMs ? ratio(k.destroyMs / r.plainDeleteMs) : "-",
                        [
                            k.upConfirmed !== undefined ? `engine: ${k.upConfirmed} CONFIRMED` : "",
                            k.remainingAfterDestroy !== undefined ? `${k.remainingAfterDestroy} left` : "",
                            k.error ? `failed: ${k.error.split("\n")[0].slice(0, 120)}` : "",
                        ]
                            .filter(Boolean)
                            .join("; "),
                    ],
                ],
            ),
        );
    }
    lines.push("");
    lines.push("State after `pulumi up` (`pulumi stack export`):");
    lines.push("");
    lines.push(
        ...table(
            [
                "users",
                "inputs + outputs per user",
                "whole resource entry per user",
                "added by Pulumi per user",
                "checkpoint file",
                "checkpoint per user",
            ],
            ["---:", "---:", "---:", "---:", "---:", "---:"],
            engine.rows
                .filter((r) => r.state)
                .map((r) => {
                    const s = r.state!;
                    return [
                        r.users.toLocaleString("en-US"),
                        bytes(s.inputsOutputsBytesPerUser),
                        bytes(s.resourceEntryBytesPerUser),
                        bytes(s.resourceEntryBytesPerUser - s.inputsOutputsBytesPerUser),
                        `${(s.checkpointBytes / 1024).toFixed(0)} KiB`,
                        bytes(s.checkpointBytes / r.users),
                    ];
                }),
        ),
    );
    lines.push("");
    lines.push("CPU seconds by process during each step (Linux `/proc`, sampled every 0.5 s):");
    lines.push("");
    lines.push(...renderCpu(engine));
    lines.push("");
    const m = engine.migration;
    lines.push("Upgrade of a stack whose users version 1 wrote (the 100-user stack after its `up`):");
    lines.push("");
    if (isSkipped(m)) lines.push(`skipped: ${m.skipped}`);
    else lines.push(...renderMigration(m));
    lines.push("");
    lines.push("Columns: **pulumi up** / **unchanged preview** / **pulumi destroy** = wall time of the whole command (CLI start,");
    lines.push("program evaluation, provider host, every Cognito call), `up --yes --skip-preview`, `preview --expect-no-changes`,");
    lines.push("`destroy --yes --skip-preview`; **plain SDK create** = AdminCreateUser (no invitation) + AdminSetUserPassword");
    lines.push("(permanent) per user, **plain SDK delete** = AdminDeleteUser per user, from this process; **up / plain**, **destroy /");
    lines.push("plain** = engine time over plain-loop time (higher is slower); **inputs + outputs per user** = JSON of a user's");
    lines.push("`inputs` and `outputs` in the export (mean; secrets as ciphertext); **whole resource entry** = the user's entire");
    lines.push("entry (adds urn, type, id, parent, provider, dependencies, timestamps); **checkpoint file** = the stack's state file");
    lines.push("in the file backend, which the engine rewrites after each step; **checks** = users CONFIRMED after up (ListUsers),");
    lines.push(
        "the preview's verdict, users left in the pool after destroy; the same for the plain loop (CONFIRMED after it, left after the delete loop).",
    );
    return lines;
}

const cpuRoles: [keyof CpuByRole | "bench", string][] = [
    ["engine", "pulumi CLI (Go engine)"],
    ["languageHost", "language host (Go)"],
    ["program", "program (Node)"],
    ["providerHost", "provider host (Node)"],
    ["cognitoLocal", "cognito-local"],
    ["bench", "bench process"],
    ["other", "other"],
];

function renderCpu(engine: EngineResults): string[] {
    const rows: string[][] = [];
    const add = (users: number, step: string, ms: number | undefined, cpu: (CpuByRole & { bench?: number }) | undefined) => {
        if (ms === undefined || !cpu) return;
        const total = Object.values(cpu).reduce((a, b) => a + (b ?? 0), 0);
        rows.push([
            users.toLocaleString("en-US"),
            step,
            seconds(ms),
            ...cpuRoles.map(([role]) => (cpu[role] === undefined ? "-" : (cpu[role] as number).toFixed(1))),
            total.toFixed(1),
        ]);
    };
    for (const r of engine.rows) {
        add(r.users, "plain SDK create", r.plainCreateMs, r.cpu.plainCreate);
        add(r.users, "pulumi up", r.upMs ?? r.upStopped?.afterMs, r.cpu.up);
        add(r.users, "unchanged preview", r.previewMs, r.cpu.preview);
        if (!isSkipped(engine.migration) && engine.migration.users === r.users)
            add(r.users, "migrating up (version 1)", engine.migration.upMs, engine.migration.upCpu);
        add(r.users, "plain SDK delete", r.plainDeleteMs, r.cpu.plainDelete);
        add(r.users, "pulumi destroy", r.destroyMs, r.cpu.destroy);
        add(r.users, "pulumi up, PULUMI_SKIP_CHECKPOINTS", r.skipCheckpoints?.upMs, r.skipCheckpoints?.upCpu);
        add(r.users, "pulumi destroy, PULUMI_SKIP_CHECKPOINTS", r.skipCheckpoints?.destroyMs, r.skipCheckpoints?.destroyCpu);
    }
    return table(
        ["users", "step", "wall", ...cpuRoles.map(([, name]) => name), "all"],
        ["---:", "---", ...cpuRoles.map(() => "---:"), "---:", "---:"],
        rows,
    );
}

function renderMigration(m: MigrationRow): string[] {
    return table(
        [
            "users",
            "inputs + outputs per user, version 1",
            "after the migrating up",
            "checkpoint, version 1",
            "after",
            "migrating up",
            "users updated",
            "Cognito requests",
        ],
        ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
        [
            [
                String(m.users),
                bytes(m.before.inputsOutputsBytesPerUser),
                bytes(m.after.inputsOutputsBytesPerUser),
                `${(m.before.checkpointBytes / 1024).toFixed(0)} KiB`,
                `${(m.after.checkpointBytes / 1024).toFixed(0)} KiB`,
                seconds(m.upMs),
                m.updated === null ? "?" : String(m.updated),
                String(m.cognitoRequests),
            ],
        ],
    );
}

export function renderChecks(list: Check[]): string[] {
    return [
        "### Targets",
        "",
        ...table(
            ["target", "source", "measured", "result"],
            ["---", "---", "---:", "---"],
            list.map((c) => [c.target, c.source, c.measured, c.result]),
        ),
    ];
}

const startupMs = (s: StartupResults, kind: StartupKind) => median((s.runs[kind] ?? []).map((r) => r.ms));
const startupRatio = (s: StartupResults, kind: StartupKind, floor: StartupKind) => startupMs(s, kind) / startupMs(s, floor);

export function renderStartup(s: StartupResults | Skipped | undefined): string[] {
    const lines: string[] = [];
    lines.push("### (d) Start-up: preview and up of a small stack beside an empty JavaScript program");
    lines.push("");
    if (s === undefined) return [...lines, "not measured in this run"];
    if (isSkipped(s)) return [...lines, `skipped: ${s.skipped}`];
    lines.push(
        `Measured ${s.date.slice(0, 10)} (Node ${s.node}, Pulumi CLI ${s.version}, ${s.cli}); ${s.rounds} rounds, each running every row once, in order;`,
    );
    lines.push(
        `cognito-auth in existing-pool mode with ${s.users} users against cognito-local; file backend, plugin acquisition off. Load ${s.load1[0].toFixed(1)} at the start, ${s.load1[1].toFixed(1)} at the end.`,
    );
    lines.push("");
    const cpu = (runs: { cpu: CpuByRole }[], role: keyof CpuByRole) => {
        const values = runs.map((r) => r.cpu[role]).filter((v): v is number => v !== undefined);
        return values.length ? median(values).toFixed(1) : "-";
    };
    const row = (name: string, kind: StartupKind, floor: StartupKind) => {
        const runs = s.runs[kind] ?? [];
        if (!runs.length) return [name, "0", "-", "-", "-", "-", "-", "-"];
        return [
            name,
            String(runs.length),
            seconds(startupMs(s, kind)),
            seconds(Math.min(...runs.map((r) => r.ms))),
            kind === floor ? "1.00x (peer)" : ratio(startupRatio(s, kind, floor)),
            cpu(runs, "program"),
            cpu(runs, "providerHost"),
            cpu(runs, "engine"),
        ];
    };
    lines.push(
        ...table(
            ["command", "runs", "median", "fastest", "/ empty program", "program CPU", "provider host CPU", "engine CPU"],
            ["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
            [
                row("empty JavaScript program: `pulumi preview` (peer)", "floorPreview", "floorPreview"),
                row(`cognito-auth, ${s.users} users: unchanged \`pulumi preview\``, "preview", "floorPreview"),
                row("the same with `PULUMI_NODEJS_TRANSPILE_ONLY=false` (ts-node type-checks)", "previewTypeChecked", "floorPreview"),
                row("empty JavaScript program: `pulumi up` (peer)", "floorUp", "floorUp"),
                row(`cognito-auth, ${s.users} users: unchanged \`pulumi up\``, "upUnchanged", "floorUp"),
            ],
        ),
    );
    lines.push("");
    lines.push(
        `The first \`pulumi up\` of the stack, creating the ${s.users} users: ${seconds(s.upCreate.ms)} (program CPU ${s.upCreate.cpu.program?.toFixed(1) ?? "-"} s, provider host CPU ${s.upCreate.cpu.providerHost?.toFixed(1) ?? "-"} s).`,
    );
    if (isSkipped(s.mocked)) lines.push(`Created-pool program under mocks: ${s.mocked.skipped}`);
    else
        lines.push(
            `Created-pool program under mocks (part (a)'s child, ${s.mocked.users} users, ${s.mocked.resources} resources): the process ${seconds(s.mocked.processMs)} (Node start, ts-node, evaluation ${seconds(s.mocked.ms)}), child CPU ${seconds(s.mocked.cpuMs)}.`,
        );
    lines.push("");
    lines.push(
        "Where the start-up goes: each step in a fresh Node process from the project folder (bench/startupProbe.js; median of 3, ms):",
    );
    lines.push("");
    const names = Object.keys(s.probe.transpile.steps);
    lines.push(
        ...table(
            ["step", "transpile only (what the commands run)", "ts-node type-checking"],
            ["---", "---:", "---:"],
            names.map((name) => [name, s.probe.transpile.steps[name].toFixed(0), (s.probe.typecheck.steps[name] ?? 0).toFixed(0)]),
        ),
    );
    lines.push("");
    lines.push(`The program's modules load all of \`@pulumi/aws\`: ${s.probe.transpile.awsByProgram ? "yes" : "no"}.`);
    lines.push("");
    lines.push("Columns: **median** / **fastest** = wall time of the whole command over the rounds; **/ empty program** = median over the");
    lines.push("peer row's median (the same command on a project whose `index.js` only requires `@pulumi/pulumi`: the CLI, language host,");
    lines.push("Node and the SDK's runner, nothing else); **program CPU**, **provider host CPU**, **engine CPU** = median CPU seconds of");
    lines.push("that process (Linux `/proc`, sampled every 0.5 s, so a process's last half second may be missed). The user provider's");
    lines.push("host starts on the first user's `check`, after the program has loaded; in a preview it runs `check` and `diff` per user.");
    return lines;
}
