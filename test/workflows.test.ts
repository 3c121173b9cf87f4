import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// The GitHub workflows' structure: pull requests preview dev and prod (one PR comment each, with
// each stack's preview environment); pushes to main deploy and verify dev, then prod through the
// `prod` environment (required reviewers). Every job tests before Pulumi runs.

const root = path.resolve(__dirname, "..");
const workflowsDir = path.join(root, ".github", "workflows");

// js-yaml is a dependency (and comes with mocha); it has no types here.
const yaml = require("js-yaml") as { load(text: string): any };
const load = (name: string) => yaml.load(fs.readFileSync(path.join(workflowsDir, name), "utf8"));
const jobsOf = (workflow: any) => Object.entries(workflow.jobs) as [string, any][];

const uses = (prefix: string) => (step: any) => typeof step.uses === "string" && step.uses.startsWith(prefix);
const runLines = (step: any): string[] => (typeof step.run === "string" ? step.run.split("\n").map((l: string) => l.trim()) : []);
const runs = (command: string) => (step: any) => runLines(step).includes(command);
const pulumiStep = (command: string) => (step: any) => uses("pulumi/actions@")(step) && step.with?.command === command;

type Context = { matrix?: Record<string, string>; env?: Record<string, string> };

/** Evaluates the `${{ a || b || 'literal' }}` expressions the workflows use, with no repository
 * or environment variable set (the defaults a new environment gets). */
function resolve(value: unknown, context: Context): string {
    return String(value).replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
        for (const term of expression.split("||").map((t) => t.trim())) {
            const literal = /^'(.*)'$/.exec(term);
            if (literal) return literal[1];
            const [scope, name] = term.split(".");
            if (scope === "vars") continue;
            const found = scope === "matrix" ? context.matrix?.[name] : scope === "env" ? context.env?.[name] : undefined;
            if (found === undefined) throw new Error(`cannot resolve ${term}`);
            if (found) return found;
        }
        return "";
    });
}

/** The job's env for one matrix entry, resolved. */
function jobEnv(job: any, matrix?: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, resolve(v, { matrix })]));
}

/** A step's run lines with `"$NAME"` and `$NAME` replaced from the job's and the step's env. */
function expandedRunLines(step: any, env: Record<string, string>): string[] {
    const all = { ...env, ...(step.env ?? {}) };
    return runLines(step).map((line) => line.replace(/"?\$([A-Z_]+)"?/g, (whole, name: string) => (name in all ? all[name] : whole)));
}

const environmentName = (job: any, matrix?: Record<string, string>) =>
    resolve(typeof job.environment === "object" ? job.environment?.name : job.environment, { matrix });

/** Checks what every Pulumi job does: test first, then OIDC AWS credentials, then Pulumi with the
 * environment's backend and passphrase. Returns the steps' indexes. */
function expectTestedPulumiJob(job: any, command: string) {
    const steps: any[] = job.steps;
    const at = {
        checkout: steps.findIndex(uses("actions/checkout@")),
        node: steps.findIndex(uses("actions/setup-node@")),
        ci: steps.findIndex(runs("npm ci")),
        test: steps.findIndex(runs("npm test")),
        aws: steps.findIndex(uses("aws-actions/configure-aws-credentials@")),
        pulumi: steps.findIndex(pulumiStep(command)),
    };
    for (const [name, index] of Object.entries(at)) expect(index, `step ${name}`).to.be.at.least(0);
    expect(
        at.checkout < at.node && at.node < at.ci && at.ci < at.test && at.test < at.aws && at.aws < at.pulumi,
        "checkout, setup-node, npm ci, npm test, AWS credentials, then Pulumi",
    ).to.equal(true);
    expect(String(steps[at.node].with["node-version"]), "an LTS Node (22 or 24)").to.be.oneOf(["22", "24"]);
    expect(steps[at.node].with.cache).to.equal("npm");
    expect(job["runs-on"]).to.equal("ubuntu-latest");
    expect(job.permissions["id-token"], "OIDC for the AWS credentials").to.equal("write");
    expect(steps[at.aws].with["aws-region"], "the documented region default").to.equal("${{ vars.AWS_REGION || 'ap-northeast-1' }}");
    const p = steps[at.pulumi];
    expect(p.with["cloud-url"]).to.equal("${{ secrets.PULUMI_BACKEND_URL }}");
    const env = { ...job.env, ...p.env };
    expect(env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    expect(env.PULUMI_ACCESS_TOKEN).to.equal("${{ secrets.PULUMI_ACCESS_TOKEN }}");
    return { steps, ...at };
}

describe("workflows (.github/workflows, parsed with js-yaml)", () => {
    describe("preview.yml: pull requests preview dev and prod", () => {
        const workflow = load("preview.yml");
        const [[, job], ...others] = jobsOf(workflow);

        it("runs on pull requests, in one job per stack: dev and prod, neither cancelling the other", () => {
            expect(Object.keys(workflow.on)).to.deep.equal(["pull_request"]);
            expect(others, "one preview job (a matrix over the stacks)").to.have.length(0);
            expect(job.strategy.matrix.stack).to.deep.equal(["dev", "prod"]);
            expect(job.strategy["fail-fast"]).to.equal(false);
        });

        for (const stack of ["dev", "prod"]) {
            it(`${stack}: npm ci and npm test, then pulumi preview of stack ${stack} with its preview environment's read-only role`, () => {
                const { steps, aws, pulumi } = expectTestedPulumiJob(job, "preview");
                const env = jobEnv(job, { stack });
                expect(resolve(steps[pulumi].with["stack-name"], { matrix: { stack }, env })).to.equal(stack);
                // Not `dev`/`prod`: their approval would hold every PR and their role may deploy.
                expect(environmentName(job, { stack })).to.equal(`${stack}-preview`);
                expect(steps[aws].with["role-to-assume"]).to.equal("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
            });
        }

        it("comments each stack's preview on the PR, one comment per stack edited on later pushes", () => {
            const p = job.steps.find(pulumiStep("preview"));
            expect(p.with["comment-on-pr"]).to.equal(true);
            // pulumi/actions finds its earlier comment by the heading `<command>` on <project>/<stack>.
            expect(p.with["edit-pr-comment"]).to.equal(true);
            expect(p.with["comment-on-summary"], "the same report in the job summary").to.equal(true);
            expect(p.with.diff, "changed properties listed, secrets as [secret]").to.equal(true);
            const names = ["dev", "prod"].map((stack) => resolve(p.with["stack-name"], { matrix: { stack }, env: jobEnv(job, { stack }) }));
            expect(new Set(names).size, `distinct stack names in the headings: ${names}`).to.equal(2);
            expect(p.with["github-token"]).to.equal("${{ secrets.GITHUB_TOKEN }}");
            expect(job.permissions["pull-requests"]).to.equal("write");
        });

        it("a newer push to the PR cancels its older preview", () => {
            expect(workflow.concurrency.group).to.contain("github.event.pull_request.number");
            expect(workflow.concurrency["cancel-in-progress"]).to.equal(true);
        });
    });

    describe("deploy.yml: pushes to main deploy dev, then prod after approval", () => {
        const workflow = load("deploy.yml");
        const jobs = jobsOf(workflow);
        const byEnvironment = (name: string) => {
            const found = jobs.filter(([, job]) => environmentName(job) === name);
            expect(found, `one job with environment: ${name}`).to.have.length(1);
            return found[0];
        };

        it("runs on pushes to main only", () => {
            expect(Object.keys(workflow.on)).to.deep.equal(["push"]);
            expect(workflow.on.push.branches).to.deep.equal(["main"]);
        });

        for (const stack of ["dev", "prod"]) {
            it(`${stack}: environment ${stack}, npm ci and npm test, pulumi up of stack ${stack}, then npm run verify -- --stack ${stack}`, () => {
                const [, job] = byEnvironment(stack);
                const { steps, aws, pulumi } = expectTestedPulumiJob(job, "up");
                const env = jobEnv(job);
                expect(resolve(steps[pulumi].with["stack-name"], { env })).to.equal(stack);
                // The environment's own deploy role; no fallback to another stack's or the preview's.
                expect(steps[aws].with["role-to-assume"]).to.equal("${{ vars.AWS_ROLE_ARN }}");
                const verify = steps.findIndex((s) => expandedRunLines(s, env).includes(`npm run verify -- --stack ${stack}`));
                expect(verify, "verify after up").to.be.greaterThan(pulumi);
                expect(steps[verify].env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
                expect(steps[verify].env.PULUMI_ACCESS_TOKEN).to.equal("${{ secrets.PULUMI_ACCESS_TOKEN }}");
            });

            it(`${stack}: one up of the stack at a time, a running one never cancelled`, () => {
                const [, job] = byEnvironment(stack);
                expect(job.concurrency.group)
                    .to.be.a("string")
                    .and.match(new RegExp(`\\b${stack}$`));
                expect(job.concurrency["cancel-in-progress"]).to.equal(false);
            });
        }

        it("prod runs only after the dev job (which deploys and verifies dev) succeeded", () => {
            const [devId] = byEnvironment("dev");
            const [, prod] = byEnvironment("prod");
            expect([prod.needs].flat()).to.include(devId);
            expect(prod.if, "no condition that would run prod after a failed dev").to.equal(undefined);
        });
    });

    describe("every workflow", () => {
        const files = fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
        const triggers = (workflow: any) =>
            typeof workflow.on === "string" ? [workflow.on] : Array.isArray(workflow.on) ? workflow.on : Object.keys(workflow.on);

        it("no job a pull request triggers runs pulumi up (or anything but preview)", () => {
            for (const file of files) {
                const workflow = load(file);
                if (!triggers(workflow).some((t: string) => t.startsWith("pull_request"))) continue;
                for (const [id, job] of jobsOf(workflow)) {
                    for (const step of job.steps) {
                        if (uses("pulumi/actions@")(step)) expect(step.with.command, `${file} ${id}`).to.equal("preview");
                        for (const line of runLines(step))
                            expect(line, `${file} ${id}`).not.to.match(/pulumi\s+(up|destroy|refresh|import)/);
                    }
                }
            }
        });

        it("permissions: none by default; id-token only for AWS OIDC, pull-requests only for the preview comment", () => {
            for (const file of files) {
                const workflow = load(file);
                expect(workflow.permissions, file).to.deep.equal({});
                for (const [id, job] of jobsOf(workflow)) {
                    const allowed: Record<string, string> = { contents: "read" };
                    if (job.steps.some(uses("aws-actions/configure-aws-credentials@"))) allowed["id-token"] = "write";
                    if (job.steps.some((s: any) => uses("pulumi/actions@")(s) && s.with?.["comment-on-pr"] === true))
                        allowed["pull-requests"] = "write";
                    expect(job.permissions, `${file} ${id}`).to.deep.equal(allowed);
                }
            }
        });

        it("pass actionlint (when installed: go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)", function () {
            const candidates = process.env.ACTIONLINT
                ? [process.env.ACTIONLINT]
                : ["actionlint", path.join(os.homedir(), "go", "bin", "actionlint")];
            const found = candidates.find((c) => c && spawnSync(c, ["-version"]).status === 0);
            // CI (.ci/run) builds it and names it: there, not finding it is a failure.
            expect(Boolean(found) || !process.env.ACTIONLINT, `ACTIONLINT=${process.env.ACTIONLINT} does not run`).to.equal(true);
            if (!found) {
                console.log("      actionlint skipped: no actionlint on PATH, in ~/go/bin or $ACTIONLINT");
                this.skip();
            }
            const run = spawnSync(
                found!,
                files.map((f) => path.join(".github", "workflows", f)),
                { cwd: root, encoding: "utf8" },
            );
            expect(run.stdout + run.stderr, "actionlint findings").to.equal("");
            expect(run.status).to.equal(0);
        });
    });
});
