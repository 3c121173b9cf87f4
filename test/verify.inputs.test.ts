// scripts/verify/inputs.ts case by case: the shapes of `pulumi config --json` entries, each missing
// or malformed output and config value with its exact message, the region fallbacks, and the real
// CLI runner against a stand-in `pulumi` on PATH. Found unpinned by mutation testing
// (docs/mutation-testing.md). No test here prints a password.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { InputError, VerifyInputs, configValue, loadInputs, runPulumi, secretsOf } from "../scripts/verify/inputs";
import { stackConfig, stackOutputs, tempDir } from "./verify.fixtures";

/** A runner answering `stack output` with `outputs` and `config` with `config`, as JSON text. */
const answering =
    (outputs: unknown, config: unknown = {}) =>
    async (args: string[]) =>
        JSON.stringify(args[0] === "stack" ? outputs : config);

/** The InputError `promise` rejects with. */
async function inputError(promise: Promise<unknown>): Promise<string> {
    const outcome = await promise.then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(outcome, "expected an InputError").to.be.instanceOf(InputError);
    return (outcome as Error).message;
}

describe("verify script: input loading, case by case", function () {
    describe("configValue: the entries of `pulumi config --json` and of a plain file", function () {
        const cases: [string, Record<string, unknown>, unknown][] = [
            ["a plain value (a hand-written file)", { k: "eu-west-1" }, "eu-west-1"],
            ["an absent key", {}, undefined],
            ["objectValue when present", { k: { value: '{"a":1}', objectValue: { a: 2 }, secret: false } }, { a: 2 }],
            ["the JSON text when objectValue is undefined", { k: { value: '{"a":1}', objectValue: undefined, secret: false } }, { a: 1 }],
            ["JSON text after spaces", { k: { value: '  ["x"]', secret: false } }, ["x"]],
            ["text that has a bracket later is text", { k: { value: "eu-west-1 [x]", secret: false } }, "eu-west-1 [x]"],
            ["text that has a brace after other characters is text", { k: { value: "ab{", secret: false } }, "ab{"],
            ["plain text", { k: { value: "eu-west-1", secret: false } }, "eu-west-1"],
            ["a value that is already an object", { k: { value: { a: 1 }, secret: false } }, { a: 1 }],
            ["an object without value or secret flag, as it is", { k: { a: 1 } }, { a: 1 }],
        ];
        for (const [what, config, expected] of cases) {
            it(what, function () {
                expect(configValue(config, "k")).to.deep.equal(expected);
            });
        }

        it("JSON text that does not parse is refused, naming the key, not quoting the value", function () {
            expect(() => configValue({ k: { value: '{"password": "Pw-123', secret: true } }, "k")).to.throw(
                InputError,
                /^config k is not valid JSON$/,
            );
        });

        it('"[secret]" (read without --show-secrets) is refused, naming the key', function () {
            expect(() => configValue({ k: { value: "[secret]", secret: true } }, "k")).to.throw(
                InputError,
                `config k shows "[secret]": read it with 'pulumi config --json --show-secrets'`,
            );
        });
    });

    describe("loadInputs", function () {
        it("calls the CLI without -s when no stack is named", async function () {
            const calls: string[][] = [];
            await loadInputs({}, async (args) => {
                calls.push(args);
                return JSON.stringify(args[0] === "stack" ? stackOutputs() : {});
            });
            expect(calls).to.deep.equal([
                ["stack", "output", "--json", "--show-secrets"],
                ["config", "--json", "--show-secrets"],
            ]);
        });

        it("outputs and config must be JSON objects: not a list, not null, not text", async function () {
            for (const outputs of [[], null, "x"]) {
                expect(await inputError(loadInputs({}, answering(outputs))), JSON.stringify(outputs)).to.equal(
                    "the stack outputs must be a JSON object",
                );
            }
            for (const config of [[], null]) {
                expect(await inputError(loadInputs({}, answering(stackOutputs(), config))), JSON.stringify(config)).to.equal(
                    "the stack config must be a JSON object",
                );
            }
        });

        it("output that is no JSON: named by where it came from, never quoted", async function () {
            const notJson = async (args: string[]) => (args[0] === "stack" ? "Pw-secret-123 {" : "{}");
            expect(await inputError(loadInputs({}, notJson))).to.equal("the output of pulumi stack output is not valid JSON");
            const configNotJson = async (args: string[]) => (args[0] === "stack" ? JSON.stringify(stackOutputs()) : "Pw-secret-123 {");
            expect(await inputError(loadInputs({}, configNotJson))).to.equal("the output of pulumi config is not valid JSON");
            const dir = tempDir();
            try {
                const file = path.join(dir, "c.json");
                fs.writeFileSync(file, "Pw-secret-123 {");
                expect(await inputError(loadInputs({ configFile: file }, answering(stackOutputs())))).to.equal(
                    `the config file ${file} is not valid JSON`,
                );
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("a required output that is missing, null or empty is 'missing'; one of another type 'must be a string'", async function () {
            for (const value of [undefined, null, ""]) {
                expect(await inputError(loadInputs({}, answering(stackOutputs({ userPoolClientId: value })))), String(value)).to.equal(
                    "stack output userPoolClientId is missing; is this the right stack, and has 'pulumi up' run?",
                );
            }
            expect(await inputError(loadInputs({}, answering(stackOutputs({ userPoolClientId: 5 }))))).to.equal(
                "stack output userPoolClientId must be a string",
            );
            expect(await inputError(loadInputs({}, answering(stackOutputs({ clientSecret: 5 }))))).to.equal(
                "stack output clientSecret must be a string",
            );
        });

        it("the region: the output, else aws:region from config, else the pool id's prefix", async function () {
            const config = { "aws:region": { value: "eu-west-1", secret: false } };
            expect((await loadInputs({}, answering(stackOutputs({ region: "ap-south-1" }), config))).region).to.equal("ap-south-1");
            expect((await loadInputs({}, answering(stackOutputs({ region: "" }), config))).region).to.equal("eu-west-1");
            expect((await loadInputs({}, answering(stackOutputs({ region: undefined }), config))).region).to.equal("eu-west-1");
            expect((await loadInputs({}, answering(stackOutputs({ region: undefined }), {}))).region).to.equal("us-east-1");
        });

        it("users and passwords must be maps; a password that is not text counts as none", async function () {
            const config = (users: unknown, passwords: unknown) => ({ "cognito-auth:users": users, "cognito-auth:passwords": passwords });
            expect(await inputError(loadInputs({}, answering(stackOutputs(), config(["alice"], {}))))).to.equal(
                "config cognito-auth:users must be a map of username to settings",
            );
            expect(await inputError(loadInputs({}, answering(stackOutputs(), config({}, "x"))))).to.equal(
                "config cognito-auth:passwords must be a map of username to password",
            );
            const loaded = await loadInputs(
                {},
                answering(stackOutputs(), config({ alice: {}, bob: {} }, { alice: 5, bob: "Pw-bob-123456#" })),
            );
            expect(loaded.users.map((u) => [u.username, u.password === undefined])).to.deep.equal([
                ["alice", true],
                ["bob", false],
            ]);
        });

        it("the stack's config from `pulumi config --json`, with and without objectValue", async function () {
            for (const withObjectValue of [false, true]) {
                const loaded = await loadInputs(
                    {},
                    answering(stackOutputs(), stackConfig({ alice: {} }, { alice: "Pw-alice-12345#" }, withObjectValue)),
                );
                expect(loaded.users.map((u) => u.username)).to.deep.equal(["alice"]);
                expect(loaded.users[0].password === "Pw-alice-12345#", "the password is read").to.equal(true);
            }
        });
    });

    it("secretsOf: the client secret and each password that is set, nothing empty", function () {
        const inputs = (clientSecret: string | undefined, passwords: (string | undefined)[]): VerifyInputs => ({
            region: "us-east-1",
            userPoolId: "us-east-1_X",
            clientId: "c",
            clientSecret,
            identityPoolId: "i",
            authenticatedRoleArn: "a",
            users: passwords.map((password, i) => ({ username: `u${i}`, password, enabled: true })),
        });
        expect(secretsOf(inputs(undefined, ["p1", undefined, ""]))).to.deep.equal(["p1"]);
        expect(secretsOf(inputs("cs", ["p1"]))).to.deep.equal(["cs", "p1"]);
    });

    describe("runPulumi, the real runner, against a stand-in pulumi on PATH", function () {
        let dir: string;
        let savedPath: string | undefined;
        before(function () {
            dir = tempDir();
            // Prints its arguments; fails with a message on stderr when the first is "fail", or with nothing when it is "quiet".
            fs.writeFileSync(
                path.join(dir, "pulumi"),
                '#!/bin/sh\nif [ "$1" = fail ]; then echo "error: no stack named dev" >&2; echo "stdout may hold secrets"; exit 255; fi\n' +
                    'if [ "$1" = quiet ]; then exit 3; fi\nif [ "$1" = pwd ]; then pwd; exit 0; fi\n' +
                    'if [ "$1" = big ]; then head -c 200000 /dev/zero | tr "\\0" x; exit 0; fi\necho "args: $*"\n',
                { mode: 0o755 },
            );
            savedPath = process.env.PATH;
        });
        after(function () {
            process.env.PATH = savedPath;
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("returns stdout; on failure names the command (without --show-secrets) and stderr, never stdout", async function () {
            process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
            expect(await runPulumi(["stack", "output", "--json"], dir)).to.equal("args: stack output --json\n");
            expect(await inputError(runPulumi(["fail", "--json", "--show-secrets", "-s", "dev"], dir))).to.equal(
                "pulumi fail --json -s dev failed: error: no stack named dev",
            );
            expect(await inputError(runPulumi(["quiet"], dir))).to.match(/^pulumi quiet failed: Command failed: pulumi quiet$/);
        });

        it("runs in the given directory, and takes a large output (a stack with many users) whole", async function () {
            process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
            expect(await runPulumi(["pwd"], dir)).to.equal(`${fs.realpathSync(dir)}\n`);
            expect(await runPulumi(["big"], dir)).to.have.lengthOf(200_000);
        });

        it("no pulumi on PATH: says so, and how to do without it", async function () {
            process.env.PATH = path.join(dir, "nothing-here");
            expect(await inputError(runPulumi(["stack", "output"], dir))).to.equal(
                "pulumi stack output failed: the pulumi CLI is not on PATH; install it, or pass --outputs and --config files",
            );
        });
    });
});
