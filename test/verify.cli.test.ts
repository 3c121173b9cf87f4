import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CognitoIdentityProviderClient, InitiateAuthCommand, NotAuthorizedException } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityClient } from "@aws-sdk/client-cognito-identity";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { Clients, secretHash } from "../scripts/verify/checks";
import { main, parseArgs } from "../scripts/verify/cli";
import { InputError, loadInputs } from "../scripts/verify/inputs";
import { redact } from "../lib/redact";
import { formatTable } from "../scripts/verify/render";
import {
    IdentityPoolMock,
    capture,
    mockIdentityPoolSuccess,
    region,
    root,
    stackConfig,
    stackOutputs,
    stsClientFor,
    tempDir,
} from "./verify.fixtures";

// scripts/verify: SECRET_HASH, input loading, arguments and help, the table, progress, and the
// entry point run as a process.

/** Runs scripts/verify.ts as `npm run verify` does (ts-node), with the given environment. */
function runEntry(args: string[], env: NodeJS.ProcessEnv = process.env) {
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/verify.ts", ...args], {
        cwd: root,
        encoding: "utf8",
        env,
    });
}

describe("verify script: SECRET_HASH known answers", () => {
    // Computed apart from the code, with OpenSSL (Python's hmac gives the same values):
    //   printf '%s' 'johndoeclientid' | openssl dgst -sha256 -hmac 'secret' -binary | base64
    //   printf '%s' 'clientidjohndoe' | openssl dgst -sha256 -hmac 'secret' -binary | base64
    //   printf '%s' 'jöhnclientid' | openssl dgst -sha256 -hmac 'sécret' -binary | base64   (UTF-8 shell)
    it("is base64(HMAC-SHA256(client secret, username + client id)), in UTF-8", () => {
        expect(secretHash("secret", "johndoe", "clientid")).to.equal("s4y3R57am9Rf8Iu0WzNIC3dHr3Iy+lN0GgNu65hqDKo=");
        expect(secretHash("secret", "clientid", "johndoe"), "username first, then client id").to.equal(
            "AQz1Jmzp/TpXXng+fw51FF+0SZUPgHX0ka5m4HQRrLg=",
        );
        expect(secretHash("sécret", "jöhn", "clientid")).to.equal("NqX4rGJkckHC5KyyJ43QUXRHld5ju6v2/vo59lAXrN0=");
    });
});

describe("verify script: inputs", () => {
    it("reads outputs and config from files, with value (JSON text) or objectValue", async () => {
        const dir = tempDir();
        try {
            for (const withObjectValue of [false, true]) {
                fs.writeFileSync(path.join(dir, "o.json"), JSON.stringify(stackOutputs({ clientSecret: "cs-123456" })));
                fs.writeFileSync(
                    path.join(dir, "c.json"),
                    JSON.stringify(
                        stackConfig(
                            { johndoe: { email: "j@example.com" }, off: { enabled: false }, nopw: {} },
                            { johndoe: "Pw-123456789#", off: "Pw-987654321#" },
                            withObjectValue,
                        ),
                    ),
                );
                const never = async () => {
                    throw new Error("the CLI must not run when files are given");
                };
                const loaded = await loadInputs({ outputsFile: path.join(dir, "o.json"), configFile: path.join(dir, "c.json") }, never);
                expect(loaded).to.deep.equal({
                    region,
                    userPoolId: "us-east-1_TestPool1",
                    clientId: "testclientid123",
                    clientSecret: "cs-123456",
                    identityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000",
                    authenticatedRoleArn: "arn:aws:iam::123456789012:role/auth",
                    unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/unauth",
                    users: [
                        { username: "johndoe", password: "Pw-123456789#", enabled: true },
                        { username: "off", password: "Pw-987654321#", enabled: false },
                        { username: "nopw", password: undefined, enabled: true },
                    ],
                });
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("calls the Pulumi CLI with --json --show-secrets for the named stack", async () => {
        const calls: string[][] = [];
        const runner = async (args: string[]) => {
            calls.push(args);
            return JSON.stringify(args[0] === "stack" ? stackOutputs({ unauthenticatedRoleArn: undefined }) : stackConfig({}, {}, true));
        };
        const loaded = await loadInputs({ stack: "dev" }, runner);
        expect(calls).to.deep.equal([
            ["stack", "output", "--json", "--show-secrets", "-s", "dev"],
            ["config", "--json", "--show-secrets", "-s", "dev"],
        ]);
        expect(loaded.unauthenticatedRoleArn).to.equal(undefined);
        expect(loaded.users).to.deep.equal([]);
    });

    it('reads enabled given as the text "true" / "false" as a boolean', async () => {
        const users = { a: { enabled: "false" }, b: { enabled: "true" }, c: { enabled: false }, d: { enabled: true }, e: {} };
        // Both config shapes: `pulumi config --json` entries, and a plain `{ key: value }` file.
        for (const config of [stackConfig(users, {}, false), { "cognito-auth:users": users }]) {
            const runner = async (args: string[]) => JSON.stringify(args[0] === "stack" ? stackOutputs() : config);
            const loaded = await loadInputs({}, runner);
            expect(loaded.users.map((u) => [u.username, u.enabled])).to.deep.equal([
                ["a", false],
                ["b", true],
                ["c", false],
                ["d", true],
                ["e", true],
            ]);
        }
    });

    it('a user disabled in config with enabled: "false" (text) is expected to be refused', async () => {
        const idpMock = mockClient(CognitoIdentityProviderClient);
        const pool = mockIdentityPoolSuccess();
        try {
            idpMock.on(InitiateAuthCommand).rejects(new NotAuthorizedException({ message: "User is disabled.", $metadata: {} }));
            const runner = async (args: string[]) =>
                JSON.stringify(
                    args[0] === "stack"
                        ? stackOutputs({ unauthenticatedRoleArn: undefined })
                        : { "cognito-auth:users": { off: { enabled: "false" } }, "cognito-auth:passwords": { off: "Pw-off-123456#" } },
                );
            const printed = capture();
            const clients = (): Clients => ({
                idp: new CognitoIdentityProviderClient({ region }),
                identity: new CognitoIdentityClient({ region }),
                stsWith: stsClientFor,
            });
            expect(await main([], { ...printed.deps, runPulumi: runner, clients })).to.equal(0);
            expect(printed.text()).to.match(/^off\s+refused \(disabled in config, as expected\)/m);
        } finally {
            idpMock.restore();
            pool.restore();
        }
    });

    for (const value of ["False", "no", "0", 0, null, []]) {
        it(`refuses enabled: ${JSON.stringify(value)} with exit code 2, naming the user`, async () => {
            const runner = async (args: string[]) =>
                JSON.stringify(
                    args[0] === "stack" ? stackOutputs() : stackConfig({ alice: { enabled: value } }, { alice: "Pw-123456789#" }, true),
                );
            const printed = capture();
            const noClients = () => {
                throw new Error("no check may run on a refused input");
            };
            expect(await main([], { ...printed.deps, runPulumi: runner, clients: noClients })).to.equal(2);
            expect(printed.stderr.join("\n")).to.include(
                `verify: config cognito-auth:users.alice.enabled must be true or false, not ${JSON.stringify(value)}`,
            );
        });
    }

    it("rejects outputs read without --show-secrets and missing outputs, with exit code 2", async () => {
        const masked = async (args: string[]) =>
            JSON.stringify(args[0] === "stack" ? stackOutputs({ clientSecret: "[secret]" }) : stackConfig({}, {}, false));
        let error: unknown;
        await loadInputs({}, masked).catch((e) => {
            error = e;
        });
        expect(error).to.be.instanceOf(InputError);
        expect((error as Error).message).to.include("--show-secrets");

        const noValue = async (args: string[]) =>
            JSON.stringify(args[0] === "stack" ? stackOutputs() : { "cognito-auth:passwords": { secret: true } });
        error = undefined;
        await loadInputs({}, noValue).catch((e) => {
            error = e;
        });
        expect((error as Error).message).to.match(/cognito-auth:passwords is secret.*--show-secrets/);

        const missing = async (args: string[]) => JSON.stringify(args[0] === "stack" ? stackOutputs({ identityPoolId: undefined }) : {});
        const printed = capture();
        expect(await main([], { ...printed.deps, runPulumi: missing })).to.equal(2);
        expect(printed.text()).to.include("stack output identityPoolId is missing");

        const noFile = capture();
        expect(await main(["--outputs", "/nonexistent/outputs.json", "--config", "/nonexistent/c.json"], noFile.deps)).to.equal(2);
        expect(noFile.text()).to.include("cannot read the outputs file");
    });
});

describe("verify script: arguments and help", () => {
    it("parses arguments (util.parseArgs forms) and refuses unknown or valueless ones", () => {
        expect(parseArgs(["-s", "dev", "--outputs=o.json", "--config", "c.json", "--cwd", "proj"])).to.deep.equal({
            help: false,
            stack: "dev",
            outputsFile: "o.json",
            configFile: "c.json",
            cwd: "proj",
        });
        expect(parseArgs(["-sdev"])).to.deep.equal({ help: false, stack: "dev" });
        expect(parseArgs(["--stack=-odd"])).to.deep.equal({ help: false, stack: "-odd" });
        expect(parseArgs(["-h"])).to.deep.equal({ help: true });
        expect(() => parseArgs(["--nope"])).to.throw(InputError, "unknown argument --nope");
        expect(() => parseArgs(["extra"])).to.throw(InputError, "unknown argument extra");
        expect(() => parseArgs(["--stack"])).to.throw(InputError, "--stack needs a value");
        expect(() => parseArgs(["--stack="])).to.throw(InputError, "--stack needs a value");
        expect(() => parseArgs(["--stack", "--outputs", "o.json"])).to.throw(InputError, "--stack needs a value");
        expect(() => parseArgs(["--help=yes"])).to.throw(InputError, "--help takes no value");
    });

    it("--help prints the usage with every option, exits 0, and reads no stack", async () => {
        for (const flag of ["--help", "-h"]) {
            const printed = capture();
            const noPulumi = async () => {
                throw new Error("--help must not call the Pulumi CLI");
            };
            expect(await main([flag], { ...printed.deps, runPulumi: noPulumi })).to.equal(0);
            expect(printed.stderr).to.deep.equal([]);
            const text = printed.stdout.join("\n");
            expect(text).to.match(/^Usage: npm run verify -- \[options\]/);
            for (const option of [
                /^ {2}-s, --stack NAME /m,
                /^ {2}--outputs FILE /m,
                /^ {2}--config FILE /m,
                /^ {2}--cwd DIR /m,
                /^ {2}-h, --help /m,
            ]) {
                expect(text).to.match(option);
            }
            expect(text).to.include("SECRET_HASH").and.include("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER");
        }
    });

    it("the entry point runs as a process: --help exits 0, an unknown flag exits 2", () => {
        const help = runEntry(["--help"]);
        expect(help.status, help.stderr).to.equal(0);
        expect(help.stdout)
            .to.match(/^Usage: npm run verify -- \[options\]/)
            .and.include("--outputs FILE");
        const bad = runEntry(["--bogus"]);
        expect(bad.status).to.equal(2);
        expect(bad.stderr).to.equal("verify: unknown argument --bogus\nRun with --help for usage.\n");
    });

    it("the entry point silences the AWS SDK's Node-version warning before the SDK loads", function () {
        this.timeout(60_000);
        const env = { ...process.env };
        delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
        delete env.NODE_NO_WARNINGS;
        delete env.NODE_OPTIONS;
        // Control: does this Node version get the warning at all (SDK clients made without the setting)?
        const control = spawnSync(
            process.execPath,
            ["-e", "new (require('@aws-sdk/client-cognito-identity-provider').CognitoIdentityProviderClient)({ region: 'us-east-1' })"],
            { cwd: root, encoding: "utf8", env },
        );
        if (!control.stderr.includes("NodeVersionSupportWarning")) this.skip();
        const dir = tempDir();
        try {
            // No users and no guests: main() still makes its SDK clients, then has nothing to check.
            fs.writeFileSync(path.join(dir, "o.json"), JSON.stringify(stackOutputs({ unauthenticatedRoleArn: undefined })));
            fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(stackConfig({}, {}, true)));
            const run = runEntry(["--outputs", path.join(dir, "o.json"), "--config", path.join(dir, "c.json")], env);
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.include("nothing to verify");
            expect(run.stderr).to.equal("");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("verify script: table, progress and redaction", () => {
    it("formats the table, and failures as 'user: step failed: reason (AWS error)' under it", () => {
        const text = formatTable([
            {
                user: "a",
                signIn: "ok",
                identityId: "id-1",
                credentials: { role: "authenticated", expiration: new Date("2030-01-01T00:00:00.000Z") },
            },
            {
                user: "bb",
                failure: {
                    step: "sign-in",
                    reason: "wrong password",
                    error: { name: "NotAuthorizedException", message: "Incorrect username or password." },
                },
            },
            { user: "c", signIn: "ok", identityId: "id-3", failure: { step: "credentials", reason: "no role" } },
            { user: "d", signIn: "refused-as-expected" },
            { signIn: "not-applicable", failure: { step: "identity", reason: "guests are not allowed" } },
        ]);
        expect(text.split("\n")).to.deep.equal([
            "user     sign-in                                    identity  credentials              expiry",
            "-------  -----------------------------------------  --------  -----------------------  ------------------------",
            "a        OK                                         id-1      OK (authenticated role)  2030-01-01T00:00:00.000Z",
            "bb       FAILED                                     -         -                        -",
            "c        OK                                         id-3      FAILED                   -",
            "d        refused (disabled in config, as expected)  -         -                        -",
            "(guest)  n/a (guest)                                FAILED    -                        -",
            "",
            "bb: sign-in failed: wrong password (NotAuthorizedException: Incorrect username or password.)",
            "c: credentials failed: no role",
            "(guest): identity failed: guests are not allowed",
        ]);
    });

    it("redact() cuts a secret of any length, a short one too (no length threshold that would leak it)", () => {
        expect(redact("user auth abc", ["abc", undefined, ""])).to.equal("user auth [secret]");
        expect(redact("user auth abcd", ["abcd"])).to.equal("user auth [secret]");
    });

    describe("progress on stderr while users are checked", () => {
        let idpMock: AwsClientStub<CognitoIdentityProviderClient>;
        let pool: IdentityPoolMock;
        const clients = (): Clients => ({
            idp: new CognitoIdentityProviderClient({ region }),
            identity: new CognitoIdentityClient({ region }),
            stsWith: stsClientFor,
        });
        beforeEach(() => {
            idpMock = mockClient(CognitoIdentityProviderClient);
            idpMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: "eyJ.id.token" } });
            pool = mockIdentityPoolSuccess();
        });
        afterEach(() => {
            idpMock.restore();
            pool.restore();
        });
        const users = (n: number) => {
            const names = Array.from({ length: n }, (_, i) => `user${String(i + 1).padStart(2, "0")}`);
            return {
                users: Object.fromEntries(names.map((u) => [u, {}])),
                passwords: Object.fromEntries(names.map((u) => [u, `Pw-${u}-secret#1`])),
            };
        };
        const run = async (n: number, errIsTTY?: boolean) => {
            const { users: u, passwords } = users(n);
            const printed = capture();
            const runner = async (args: string[]) => JSON.stringify(args[0] === "stack" ? stackOutputs() : stackConfig(u, passwords, true));
            const code = await main([], { ...printed.deps, runPulumi: runner, clients, errIsTTY });
            return { code, passwords, ...printed };
        };

        it("every 10 users when stderr is not a terminal, before the table, without passwords", async () => {
            const r = await run(25, false);
            expect(r.code).to.equal(0);
            expect(r.stderr).to.deep.equal(["verify: 10 of 25 users checked", "verify: 20 of 25 users checked"]);
            const all = r.text().split("\n");
            expect(all.indexOf("verify: 20 of 25 users checked")).to.be.lessThan(all.findIndex((l) => l.startsWith("user ")));
            for (const pw of Object.values(r.passwords)) expect(r.stderr.join("\n")).to.not.include(pw);
        });

        it("none for a few users in a log; one per user on a terminal", async () => {
            expect((await run(3, false)).stderr).to.deep.equal([]);
            expect((await run(3)).stderr, "an injected err is not a terminal unless told").to.deep.equal([]);
            expect((await run(3, true)).stderr).to.deep.equal([
                "verify: 1 of 3 users checked",
                "verify: 2 of 3 users checked",
                "verify: 3 of 3 users checked",
            ]);
        });
    });
});
