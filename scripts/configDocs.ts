// `npm run docs`: writes the README's configuration table from the settings table
// (components/settings.ts), where each setting's type, default and meaning are stated once. It
// rewrites only the lines between the two markers below; `npm run docs -- --check` just says whether
// they differ. test/configDocs.test.ts fails while they differ, and checks the `@default` tags of
// CognitoAuthArgs against the same table.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Setting, defaultWords, ownedPoolWords, settings } from "../components/settings";

export const readmeFile = path.join(__dirname, "..", "README.md");
export const startMarker = "<!-- configuration table: written by `npm run docs` from components/settings.ts; edit it there -->";
export const endMarker = "<!-- end of configuration table -->";

const row = (cells: string[]) => `| ${cells.join(" | ")} |`;

/** The configuration table: `aws:region`, then every setting in the table's order. */
export function configTable(): string {
    const lines = [
        row(["key", "type", "default", "meaning"]),
        "|---|---|---|---|",
        row(["`aws:region`", "string", "(required)", "region of everything; with `userPoolId`, it must be the pool's region"]),
    ];
    for (const [key, setting] of Object.entries(settings) as [string, Setting][]) {
        const meaning = setting.ownedPoolOnly ? `${ownedPoolWords}. ${setting.meaning}` : setting.meaning;
        lines.push(row([`\`${key}\``, setting.type, defaultWords(setting), meaning]));
    }
    return lines.join("\n");
}

/** `readme` with the table between the markers written anew. */
export function withConfigTable(readme: string): string {
    const start = readme.indexOf(startMarker);
    const end = readme.indexOf(endMarker);
    if (start < 0 || end < start) {
        throw new Error(
            `README.md has no configuration table markers; put these two lines where it belongs:\n${startMarker}\n${endMarker}`,
        );
    }
    return `${readme.slice(0, start + startMarker.length)}\n\n${configTable()}\n\n${readme.slice(end)}`;
}

if (require.main === module) {
    try {
        const { values } = parseArgs({ options: { check: { type: "boolean" } } });
        const readme = fs.readFileSync(readmeFile, "utf8");
        const updated = withConfigTable(readme);
        if (updated === readme) {
            console.log("README.md: the configuration table matches components/settings.ts");
        } else if (values.check) {
            console.error("README.md: the configuration table differs from components/settings.ts; run npm run docs");
            process.exitCode = 1;
        } else {
            fs.writeFileSync(readmeFile, updated);
            console.log("README.md: configuration table written from components/settings.ts");
        }
    } catch (err) {
        console.error(`docs: ${(err as Error).message}`);
        process.exitCode = 2;
    }
}
