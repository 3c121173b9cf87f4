import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { readStackConfig } from "../components/stackConfig";
import { runProgram } from "../harness/program";

// The shipped stack files (Pulumi.dev.yaml, Pulumi.prod.yaml) pass the preview checks as a team
// would run them, once each user's password is set as a secret; and prod declares the production
// choices it says it makes.

const root = path.resolve(__dirname, "..");
// js-yaml comes with mocha and @pulumi/pulumi; it has no types here.
const yaml = require("js-yaml") as { load(text: string): any };

/** A stack file's config as the program receives it: text as is, objects and lists as JSON. */
function stackConfig(stack: string): Record<string, string> {
    const file = yaml.load(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8"));
    return Object.fromEntries(
        Object.entries(file.config as Record<string, unknown>).map(([key, value]) => [
            key,
            typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value),
        ]),
    );
}

/** A password per configured user, as `pulumi config set --secret` would add (none is committed). */
function withPasswords(config: Record<string, string>): Record<string, string> {
    const users = Object.keys(JSON.parse(config["cognito-auth:users"] ?? "{}"));
    return { ...config, "cognito-auth:passwords": JSON.stringify(Object.fromEntries(users.map((user) => [user, `Set-${user}-4217xq!`]))) };
}

describe("shipped stack files", () => {
    for (const stack of ["dev", "prod"]) {
        it(`Pulumi.${stack}.yaml passes the preview checks once each user's password is set, and commits no password`, function () {
            const config = stackConfig(stack);
            expect(config, "no password in the committed file").to.not.have.property("cognito-auth:passwords");
            const read = readStackConfig({ project: "cognito-auth", stack, config: withPasswords(config), isSecret: () => true });
            expect(read.problems).to.deep.equal([]);
            expect(read.warnings).to.deep.equal([]);
            // Without the passwords, the reader says how to set each one.
            const unset = readStackConfig({ project: "cognito-auth", stack, config, isSecret: () => true });
            expect(unset.problems.length).to.be.greaterThan(0);
            expect(
                unset.problems.every((problem) =>
                    /has no password; set one with: pulumi config set --secret --path 'passwords\./.test(problem),
                ),
            ).to.equal(true);
        });
    }

    it("Pulumi.prod.yaml declares production choices: deletion protection, no guests, SES sender, PLUS with threat protection enforced, password history", async function () {
        const config = withPasswords(stackConfig("prod"));
        const settings = Object.fromEntries(
            Object.entries(config)
                .filter(([key]) => key.startsWith("cognito-auth:"))
                .map(([key, value]) => [key.slice("cognito-auth:".length), value]),
        );
        const run = await runProgram(
            Object.fromEntries(
                Object.entries(settings).map(([key, value]) => [
                    key,
                    key === "featurePlan" || key === "threatProtection" || key === "mfa" ? value : JSON.parse(value),
                ]),
            ),
            { stack: "prod", rawConfig: { "aws:region": config["aws:region"] } },
        );
        const pool = run.one("aws:cognito/userPool:UserPool");
        expect(pool.inputs.deletionProtection).to.equal("ACTIVE");
        expect(pool.options?.protect).to.equal(true);
        expect(pool.inputs.userPoolTier).to.equal("PLUS");
        expect(pool.inputs.userPoolAddOns).to.deep.equal({ advancedSecurityMode: "ENFORCED" });
        expect(pool.inputs.emailConfiguration.emailSendingAccount).to.equal("DEVELOPER");
        expect(pool.inputs.passwordPolicy.passwordHistorySize).to.equal(5);
        expect(run.one("aws:cognito/identityPool:IdentityPool").inputs.allowUnauthenticatedIdentities).to.equal(false);
        expect(run.byType("aws:iam/role:Role").map((role) => role.name)).to.deep.equal(["cognito-auth-authenticated"]);
    });
});
