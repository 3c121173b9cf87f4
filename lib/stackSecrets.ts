import * as fs from "fs";
import * as path from "path";

// Which entries of a map setting the stack's config file stores in plain text. The engine tells
// the program only whether a whole key holds a secret somewhere (one `secure:` leaf is enough), so
// a map with one secret and one plain password looks all secret to the program; the file says
// which leaves are `secure:` values. The reader is pure (text in, names out); the loader finds the
// file the way the CLI does.

/** What the stack file says about one map setting. */
export type StoredSecrets =
    /** The file does not set the key (or there is no file). */
    | { kind: "absent" }
    /** The key is set, but not as a map (the program refuses that by itself). */
    | { kind: "notMap" }
    /** The key is a map (or one secret): its entries that hold a value not stored as a secret, with the values the file holds for each. */
    | { kind: "map"; plain: Map<string, unknown[]> };

/**
 * Reads `text` (a Pulumi.<stack>.yaml) and reports which entries of config key `key` (e.g.
 * `cognito-auth:passwords`, whose namespace must be the project's) are stored in plain text, with
 * the values the file holds for each. Throws when the text is not YAML.
 */
export function storedSecrets(text: string, key: string): StoredSecrets {
    const { load } = require("js-yaml") as { load(text: string): unknown };
    const file = load(text);
    const config = isMap(file) ? file.config : undefined;
    if (!isMap(config)) return { kind: "absent" };
    // The CLI reads one key in three spellings, and takes a file that holds more than one of them:
    // the plain entries of each count.
    const values = Object.keys(config)
        .filter((name) => sameKey(name, key))
        .map((name) => config[name]);
    if (values.length === 0) return { kind: "absent" };
    const plain = new Map<string, unknown[]>();
    for (const value of values) {
        if (isSecure(value)) continue;
        if (!isMap(value)) return { kind: "notMap" };
        for (const [name, leaf] of Object.entries(value)) if (!allSecure(leaf)) plain.set(name, [...(plain.get(name) ?? []), leaf]);
    }
    return { kind: "map", plain };
}

/**
 * Whether the stack file's key `name` is `key` (`<project>:<name>`) as the CLI reads it: also
 * bare (`<name>`, the project's namespace) and in the old form `<project>:config:<name>`.
 */
function sameKey(name: string, key: string): boolean {
    const [namespace, setting] = key.split(":");
    return name === key || name === setting || name === `${namespace}:config:${setting}`;
}

/** The CLI's test for an encrypted value: a map with the one key `secure` holding text. */
function isSecure(value: unknown): boolean {
    return isMap(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

/** No plain text anywhere inside: every text, number or boolean is within a `secure:` value (null holds nothing). */
function allSecure(value: unknown): boolean {
    if (value === null || value === undefined || isSecure(value)) return true;
    if (Array.isArray(value)) return value.every(allSecure);
    if (isMap(value)) return Object.values(value).every(allSecure);
    return false;
}

/** A YAML mapping; not a list, nor a date or binary value, which the YAML reader also makes objects of. */
function isMap(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/** The project file's names, in the order the CLI looks for them. */
const projectFiles = ["Pulumi.json", "Pulumi.yml", "Pulumi.yaml"];

/**
 * The stack's config file as the CLI names it: next to the project file (or in its
 * `stackConfigDir`), `Pulumi.<stack>.<the project file's extension>`. Undefined when there is no
 * project file in `rootDir`.
 */
export function stackFilePath(rootDir: string, stack: string): string | undefined {
    const projectFile = projectFiles.map((name) => path.join(rootDir, name)).find((file) => fs.existsSync(file));
    if (!projectFile) return undefined;
    const { load } = require("js-yaml") as { load(text: string): unknown };
    const project = load(fs.readFileSync(projectFile, "utf8"));
    const configDir = isMap(project) && typeof project.stackConfigDir === "string" ? project.stackConfigDir : "";
    return path.join(rootDir, configDir, `Pulumi.${stack.replace(/\//g, "-")}${path.extname(projectFile)}`);
}

/** `storedSecrets` of the stack's config file; `absent` when there is none. */
export function readStoredSecrets(rootDir: string, stack: string, key: string): StoredSecrets & { file?: string } {
    const file = stackFilePath(rootDir, stack);
    if (!file || !fs.existsSync(file)) return { kind: "absent" };
    return { ...storedSecrets(fs.readFileSync(file, "utf8"), key), file };
}
