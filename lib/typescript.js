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
    const { transformSync } = require("esbuild");
    // esbuild reads from it what changes the emitted code (class field semantics, imports kept).
    const tsconfigRaw = fs.readFileSync(project, "utf8");
    const maps = new Map();
    require.extensions[".ts"] = (module, filename) => {
        const { code, map } = transformSync(fs.readFileSync(filename, "utf8"), {
            loader: "ts",
            format: "cjs",
            target: "es2022", // tsconfig.json's target, as tsc and ts-node emit it
            sourcefile: filename,
            sourcemap: "external",
            tsconfigRaw,
        });
        maps.set(filename, map);
        module._compile(code, filename);
    };
    mapStackTraces(maps);
}

/**
 * Stack traces and resources' source positions name the .ts lines: the SDK's runner and the
 * provider host format stacks with source-map-support, which finds a map only in a file's own
 * text, so the maps esbuild made are handed to the same copy of it.
 */
function mapStackTraces(maps) {
    const pulumi = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    require(require.resolve("source-map-support", { paths: [pulumi] })).install({
        environment: "node",
        handleUncaughtExceptions: false,
        retrieveSourceMap: (file) => (maps.has(file) ? { url: file, map: maps.get(file) } : null),
    });
}

module.exports = { registerTypeScript };
