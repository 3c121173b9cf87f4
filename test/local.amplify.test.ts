// npm run local's app file (scripts/local/amplify.ts) and its --web flag (scripts/local/args.ts),
// without the emulator: the file conforms to Amplify's schema 1.5 and names the run's endpoint,
// pool and client; the file of an earlier run is removed when a run starts, and the new one is
// written before `pulumi up`, so a failed up or sign-in never leaves one naming an old port.

import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { amplifyOutputsFile, localAmplifyOutputs, removeLocalOutputs, writeLocalOutputs } from "../scripts/local/amplify";
import { parseArgs } from "../scripts/local/args";
import { localPaths } from "../scripts/local/paths";
import { schemaErrors } from "./amplifyOutputsSchema";

const ids = { userPoolId: "local_AbC123", clientId: "clientabc123", poolCreated: false, clientCreated: false, mfaSet: false };
const config = { users: { alice: { groups: ["admins"] }, bob: {} }, passwords: { alice: "Alice#Secret-4217xq", bob: "Bob!Hidden-9930zk" } };

describe("npm run local: .local/amplify_outputs.json and --web", () => {
    let root: string;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-local-amplify-"));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("parseArgs: --web alone or with --port; refused with --once, --reset, --totp or a value", () => {
        expect(parseArgs(["--web"])).to.deep.include({ web: true, once: false, port: 9229 });
        expect(parseArgs(["--web", "--port", "9300"])).to.deep.include({ web: true, port: 9300 });
        expect(parseArgs([])).not.to.have.property("web");
        const refusal = { error: "--web serves until Ctrl-C: not with --once, --reset or --totp" };
        expect(parseArgs(["--web", "--once"])).to.deep.equal(refusal);
        expect(parseArgs(["--reset", "--web"])).to.deep.equal(refusal);
        expect(parseArgs(["--web", "--totp", "alice"])).to.deep.equal(refusal);
        expect(parseArgs(["--web=yes"])).to.deep.equal({ error: "--web takes no value" });
    });

    it("localAmplifyOutputs: Amplify's schema 1.5, the emulator's endpoint, pool and client, the users' groups, no password", () => {
        const outputs = localAmplifyOutputs("http://127.0.0.1:9300", ids, config, { admins: { precedence: 2 } });
        expect(schemaErrors(outputs)).to.deep.equal([]);
        expect(outputs.auth).to.include({ aws_region: "local", user_pool_id: ids.userPoolId, user_pool_client_id: ids.clientId });
        expect(outputs.auth.groups).to.deep.equal([{ admins: { precedence: 2 } }]);
        expect(outputs.auth.mfa_configuration).to.equal("OPTIONAL");
        expect(outputs.custom).to.deep.equal({ cognito_auth: { user_pool_endpoint: "http://127.0.0.1:9300" } });
        for (const password of Object.values(config.passwords)) expect(JSON.stringify(outputs)).not.to.include(password);
    });

    it("a run removes the earlier run's file first and writes its own, whole, with the current port", () => {
        const paths = localPaths(root);
        fs.mkdirSync(paths.dir, { recursive: true });
        const file = amplifyOutputsFile(paths);
        writeLocalOutputs(paths, "http://127.0.0.1:9229", ids, config);
        expect(JSON.parse(fs.readFileSync(file, "utf8")).custom.cognito_auth.user_pool_endpoint).to.equal("http://127.0.0.1:9229");
        removeLocalOutputs(paths);
        expect(fs.existsSync(file), "the old file after a run started").to.equal(false);
        removeLocalOutputs(paths);
        writeLocalOutputs(paths, "http://127.0.0.1:9300", ids, config);
        expect(JSON.parse(fs.readFileSync(file, "utf8")).custom.cognito_auth.user_pool_endpoint).to.equal("http://127.0.0.1:9300");
        expect(fs.readdirSync(paths.dir)).to.deep.equal(["amplify_outputs.json"]);
    });

    it("main.ts: the file is removed before the emulator starts and written before pulumi up", () => {
        const source = fs.readFileSync(path.join(__dirname, "..", "scripts", "local", "main.ts"), "utf8");
        const run = source.slice(source.indexOf("async function run("), source.indexOf("async function checkPort("));
        const at = (text: string) => {
            expect(run, text).to.include(text);
            return run.indexOf(text);
        };
        expect(at("removeLocalOutputs(paths)")).to.be.lessThan(at("await startLocalEmulator("));
        expect(at("writeLocalOutputs(paths, emulator.endpoint, ids, config)")).to.be.lessThan(at("await pulumiUp("));
    });
});
