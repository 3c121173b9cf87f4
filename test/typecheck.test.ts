import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// `pulumi preview` and `up` run the TypeScript without a type check (lib/entry.js, lib/typescript.js):
// type errors are caught by `npm test` and `npm run build`. This runs their tsc command, as
// package.json says it, on a copy of the program's sources: a deliberate type error must fail it
// naming the file, and the same copy without it must pass.

const root = path.resolve(__dirname, "..");
const scripts = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts as Record<string, string>;
/** What the copy holds: tsconfig.json and the sources of the program and the user provider. */
const sources = ["tsconfig.json", "index.ts", "lib", "components", "providers"];
const broken = path.join("components", "cognitoAuth.ts");

/** The type check that `npm test` starts with. */
const typeCheck = scripts.test.split("&&")[0].trim();

function tsc(dir: string) {
    const [command, ...args] = typeCheck.split(/\s+/);
    expect(command).to.equal("tsc");
    return spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), ...args], { cwd: dir, encoding: "utf8", timeout: 240_000 });
}

describe("type errors fail npm test's tsc (pulumi preview does not type-check)", function () {
    this.timeout(600_000);
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-typecheck-"));
        for (const name of sources) fs.cpSync(path.join(root, name), path.join(dir, name), { recursive: true });
        fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("npm test and npm run build start with the same tsc --noEmit on tsconfig.json", () => {
        expect(typeCheck).to.equal("tsc --noEmit");
        expect(scripts.build).to.equal(typeCheck);
    });

    it("the copy as it is passes, with the README's example of the components in a program of its own", () => {
        // The README's TypeScript block, as a module beside the components (its imports rewritten to there).
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        // The components' example: the TypeScript block that imports them (another shows Amplify in an app).
        const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].find((block) => block[1].includes('from "./components/userPool"'));
        expect(example, "the README's TypeScript example of the components").to.not.equal(undefined);
        fs.writeFileSync(path.join(dir, "components", "readmeExample.ts"), example![1].replaceAll('"./components/', '"./'));
        const run = tsc(dir);
        expect(run.status, `${run.stdout}${run.stderr}`).to.equal(0);
    });

    it("a type error in the component fails, naming the file and line", () => {
        const file = path.join(dir, broken);
        const text = fs.readFileSync(file, "utf8");
        const line = text.split("\n").length;
        fs.writeFileSync(file, `${text}\nexport const typeCheckProbe: number = "not a number";\n`);
        const run = tsc(dir);
        expect(run.status).to.not.equal(0);
        expect(run.stdout).to.include(`${broken}(${line + 1},`);
        expect(run.stdout).to.include("error TS2322: Type 'string' is not assignable to type 'number'.");
    });
});
