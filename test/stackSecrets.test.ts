import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStoredSecrets, stackFilePath, storedSecrets } from "../lib/stackSecrets";

// lib/stackSecrets.ts: which passwords a stack file stores in plain text. The real CLI's files,
// and the program's refusal of them, are in engine.passwords.test.ts; here the reader's rules.

const key = "cognito-auth:passwords";
const secure = "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

function plainNames(text: string): string[] {
    const stored = storedSecrets(text, key);
    expect(stored.kind, "the key is read as a map").to.equal("map");
    return stored.kind === "map" ? [...stored.plain.keys()] : [];
}

describe("stack file secrets (lib/stackSecrets.ts)", function () {
    it("names the plain leaf of a map whose other leaf is a secret, with the value the file holds", function () {
        const text = `config:\n  ${key}:\n    alice:\n      secure: ${secure}\n    bob: Plain-Pa55word#\n`;
        const stored = storedSecrets(text, key);
        expect(stored).to.deep.equal({ kind: "map", plain: new Map([["bob", ["Plain-Pa55word#"]]]) });
    });

    it("names every leaf of a fully plain map, and none of a map of secrets", function () {
        expect(plainNames(`config:\n  ${key}:\n    alice: A\n    "john.doe": B\n`)).to.deep.equal(["alice", "john.doe"]);
        expect(
            plainNames(`config:\n  ${key}:\n    alice:\n      secure: ${secure}\n    "john.doe":\n      secure: ${secure}\n`),
        ).to.deep.equal([]);
    });

    it("takes a whole map set as one secret, an empty map and a null leaf as holding nothing in plain text", function () {
        expect(plainNames(`config:\n  ${key}:\n    secure: ${secure}\n`)).to.deep.equal([]);
        expect(plainNames(`config:\n  ${key}: {}\n`)).to.deep.equal([]);
        expect(plainNames(`config:\n  ${key}:\n    alice:\n`)).to.deep.equal([]);
    });

    it("counts numbers, booleans, dates, lists and maps with a plain value inside as plain", function () {
        const text = [
            "config:",
            `  ${key}:`,
            "    num: 12345678",
            "    yes: true",
            "    date: 2024-01-01",
            "    list: [a]",
            `    nested: { inner: plain, other: { secure: ${secure} } }`,
            `    secretList: [{ secure: ${secure} }]`,
            // A map with `secure` and another key is not a secret value for the CLI.
            `    notSecure: { secure: ${secure}, extra: x }`,
        ].join("\n");
        expect(plainNames(text)).to.deep.equal(["num", "yes", "date", "list", "nested", "notSecure"]);
    });

    it("reports a key that is absent, in another namespace or set as text", function () {
        expect(storedSecrets("config:\n  cognito-auth:users: {}\n", key)).to.deep.equal({ kind: "absent" });
        expect(storedSecrets("config:\n  other:passwords:\n    alice: x\n", key)).to.deep.equal({ kind: "absent" });
        expect(storedSecrets("encryptionsalt: v1:abc\n", key)).to.deep.equal({ kind: "absent" });
        expect(storedSecrets("", key)).to.deep.equal({ kind: "absent" });
        expect(storedSecrets(`config:\n  ${key}: '{"alice":"x"}'\n`, key)).to.deep.equal({ kind: "notMap" });
    });

    it("reads the key in each spelling the CLI takes (bare, namespaced, <project>:config:), all of them when the file has several", function () {
        expect(plainNames("config:\n  passwords:\n    bob: a\n")).to.deep.equal(["bob"]);
        expect(plainNames("config:\n  cognito-auth:config:passwords:\n    bob: a\n")).to.deep.equal(["bob"]);
        const both = storedSecrets(
            `config:\n  ${key}:\n    alice:\n      secure: ${secure}\n    bob: a\n  passwords:\n    bob: b\n    carol: c\n`,
            key,
        );
        expect(both).to.deep.equal({
            kind: "map",
            plain: new Map([
                ["bob", ["a", "b"]],
                ["carol", ["c"]],
            ]),
        });
    });

    it("reads a username __proto__ as a name like any other", function () {
        expect(plainNames(`config:\n  ${key}:\n    __proto__: plain\n    alice:\n      secure: ${secure}\n`)).to.deep.equal(["__proto__"]);
    });

    it("throws on text that is not YAML (the caller must not quote the error: it can hold a line of the file)", function () {
        expect(() => storedSecrets(`config:\n  ${key}:\n    bob: "Unclosed-Secret\n  x: [`, key)).to.throw();
    });

    describe("where the file is", function () {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-secrets-"));
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("is Pulumi.<stack>.yaml next to Pulumi.yaml, or in its stackConfigDir, with the project file's extension", function () {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
            expect(stackFilePath(dir, "dev")).to.equal(path.join(dir, "Pulumi.dev.yaml"));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nstackConfigDir: config/stacks\n");
            expect(stackFilePath(dir, "dev")).to.equal(path.join(dir, "config", "stacks", "Pulumi.dev.yaml"));
            fs.rmSync(path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(path.join(dir, "Pulumi.yml"), "name: p\nruntime: nodejs\n");
            expect(stackFilePath(dir, "dev")).to.equal(path.join(dir, "Pulumi.dev.yml"));
            fs.rmSync(path.join(dir, "Pulumi.yml"));
            expect(stackFilePath(dir, "dev"), "no project file").to.equal(undefined);
        });

        it("is read from there; a missing stack file is absent", function () {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nstackConfigDir: stacks\n");
            expect(readStoredSecrets(dir, "dev", key)).to.deep.equal({ kind: "absent" });
            fs.mkdirSync(path.join(dir, "stacks"));
            const file = path.join(dir, "stacks", "Pulumi.dev.yaml");
            fs.writeFileSync(file, `config:\n  ${key}:\n    bob: plain\n`);
            expect(readStoredSecrets(dir, "dev", key)).to.deep.equal({ kind: "map", plain: new Map([["bob", ["plain"]]]), file });
        });
    });
});
