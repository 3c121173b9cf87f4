import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { defaults, existingPoolDefaults, settings, userDefaults, userSpecFields } from "../components/settings";
import { configTable, defaultCell, endMarker, interfaceDocs, readmeFile, shown, startMarker, withConfigTable } from "../scripts/configDocs";

// Each setting is described once, in its TSDoc in components/types.ts, and each fixed default is
// stated once, in components/settings.ts (`defaults`, `existingPoolDefaults`, `userDefaults`). Here
// the places that show them are checked against those: the README's configuration table (written
// by `npm run docs`) and the `@default` tags of StackSettings and UserSpec; and the components are
// checked to fall back to `defaults` rather than to literals of their own.

const stackDocs = interfaceDocs("StackSettings");
const componentsDir = path.join(__dirname, "..", "components");
/** Every component module but the one that states the defaults. */
const componentSources = fs
    .readdirSync(componentsDir)
    .filter((file) => file.endsWith(".ts") && file !== "settings.ts")
    .map((file) => ({ file, source: fs.readFileSync(path.join(componentsDir, file), "utf8") }));

/** Compared without code marks: TSDoc may write `false` or false. */
const plain = (words: string) => words.replace(/`/g, "");

describe("configuration docs: one description per setting (TSDoc), each default stated once", () => {
    it("README's configuration table is the one `npm run docs` writes", () => {
        const readme = fs.readFileSync(readmeFile, "utf8");
        expect(readme, "README.md holds the table's start marker").to.include(startMarker);
        expect(readme, "README.md holds the table's end marker").to.include(endMarker);
        const table = (text: string) => text.slice(text.indexOf(startMarker), text.indexOf(endMarker));
        expect(table(readme), "README.md's configuration table differs from components/types.ts: run npm run docs").to.equal(
            table(withConfigTable(readme)),
        );
    });

    it("the table has a row per setting, aws:region first, in the settings table's order, each with its type, default and meaning", () => {
        const rows = configTable().split("\n").slice(2);
        expect(rows.map((row) => row.split(" | ")[0])).to.deep.equal([
            "| `aws:region`",
            ...Object.keys(settings).map((key) => `| \`${key}\``),
        ]);
        for (const [key, setting] of Object.entries(settings)) {
            const doc = stackDocs.get(key)!;
            const meaning = `${setting.ownedPoolOnly ? "*created pool only*. " : ""}${doc.description.replace(/\s+/g, " ").replace(/\.$/, "")}`;
            expect(rows.find((row) => row.startsWith(`| \`${key}\` |`))).to.equal(
                `| \`${key}\` | ${doc.tags.get("configType")} | ${defaultCell(key, doc)} | ${meaning} |`,
            );
        }
    });

    it("a pipe in a cell stays escaped, so it does not split the row", () => {
        const mfa = configTable()
            .split("\n")
            .find((row) => row.startsWith("| `mfa` |"))!;
        expect(mfa).to.include("| `OFF` \\| `OPTIONAL` \\| `ON` |");
        expect(mfa.replace(/\\\|/g, "").split("|")).to.have.length(6);
    });

    it("the settings table and StackSettings name the same keys", () => {
        // The mapped type of `settings` already makes the compiler require every StackSettings key
        // and refuse others; this also covers the TSDoc reader finding every key.
        expect([...stackDocs.keys()]).to.have.members(Object.keys(settings));
    });

    it("every key of StackSettings has a description, a @configType and a @default", () => {
        for (const [key, doc] of stackDocs) {
            expect(doc.description, `description of StackSettings.${key}`).to.not.equal("");
            expect(doc.tags.get("configType"), `@configType of StackSettings.${key}`).to.be.a("string").and.not.equal("");
            expect(doc.tags.get("default"), `@default of StackSettings.${key}`).to.be.a("string").and.not.equal("");
        }
    });

    it("the @default of each setting with a value default says that value (as the README shows it)", () => {
        const valued = Object.keys(defaults);
        expect(valued, "a default for a key that is no setting").to.satisfy((keys: string[]) => keys.every((key) => key in settings));
        for (const key of valued) {
            expect(plain(stackDocs.get(key)!.tags.get("default")!), `@default of StackSettings.${key}`).to.equal(
                plain(defaultCell(key, stackDocs.get(key))),
            );
        }
        expect(defaultCell("passwordPolicy", stackDocs.get("passwordPolicy"))).to.equal(
            `created pool: ${shown(defaults.passwordPolicy)}; existing pool: Cognito's default, ${shown(existingPoolDefaults.passwordPolicy)}`,
        );
    });

    it("each key of UserSpec with a default has a @default tag that says it, and only those", () => {
        const userDocs = interfaceDocs("UserSpec");
        expect([...userDocs.keys()]).to.have.members(Object.keys(userSpecFields));
        for (const [key, doc] of userDocs) {
            const value = (userDefaults as Record<string, unknown>)[key];
            const tag = doc.tags.get("default");
            expect(tag === undefined ? undefined : plain(tag), `@default of UserSpec.${key}`).to.equal(
                value === undefined ? undefined : plain(shown(value)),
            );
        }
    });

    it("the components fall back to `defaults` / `userDefaults`, never to a literal of their own", () => {
        const names = componentSources.map(({ file }) => file);
        expect(names, "the components that read arguments").to.include.members([
            "userPool.ts",
            "identity.ts",
            "users.ts",
            "cognitoAuth.ts",
        ]);
        // Names derived from other settings (`${poolName}-client`) are template literals: their @default words them.
        const literalFallback = /\b(args|spec)\.\w+\s*\?\?\s*(true|false|\[|\{|"|'|\d)/g;
        expect('args.mfa ?? "OPTIONAL"', "the pattern finds a literal fallback").to.match(new RegExp(literalFallback.source));
        for (const { file, source } of componentSources) {
            expect(source.match(literalFallback) ?? [], `\`??\` fallbacks in components/${file}`).to.deep.equal([]);
        }
        for (const key of Object.keys(defaults)) {
            const users = componentSources.filter(({ source }) => new RegExp(`\\bdefaults\\.${key}\\b`).test(source));
            expect(users.length, `components that fall back to defaults.${key}`).to.be.greaterThan(0);
        }
    });
});
