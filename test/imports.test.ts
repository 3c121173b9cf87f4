import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// No import cycle anywhere (type-only imports count: a cycle of types is still two modules that
// cannot be understood one without the other). madge builds the graph from the sources as
// TypeScript resolves them.

const root = path.resolve(__dirname, "..");
const folders = ["index.ts", "components", "providers", "lib", "scripts", "harness", "bench", "test"];

async function cycles(dir: string, entries: string[]): Promise<string[][]> {
    const madge = require("madge");
    const graph = await madge(
        entries.map((entry) => path.join(dir, entry)),
        {
            baseDir: dir,
            fileExtensions: ["ts", "js"],
            excludeRegExp: [/node_modules/, /\.d\.ts$/],
            detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
        },
    );
    return graph.circular();
}

describe("imports", function () {
    this.timeout(120_000);

    it("no module imports itself through others, type imports included", async function () {
        expect(await cycles(root, folders)).to.deep.equal([]);
    });

    it("the check finds a cycle, also one made of a type import", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-cycle-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import type { B } from "./b";\nexport interface A { b?: B }\n');
            fs.writeFileSync(path.join(dir, "b.ts"), 'import { a } from "./c";\nexport type B = typeof a;\n');
            fs.writeFileSync(path.join(dir, "c.ts"), 'import type { A } from "./a";\nexport const a: A = {};\n');
            expect(await cycles(dir, ["a.ts"])).to.deep.equal([["a.ts", "b.ts", "c.ts"]]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
