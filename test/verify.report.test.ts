// The verify script's report and main(): the whole printed text for the edge cases (no checks, no
// guest role, a client secret), the table cells of a failed step, redaction of secrets that contain
// one another, and main's handling of its clients and of unexpected errors. Found unpinned by
// mutation testing (docs/mutation-testing.md).

import { expect } from "chai";
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { CognitoIdentityClient } from "@aws-sdk/client-cognito-identity";
import { Clients } from "../scripts/verify/checks";
import { main, parseArgs } from "../scripts/verify/cli";
import { VerifyInputs } from "../scripts/verify/inputs";
import { redact } from "../lib/redact";
import { formatReport, row, summary } from "../scripts/verify/render";
import { capture, mockIdentityPoolSuccess, stackConfig, stackOutputs, stsClientFor } from "./verify.fixtures";

const inputs: VerifyInputs = {
    region: "us-east-1",
    userPoolId: "us-east-1_TestPool1",
    clientId: "testclientid123",
    identityPoolId: "us-east-1:0000",
    authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth",
    users: [],
};

describe("verify script: report and main", function () {
    it("the report with nothing to check: the stack, no guest role, the client secret mentioned but not shown", function () {
        expect(formatReport({ ...inputs, clientSecret: "cs-abcdef" }, [])).to.equal(
            [
                "Stack: user pool us-east-1_TestPool1, app client testclientid123 (with secret), identity pool us-east-1:0000, region us-east-1",
                "Roles: authenticated arn:aws:iam::123456789012:role/auth; unauthenticated (guests not allowed)",
                "",
                "No users in config (cognito-auth:users) and guests not allowed: nothing to verify.",
            ].join("\n"),
        );
    });

    it("the report of one passed check: the table and nothing after it", function () {
        const report = formatReport({ ...inputs, unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth" }, [
            { signIn: "not-applicable", identityId: "us-east-1:guest", credentials: { role: "unauthenticated" } },
        ]);
        expect(report.split("\n")).to.deep.equal([
            "Stack: user pool us-east-1_TestPool1, app client testclientid123, identity pool us-east-1:0000, region us-east-1",
            "Roles: authenticated arn:aws:iam::123456789012:role/auth; unauthenticated arn:aws:iam::123456789012:role/unauth",
            "",
            "user     sign-in      identity         credentials                expiry",
            "-------  -----------  ---------------  -------------------------  ------",
            "(guest)  n/a (guest)  us-east-1:guest  OK (unauthenticated role)  -",
        ]);
    });

    it("table cells: FAILED at the failed step, - after it and before it for a guest", function () {
        expect(row({ user: "a", failure: { step: "sign-in", reason: "r" } })).to.deep.equal(["a", "FAILED", "-", "-", "-"]);
        expect(row({ user: "a", signIn: "ok", failure: { step: "identity", reason: "r" } })).to.deep.equal(["a", "OK", "FAILED", "-", "-"]);
        expect(row({ failure: { step: "identity", reason: "r" } })).to.deep.equal(["(guest)", "-", "FAILED", "-", "-"]);
    });

    it("summary: no line when nothing was checked, 'all N passed' otherwise", function () {
        expect(summary([])).to.deep.equal({ failed: 0, line: undefined });
        expect(summary([{ signIn: "ok" }])).to.deep.equal({ failed: 0, line: "verify: all 1 checks passed" });
    });

    it("redact: a secret that contains another is replaced whole, whatever their order", function () {
        for (const secrets of [
            ["abcd", "abcdefgh"],
            ["abcdefgh", "abcd"],
        ]) {
            expect(redact("x abcdefgh y abcd z", secrets), secrets.join(",")).to.equal("x [secret] y [secret] z");
        }
    });

    it("redact: a URL-encoded secret inside quotes keeps its quotes", function () {
        expect(redact('Password="Pw%231234" rejected', ["Pw#1234"])).to.equal('Password="[secret]" rejected');
    });

    it("parseArgs: `--` is skipped; what follows it is still refused as an argument", function () {
        expect(parseArgs(["--stack", "dev", "--"])).to.deep.equal({ help: false, stack: "dev" });
        expect(() => parseArgs(["--", "extra"])).to.throw("unknown argument extra");
    });

    describe("main", function () {
        const runner = async (args: string[]) =>
            JSON.stringify(args[0] === "stack" ? stackOutputs({ unauthenticatedRoleArn: undefined }) : {});

        it("nothing to check: the report alone on stdout, no summary line, exit 0", async function () {
            const printed = capture();
            const given: Clients = {
                idp: new CognitoIdentityProviderClient({ region: "us-east-1" }),
                identity: new CognitoIdentityClient({ region: "us-east-1" }),
                stsWith: () => {
                    throw new Error("no STS call without checks");
                },
            };
            expect(await main([], { ...printed.deps, runPulumi: runner, clients: () => given })).to.equal(0);
            expect(printed.stdout).to.have.lengthOf(1);
            expect(printed.stdout[0]).to.match(/nothing to verify\.$/);
            expect(printed.stderr).to.deep.equal([]);
        });

        it("destroys the clients it made itself, and never the caller's", async function () {
            const destroyed: string[] = [];
            const idpDestroy = CognitoIdentityProviderClient.prototype.destroy;
            const identityDestroy = CognitoIdentityClient.prototype.destroy;
            CognitoIdentityProviderClient.prototype.destroy = function () {
                destroyed.push("idp");
                idpDestroy.call(this);
            };
            CognitoIdentityClient.prototype.destroy = function () {
                destroyed.push("identity");
                identityDestroy.call(this);
            };
            try {
                const given: Clients = {
                    idp: new CognitoIdentityProviderClient({ region: "us-east-1" }),
                    identity: new CognitoIdentityClient({ region: "us-east-1" }),
                    stsWith: () => {
                        throw new Error("no STS call without checks");
                    },
                };
                expect(await main([], { ...capture().deps, runPulumi: runner, clients: () => given })).to.equal(0);
                expect(destroyed, "the caller's clients").to.deep.equal([]);
                expect(await main([], { ...capture().deps, runPulumi: runner })).to.equal(0);
                expect(destroyed, "its own clients").to.deep.equal(["idp", "identity"]);
            } finally {
                CognitoIdentityProviderClient.prototype.destroy = idpDestroy;
                CognitoIdentityClient.prototype.destroy = identityDestroy;
            }
        });

        /** Runs `fn` with process.stdout/stderr.write captured and stderr's isTTY set as given. */
        async function processOutput(isTTY: boolean, fn: () => Promise<unknown>) {
            const written = { stdout: [] as string[], stderr: [] as string[] };
            const saved = { out: process.stdout.write, err: process.stderr.write, isTTY: process.stderr.isTTY };
            process.stdout.write = ((chunk: unknown) => written.stdout.push(String(chunk)) > 0) as never;
            process.stderr.write = ((chunk: unknown) => written.stderr.push(String(chunk)) > 0) as never;
            process.stderr.isTTY = isTTY;
            try {
                await fn();
            } finally {
                process.stdout.write = saved.out;
                process.stderr.write = saved.err;
                process.stderr.isTTY = saved.isTTY;
            }
            return written;
        }

        it("without out/err it writes to the process's stdout and stderr, each text ended by a line break", async function () {
            const help = await processOutput(false, () => main(["--help"]));
            expect(help.stdout).to.have.lengthOf(1);
            expect(help.stdout[0]).to.match(/^Usage: npm run verify -- \[options\]\n[\s\S]*config\.json\n\n$/);
            const bad = await processOutput(false, () => main(["--bogus"]));
            expect(bad.stderr).to.deep.equal(["verify: unknown argument --bogus\nRun with --help for usage.\n"]);
        });

        it("a progress line per user when its own stderr is a terminal; none in a log, nor on a stderr of the caller's", async function () {
            const idp = mockClient(CognitoIdentityProviderClient);
            idp.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: "eyJ.id.token" } });
            const pool = mockIdentityPoolSuccess();
            try {
                const oneUser = async (args: string[]) =>
                    JSON.stringify(
                        args[0] === "stack"
                            ? stackOutputs({ unauthenticatedRoleArn: undefined })
                            : stackConfig({ alice: {} }, { alice: "Pw-alice-12345#" }, true),
                    );
                const clients = (): Clients => ({
                    idp: new CognitoIdentityProviderClient({ region: "us-east-1" }),
                    identity: new CognitoIdentityClient({ region: "us-east-1" }),
                    stsWith: stsClientFor,
                });
                const own = await processOutput(true, () => main([], { out: () => undefined, runPulumi: oneUser, clients }));
                expect(own.stderr).to.deep.equal(["verify: 1 of 1 users checked\n"]);
                const log = await processOutput(false, () => main([], { out: () => undefined, runPulumi: oneUser, clients }));
                expect(log.stderr, "not a terminal: every 10 users only").to.deep.equal([]);
                const given: string[] = [];
                await processOutput(true, () => main([], { out: () => undefined, err: (t) => given.push(t), runPulumi: oneUser, clients }));
                expect(given).to.deep.equal([]);
            } finally {
                idp.restore();
                pool.restore();
            }
        });

        it("an unexpected error while loading is thrown, not reported as bad input", async function () {
            const broken = async () => {
                throw new TypeError("a bug");
            };
            const printed = capture();
            const outcome = await main([], { ...printed.deps, runPulumi: broken }).then(
                (code) => code,
                (err: unknown) => err,
            );
            expect(outcome).to.be.instanceOf(TypeError);
            expect(printed.stderr).to.deep.equal([]);
        });
    });
});
