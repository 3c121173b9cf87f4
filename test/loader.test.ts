// The installed user-provider loader in a fresh Node process, as the engine's dynamic-provider host
// runs it: check and diff are answered from the pure plan.ts without loading the AWS SDK, and the
// configure request the host sent first still reaches the full provider when a read first loads it.

import { expect } from "chai";
import { execFile } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";

const root = path.resolve(__dirname, "..");

// Run with `node -e` from the project folder, like the host: no .ts loader is registered yet.
const child = `
const loader = require("@cognito-auth/user-provider-loader");
const sdkLoaded = () => Object.keys(require.cache).some((f) => f.includes("@aws-sdk"));
const user = { userPoolId: "eu-test-7_abc", username: "alice", password: "Passw0rd!long", attributes: {}, enabled: true,
  groups: [], passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true,
  requireSymbols: true }, adoptExisting: false };
(async () => {
  await loader.configure({ config: { get: (k) => (k === "aws:region" ? "eu-test-7" : undefined) } });
  const created = await loader.check({}, user);
  const bad = await loader.check({}, { ...user, password: "short" });
  const outs = { ...user, sub: "s-1", status: "CONFIRMED", adopted: false, stateVersion: 2 };
  const same = await loader.diff("id", outs, created.inputs);
  const renamed = await loader.diff("id", outs, { ...created.inputs, username: "bob" });
  const afterPure = sdkLoaded();
  const read = await loader.read("eu-test-7_abc/alice", outs);
  console.log(JSON.stringify({ created, bad: bad.failures.map((f) => f.property), same, renamed, afterPure,
    afterRead: sdkLoaded(), read }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe("the user-provider loader in a fresh process (what the provider host runs)", function () {
    this.timeout(60_000);

    it("answers check and diff without the AWS SDK; read loads it, with the region configure gave", async () => {
        const authorizations: string[] = [];
        const server = http.createServer((req, res) => {
            authorizations.push(String(req.headers.authorization ?? ""));
            req.resume();
            req.on("end", () => {
                res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "UserNotFoundException" });
                res.end(JSON.stringify({ __type: "UserNotFoundException", message: "User does not exist." }));
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { AWS_REGION: _r, AWS_DEFAULT_REGION: _d, AWS_PROFILE: _p, ...env } = process.env;
            const stdout = await new Promise<string>((resolve, reject) =>
                execFile(
                    process.execPath,
                    ["-e", child],
                    {
                        cwd: root,
                        env: {
                            ...env,
                            AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
                            AWS_ACCESS_KEY_ID: "AKIDLOADERTEST",
                            AWS_SECRET_ACCESS_KEY: "not-a-secret",
                            AWS_CONFIG_FILE: "/nonexistent",
                            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
                        },
                    },
                    (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
                ),
            );
            const result = JSON.parse(stdout.trim().split("\n").pop()!);
            expect(result.created.failures).to.deep.equal([]);
            expect(result.created.inputs.passwordRevision, "a new user's check sets passwordRevision 1").to.equal(1);
            expect(result.bad, "check applies the password rules").to.include("password");
            expect(result.same.changes, "unchanged inputs: no change").to.equal(false);
            expect(result.renamed.replaces).to.deep.equal(["username"]);
            expect(result.afterPure, "the AWS SDK is not loaded by configure, check and diff").to.equal(false);
            expect(result.afterRead, "read loads the full provider").to.equal(true);
            expect(result.read.id, "a user the pool does not have reads as gone").to.equal("");
            expect(authorizations.length).to.be.greaterThan(0);
            expect(authorizations[0], "signed for the region configure gave").to.include("/eu-test-7/cognito-idp/aws4_request");
        } finally {
            server.close();
        }
    });
});
