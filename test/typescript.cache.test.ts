// lib/typescript.js's cache of compiled files, in fresh Node processes as the program and the
// provider host use it: a second run with unchanged files does not load esbuild, and an edited
// file, an edited tsconfig.json or a damaged entry never gives old code; stack traces still name
// the .ts lines when the code comes from the cache.

import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const registerPath = path.resolve(__dirname, "..", "lib", "typescript.js");
const tsconfigPath = path.resolve(__dirname, "..", "tsconfig.json");

interface Run {
    /** What the module exported, or the first line of its error's stack that names it. */
    value: string;
    /** Whether the process loaded esbuild. */
    esbuild: boolean;
}

describe("lib/typescript.js: the cache of compiled files", function () {
    this.timeout(30000);
    let project: string;
    let cacheDir: string;
    let source: string;

    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-tscache-"));
        fs.copyFileSync(tsconfigPath, path.join(project, "tsconfig.json"));
        cacheDir = path.join(project, "node_modules", ".cache", "cognito-auth");
        source = path.join(project, "value.ts");
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    /** Requires value.ts in a fresh process with the project's compiler, as lib/entry.js does. */
    function run(): Run {
        const script = `
            const Module = require("module");
            let esbuild = false;
            const load = Module._load;
            Module._load = function (request, ...rest) {
                if (request === "esbuild") esbuild = true;
                return load.call(this, request, ...rest);
            };
            require(${JSON.stringify(registerPath)}).registerTypeScript(${JSON.stringify(project)});
            let value;
            try {
                value = String(require(${JSON.stringify(source)}).value());
            } catch (err) {
                value = err.stack.split("\\n").find((line) => line.includes("value.ts"));
            }
            console.log(JSON.stringify({ value, esbuild }));
        `;
        return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" }));
    }

    const entries = () => fs.readdirSync(cacheDir).filter((name) => name.endsWith(".json"));

    it("compiles once: the next process reads the cache and does not load esbuild", () => {
        fs.writeFileSync(source, "export const value = (): number => 1;\n");
        expect(run()).to.deep.equal({ value: "1", esbuild: true });
        expect(entries().length).to.equal(1);
        expect(run()).to.deep.equal({ value: "1", esbuild: false });
    });

    it("an edited file, an edited tsconfig.json and a damaged entry are compiled again, never served old", () => {
        fs.writeFileSync(source, "export const value = (): number => 1;\n");
        expect(run().value).to.equal("1");
        fs.writeFileSync(source, "export const value = (): number => 2;\n");
        expect(run()).to.deep.equal({ value: "2", esbuild: true });

        // A tsconfig.json change can change the emitted code (class fields): another entry.
        const tsconfig = JSON.parse(fs.readFileSync(tsconfigPath, "utf8"));
        tsconfig.compilerOptions.useDefineForClassFields = !tsconfig.compilerOptions.useDefineForClassFields;
        fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig));
        expect(run()).to.deep.equal({ value: "2", esbuild: true });
        expect(entries().length).to.equal(3);

        for (const name of entries()) fs.writeFileSync(path.join(cacheDir, name), '{"code": "module.exports.value = () => 1;"');
        expect(run()).to.deep.equal({ value: "2", esbuild: true });
    });

    it("code from the cache still maps stack traces to the .ts line", () => {
        fs.writeFileSync(source, 'type Unused = { a: string };\n\nexport function value(): never {\n    throw new Error("boom");\n}\n');
        const first = run();
        const cached = run();
        expect(cached.esbuild).to.equal(false);
        expect(cached.value).to.include(`${source}:4:`);
        expect(cached.value).to.equal(first.value);
    });

    it("keeps at most 400 entries: past that, the oldest are deleted", () => {
        fs.mkdirSync(cacheDir, { recursive: true });
        const old = new Date(Date.now() - 86_400_000);
        for (let i = 0; i < 400; i++) {
            const file = path.join(cacheDir, `old-${i}.json`);
            fs.writeFileSync(file, "{}");
            fs.utimesSync(file, old, old);
        }
        fs.writeFileSync(source, "export const value = (): number => 3;\n");
        expect(run().value).to.equal("3");
        const left = entries();
        expect(left.length).to.equal(200);
        expect(left.filter((name) => !name.startsWith("old-")).length, "the new entry is kept").to.equal(1);
        expect(run()).to.deep.equal({ value: "3", esbuild: false });
    });
});
