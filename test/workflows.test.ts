import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

// The GitHub workflows' structure (moved from test/verify.test.ts): preview on pull requests,
// deploy on pushes to main, both testing before Pulumi runs, with OIDC AWS credentials.

const root = path.resolve(__dirname, "..");

describe("workflows (.github/workflows, parsed with js-yaml)", () => {
    // js-yaml comes with mocha and @pulumi/pulumi; it has no types here.
    const yaml = require("js-yaml") as { load(text: string): any };
    const load = (name: string) => yaml.load(fs.readFileSync(path.join(root, ".github", "workflows", name), "utf8"));
    const indexOf = (steps: any[], match: (step: any) => boolean) => steps.findIndex(match);
    const uses = (prefix: string) => (step: any) => typeof step.uses === "string" && step.uses.startsWith(prefix);
    const runs = (command: string) => (step: any) =>
        typeof step.run === "string" && step.run.split("\n").some((l: string) => l.trim() === command);

    for (const [file, command] of [
        ["preview.yml", "preview"],
        ["deploy.yml", "up"],
    ] as const) {
        it(`${file}: npm ci and npm test run before pulumi ${command}, with OIDC AWS credentials and secrets`, () => {
            const workflow = load(file);
            const jobs = Object.values(workflow.jobs) as any[];
            expect(jobs).to.have.length(1);
            const job = jobs[0];
            expect(job.permissions["id-token"]).to.equal("write");
            const steps: any[] = job.steps;
            const checkout = indexOf(steps, uses("actions/checkout@"));
            const node = indexOf(steps, uses("actions/setup-node@"));
            const ci = indexOf(steps, runs("npm ci"));
            const test = indexOf(steps, runs("npm test"));
            const aws = indexOf(steps, uses("aws-actions/configure-aws-credentials@"));
            const pulumi = indexOf(steps, (s) => uses("pulumi/actions@")(s) && s.with?.command === command);
            expect(
                [checkout, node, ci, test, aws, pulumi].every((i) => i >= 0),
                "all steps present",
            ).to.equal(true);
            expect(checkout < node && node < ci && ci < test && test < aws && aws < pulumi, "step order").to.equal(true);
            expect(String(steps[node].with["node-version"]), "an LTS Node (22 or 24)").to.be.oneOf(["22", "24"]);
            expect(steps[node].with.cache).to.equal("npm");
            expect(steps[aws].with["role-to-assume"]).to.match(
                /^\$\{\{ vars\.(AWS_PREVIEW_ROLE_ARN \|\| vars\.)?AWS_ROLE_ARN \|\| secrets\.AWS_ROLE_ARN \}\}$/,
            );
            const p = steps[pulumi];
            expect(p.with["stack-name"]).to.match(/vars\.PULUMI_STACK \|\| 'dev'/);
            expect(p.with["cloud-url"]).to.equal("${{ secrets.PULUMI_BACKEND_URL }}");
            const env = { ...workflow.env, ...job.env, ...p.env };
            expect(env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
            expect(env.PULUMI_ACCESS_TOKEN).to.equal("${{ secrets.PULUMI_ACCESS_TOKEN }}");
        });
    }

    it("preview.yml runs on pull requests and comments the preview on the PR", () => {
        const workflow = load("preview.yml");
        expect(workflow.on).to.have.property("pull_request");
        const job = Object.values(workflow.jobs)[0] as any;
        expect(job.permissions["pull-requests"]).to.equal("write");
        const p = job.steps.find(uses("pulumi/actions@"));
        expect(p.with["comment-on-pr"]).to.equal(true);
    });

    it("deploy.yml runs on pushes to main, one deploy at a time", () => {
        const workflow = load("deploy.yml");
        expect(workflow.on.push.branches).to.deep.equal(["main"]);
        const concurrency = workflow.concurrency ?? (Object.values(workflow.jobs)[0] as any).concurrency;
        expect(concurrency.group)
            .to.be.a("string")
            .and.match(/deploy/);
        expect(concurrency["cancel-in-progress"]).to.equal(false);
    });
});
