import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Setting, defaultWords, settings, shown, userDefaults, userSpecFields } from "../components/settings";
import { configTable, endMarker, readmeFile, startMarker, withConfigTable } from "../scripts/configDocs";

// Each setting's default is stated once, in components/settings.ts (`defaults`, `userDefaults` and
// the table's `default` entries). Here the places that show it are checked against it: the README's
// configuration table (written by `npm run docs`), and the `@default` tags of CognitoAuthArgs and
// UserSpec in components/cognitoAuth.ts; and the component is checked to fall back to `defaults`
// rather than to literals of its own.

const componentFile = path.join(__dirname, "..", "components", "cognitoAuth.ts");
const componentSource = fs.readFileSync(componentFile, "utf8");

/** The `@default` text of each property of `interface name` in the component's source (whitespace and comment stars folded). */
function tsdocDefaults(name: string): Map<string, string | undefined> {
    const start = componentSource.indexOf(`export interface ${name} `);
    expect(start, `interface ${name} in components/cognitoAuth.ts`).to.be.greaterThan(-1);
    const body = componentSource.slice(start, componentSource.indexOf("\n}\n", start));
    const result = new Map<string, string | undefined>();
    for (const match of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\??:/g)) {
        const text = match[1]
            .split("\n")
            .map((line) => line.replace(/^\s*\*\s?/, ""))
            .join(" ");
        const tag = /@default\s+([\s\S]*?)\s*(?=@\w|$)/.exec(text);
        result.set(match[2], tag ? tag[1].replace(/\s+/g, " ").trim() : undefined);
    }
    return result;
}

/** Compared without code marks: TSDoc may write `false` or false. */
const plain = (words: string) => words.replace(/`/g, "");

describe("configuration docs: each default stated once, in components/settings.ts", () => {
    it("README's configuration table is the one `npm run docs` writes from the settings table", () => {
        const readme = fs.readFileSync(readmeFile, "utf8");
        expect(readme, "README.md holds the table's start marker").to.include(startMarker);
        expect(readme, "README.md holds the table's end marker").to.include(endMarker);
        const table = (text: string) => text.slice(text.indexOf(startMarker), text.indexOf(endMarker));
        expect(table(readme), "README.md's configuration table differs from components/settings.ts: run npm run docs").to.equal(
            table(withConfigTable(readme)),
        );
    });

    it("the table has a row per setting, aws:region first, each with the setting's default", () => {
        const rows = configTable().split("\n").slice(2);
        expect(rows.map((row) => row.split(" | ")[0])).to.deep.equal([
            "| `aws:region`",
            ...Object.keys(settings).map((key) => `| \`${key}\``),
        ]);
        for (const [key, setting] of Object.entries(settings) as [string, Setting][]) {
            expect(rows.find((row) => row.startsWith(`| \`${key}\` |`))).to.include(` | ${defaultWords(setting)} | `);
        }
    });

    it("every argument of CognitoAuthArgs has a @default tag, and it says what the settings table says", () => {
        const tags = tsdocDefaults("CognitoAuthArgs");
        expect([...tags.keys()]).to.have.members(Object.keys(settings));
        for (const [key, setting] of Object.entries(settings) as [string, Setting][]) {
            expect(tags.get(key), `@default of CognitoAuthArgs.${key}`).to.be.a("string");
            expect(plain(tags.get(key)!), `@default of CognitoAuthArgs.${key}`).to.equal(plain(defaultWords(setting)));
        }
    });

    it("each key of UserSpec with a default has a @default tag that says it, and only those", () => {
        const tags = tsdocDefaults("UserSpec");
        expect([...tags.keys()]).to.have.members(Object.keys(userSpecFields));
        for (const key of Object.keys(userSpecFields)) {
            const value = (userDefaults as Record<string, unknown>)[key];
            const expected = value === undefined ? undefined : plain(shown(value));
            expect(tags.get(key) === undefined ? undefined : plain(tags.get(key)!), `@default of UserSpec.${key}`).to.equal(expected);
        }
    });

    it("the component falls back to `defaults` / `userDefaults`, never to a literal of its own", () => {
        // Names derived from the pool's name (`${poolName}-client`) are template literals: the table words those.
        const literalFallbacks = componentSource.match(/\b(args|spec)\.\w+\s*\?\?\s*(true|false|\[|\{|"|'|\d)/g) ?? [];
        expect(literalFallbacks, "`??` fallbacks in components/cognitoAuth.ts").to.deep.equal([]);
    });

    it("the docs' value format", () => {
        expect(shown(false)).to.equal("`false`");
        expect(shown("OPTIONAL")).to.equal('`"OPTIONAL"`');
        expect(shown([])).to.equal("`[]`");
        expect(shown({})).to.equal("`{}`");
        expect(shown({ a: 1, b: ["x"] })).to.equal('`{ a: 1, b: ["x"] }`');
    });
});
