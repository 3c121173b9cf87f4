// examples/web-sign-in/main.ts is bundled by esbuild, which does not type-check: npm test runs
// `tsc -p examples/web-sign-in --noEmit` for it. This runs that step, as package.json says it, on a
// copy of the example: as it is it passes; a deliberate type error fails it, naming the file.

import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const scripts = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts as Record<string, string>;
const step = scripts.test
    .split("&&")
    .map((part) => part.trim())
    .find((part) => part.startsWith("tsc -p examples/web-sign-in"));

function tsc(dir: string) {
    const [, ...args] = step!.split(/\s+/);
    return spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), ...args], { cwd: dir, encoding: "utf8", timeout: 240_000 });
}

describe("npm test type-checks examples/web-sign-in", function () {
    this.timeout(300_000);
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-example-tsc-"));
        fs.cpSync(path.join(root, "examples", "web-sign-in"), path.join(dir, "examples", "web-sign-in"), { recursive: true });
        fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("npm test runs tsc -p examples/web-sign-in --noEmit before mocha; the example as it is passes", () => {
        expect(step).to.equal("tsc -p examples/web-sign-in --noEmit");
        expect(scripts.test.indexOf(step!)).to.be.lessThan(scripts.test.indexOf("mocha"));
        const run = tsc(dir);
        expect(run.status, `${run.stdout}${run.stderr}`).to.equal(0);
    });

    it("a type error in main.ts fails it, naming the file", () => {
        const file = path.join(dir, "examples", "web-sign-in", "main.ts");
        fs.appendFileSync(file, '\nexport const typeCheckProbe: number = "not a number";\n');
        const run = tsc(dir);
        expect(run.status).to.not.equal(0);
        expect(`${run.stdout}${run.stderr}`).to.match(/main\.ts\(\d+,\d+\): error TS2322/);
    });
});

describe(".ci/run: Chromium for the browser test", () => {
    it("when installing it fails, says what that needs: root (or sudo) and the Debian mirror", () => {
        const ci = fs.readFileSync(path.join(root, ".ci", "run"), "utf8");
        const failure = /apt-get install -y -qq chromium[^\n]*\n\s*\|\| fail "([^"]+)"/.exec(ci);
        expect(failure, "the install line and its fail message").to.not.equal(null);
        expect(failure![1]).to.include("needs root (or sudo)").and.include("network access to the Debian mirror");
    });
});

describe("README: the local file's endpoint override", () => {
    it("shows the lines of examples/web-sign-in/main.ts that configure Amplify, exactly as the example has them", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const section = readme.slice(
            readme.indexOf("## Use it from an app"),
            readme.indexOf("\n## ", readme.indexOf("## Use it from an app") + 1),
        );
        const block = /```ts\n(const config = parseAmplifyConfig[\s\S]*?)```/.exec(section);
        expect(block, "the README's parseAmplifyConfig block").to.not.equal(null);
        const lines = block![1].trim().split("\n");
        expect(lines[lines.length - 1]).to.equal("Amplify.configure(config);");
        expect(lines.join("\n")).to.include("config.Auth.Cognito.userPoolEndpoint = endpoint");
        const example = fs
            .readFileSync(path.join(root, "examples", "web-sign-in", "main.ts"), "utf8")
            .split("\n")
            .map((line) => line.trim());
        const start = example.indexOf(lines[0]);
        expect(start, "the first line in main.ts").to.be.greaterThan(-1);
        expect(example.slice(start, start + lines.length)).to.deep.equal(lines);
        // The local file is not taken as it is: the section says it needs the override.
        expect(section).not.to.match(/local[^.]*as it is/i);
    });
});
