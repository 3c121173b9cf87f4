"use strict";
// How the two processes that run this project's TypeScript compile it: the program (lib/entry.js,
// started by the SDK's runner) and the user provider (its loader, started by the engine's
// dynamic-provider host). Types are checked by `npm test` and `npm run build` (tsc), not again on
// every `pulumi preview` and `up`, so each .ts file is only transpiled, by esbuild: in a few
// milliseconds, where ts-node first loads the TypeScript compiler (0.3 s) and then transpiles
// slowly while it is cold. The SDK's own switch still works: with PULUMI_NODEJS_TRANSPILE_ONLY set
// to anything but "true" (e.g. false), ts-node compiles instead and checks types again.
// See docs/design.md ("How the TypeScript runs").
const fs = require("fs");
const path = require("path");

/** Registers a compiler for .ts files, unless a TypeScript loader already is (mocha's, a test's). */
function registerTypeScript(projectRoot) {
    if (require.extensions[".ts"]) return;
    const project = path.join(projectRoot, "tsconfig.json");
    const setting = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    if (setting && setting !== "true") {
        require("ts-node").register({ transpileOnly: false, project });
        return;
    }
    // esbuild reads from it what changes the emitted code (class field semantics, imports kept).
    const tsconfigRaw = fs.readFileSync(project, "utf8");
    // target: tsconfig.json's, as tsc and ts-node emit it.
    const options = { loader: "ts", format: "cjs", target: "es2022", sourcemap: "external", tsconfigRaw };
    const cache = compiledCache(projectRoot, options);
    const maps = new Map();
    require.extensions[".ts"] = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const { code, map } = cache.get(filename, source, () =>
            require("esbuild").transformSync(source, { ...options, sourcefile: filename }),
        );
        maps.set(filename, map);
        module._compile(code, filename);
    };
    mapStackTraces(maps);
}

/**
 * Compiled files on disk, so that a command whose .ts files were all compiled before does not start
 * esbuild's helper process (0.07-0.15 s). An entry's name is the hash of everything that decides
 * esbuild's output (its version, the options with tsconfig.json's text, the file's path and text),
 * so an edit, an upgrade or a new tsconfig.json reads another entry and no entry is ever stale.
 * Entries are written whole (a temporary file, then renamed); any failure to read or write one
 * just compiles. Every project copy (the engine tests') and every edit adds entries: past
 * `maxEntries` (about 20 KB each), the oldest are deleted.
 */
function compiledCache(projectRoot, options) {
    const crypto = require("crypto");
    const dir = path.join(projectRoot, "node_modules", ".cache", "cognito-auth");
    const version = require("esbuild/package.json").version;
    const prefix = JSON.stringify([version, options]);
    return {
        get(filename, source, compile) {
            const key = crypto
                .createHash("sha256")
                .update(JSON.stringify([prefix, filename, source]))
                .digest("hex");
            const file = path.join(dir, `${key}.json`);
            try {
                const { code, map } = JSON.parse(fs.readFileSync(file, "utf8"));
                if (typeof code === "string" && typeof map === "string") return { code, map };
            } catch {
                // Not compiled yet (or unreadable): compile.
            }
            const { code, map } = compile();
            try {
                fs.mkdirSync(dir, { recursive: true });
                const temporary = `${file}.${process.pid}.tmp`;
                fs.writeFileSync(temporary, JSON.stringify({ code, map }));
                fs.renameSync(temporary, file);
                prune(dir);
            } catch {
                // A read-only project still runs, compiling every time.
            }
            return { code, map };
        },
    };
}

const maxEntries = 400;

/** Keeps the cache at most `maxEntries` entries, deleting the oldest half when it is past that. */
function prune(dir) {
    const names = fs.readdirSync(dir);
    if (names.length <= maxEntries) return;
    const entries = [];
    for (const name of names) {
        try {
            entries.push({ file: path.join(dir, name), mtime: fs.statSync(path.join(dir, name)).mtimeMs });
        } catch {
            // Deleted by another process meanwhile.
        }
    }
    entries.sort((a, b) => a.mtime - b.mtime);
    for (const { file } of entries.slice(0, entries.length - maxEntries / 2)) fs.rmSync(file, { force: true });
}

/**
 * Stack traces and resources' source positions name the .ts lines: the SDK's runner and the
 * provider host format stacks with source-map-support, which finds a map only in a file's own
 * text, so the maps esbuild made are handed to the same copy of it. Only those: its default
 * lookup reads every JavaScript file a stack passes through and parses the SDK's and
 * `@pulumi/aws`'s own maps, and the SDK takes a full stack per resource and per pending
 * registration, before the first user reaches the engine (docs/benchmarks.md, "Start-up").
 * Frames in node_modules keep their compiled file's line.
 */
function mapStackTraces(maps) {
    const pulumi = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    require(require.resolve("source-map-support", { paths: [pulumi] })).install({
        environment: "node",
        handleUncaughtExceptions: false,
        overrideRetrieveSourceMap: true,
        retrieveSourceMap: (file) => (maps.has(file) ? { url: file, map: maps.get(file) } : null),
    });
}

module.exports = { registerTypeScript };
