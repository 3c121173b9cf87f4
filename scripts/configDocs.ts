// `npm run docs`: writes the README's configuration table from the one description of each setting,
// its TSDoc on `StackSettings` in components/types.ts: the summary is the "meaning" column (lines
// folded, its final full stop dropped, "*created pool only*." put before it when the settings table
// says `ownedPoolOnly`), the custom tag `@configType` the "type" column, and the "default" column is
// the value in `defaults` (components/settings.ts) when the setting has one, else its `@default`
// words. Rows follow the order of the settings table. It rewrites only the lines between the two
// markers below; `npm run docs -- --check` just says whether they differ. test/configDocs.test.ts
// fails while they differ, and checks the `@default` tags against `defaults` and `userDefaults`.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { parseArgs } from "util";
import { defaults, existingPoolDefaults, settings } from "../components/settings";

export const readmeFile = path.join(__dirname, "..", "README.md");
export const typesFile = path.join(__dirname, "..", "components", "types.ts");
export const startMarker = "<!-- configuration table: written by `npm run docs` from the TSDoc in components/types.ts; edit it there -->";
export const endMarker = "<!-- end of configuration table -->";

/** What the TSDoc of one property says: its summary and its tags (`@default` -> words), as written. */
export interface PropertyDoc {
    description: string;
    tags: Map<string, string>;
}

/**
 * The TSDoc of each property of `interface name` in components/types.ts, inherited ones included.
 * Only the comments are read, so imports are not resolved and no lib is loaded (a few ms instead of
 * seconds); `tsc` checks the types themselves.
 */
export function interfaceDocs(name: string, file = typesFile): Map<string, PropertyDoc> {
    const program = ts.createProgram([file], { noEmit: true, noResolve: true, noLib: true, types: [] });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file);
    const declaration = source?.statements.find(
        (statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === name,
    );
    if (declaration === undefined) throw new Error(`${path.relative(process.cwd(), file)} declares no interface ${name}`);
    const result = new Map<string, PropertyDoc>();
    for (const property of checker.getPropertiesOfType(checker.getTypeAtLocation(declaration))) {
        const tags = new Map(property.getJsDocTags(checker).map((tag) => [tag.name, ts.displayPartsToString(tag.text).trim()]));
        result.set(property.name, { description: ts.displayPartsToString(property.getDocumentationComment(checker)).trim(), tags });
    }
    return result;
}

/** A value as the docs show it, in code style: `true`, `"OPTIONAL"`, `[]`, `{ minimumLength: 12, ... }`. */
export function shown(value: unknown): string {
    const literal = (item: unknown): string => {
        if (Array.isArray(item)) return item.length === 0 ? "[]" : `[${item.map(literal).join(", ")}]`;
        if (typeof item === "object" && item !== null) {
            const entries = Object.entries(item).map(([key, entry]) => `${key}: ${literal(entry)}`);
            return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
        }
        return JSON.stringify(item);
    };
    return `\`${literal(value)}\``;
}

/** The "default" column: the value the components fall back to, when there is one; else the `@default` words. */
export function defaultCell(key: string, doc: PropertyDoc | undefined): string {
    const value = (defaults as Record<string, unknown>)[key];
    if (value === undefined) return doc?.tags.get("default") ?? "";
    const existingPool = (existingPoolDefaults as Record<string, unknown>)[key];
    if (existingPool === undefined) return shown(value);
    return `created pool: ${shown(value)}; existing pool: Cognito's default, ${shown(existingPool)}`;
}

const row = (cells: string[]) => `| ${cells.join(" | ")} |`;

/** The configuration table: `aws:region`, then every setting in the settings table's order. */
export function configTable(docs = interfaceDocs("StackSettings")): string {
    const lines = [
        row(["key", "type", "default", "meaning"]),
        "|---|---|---|---|",
        row(["`aws:region`", "string", "(required)", "region of everything; with `userPoolId`, it must be the pool's region"]),
    ];
    for (const [key, setting] of Object.entries(settings)) {
        const doc = docs.get(key);
        const description = (doc?.description ?? "").replace(/\s+/g, " ").replace(/\.$/, "");
        const meaning = setting.ownedPoolOnly ? `*created pool only*. ${description}` : description;
        lines.push(row([`\`${key}\``, doc?.tags.get("configType") ?? "", defaultCell(key, doc), meaning]));
    }
    return lines.join("\n");
}

/** `readme` with the table between the markers written anew. */
export function withConfigTable(readme: string, table = configTable()): string {
    const start = readme.indexOf(startMarker);
    const end = readme.indexOf(endMarker);
    if (start < 0 || end < start) {
        throw new Error(
            `README.md has no configuration table markers; put these two lines where it belongs:\n${startMarker}\n${endMarker}`,
        );
    }
    return `${readme.slice(0, start + startMarker.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

if (require.main === module) {
    try {
        const { values } = parseArgs({ options: { check: { type: "boolean" } } });
        const readme = fs.readFileSync(readmeFile, "utf8");
        const updated = withConfigTable(readme);
        if (updated === readme) {
            console.log("README.md: the configuration table matches components/types.ts");
        } else if (values.check) {
            console.error("README.md: the configuration table differs from components/types.ts; run npm run docs");
            process.exitCode = 1;
        } else {
            fs.writeFileSync(readmeFile, updated);
            console.log("README.md: configuration table written from components/types.ts");
        }
    } catch (err) {
        console.error(`docs: ${(err as Error).message}`);
        process.exitCode = 2;
    }
}
