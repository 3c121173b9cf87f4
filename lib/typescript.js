"use strict";
// ts-node for the two processes that run this project's TypeScript: the program (lib/entry.js,
// started by the SDK's runner) and the user provider (its loader, started by the engine's
// dynamic-provider host). Transpile only: types are checked by `npm test` and `npm run build`
// (tsc), not again on every `pulumi preview` and `up`. The SDK's own switch still works: with
// PULUMI_NODEJS_TRANSPILE_ONLY set to anything but "true" (e.g. false), ts-node checks types again.
// See docs/design.md ("How the TypeScript runs").
const path = require("path");

/** Registers ts-node for .ts files, unless a TypeScript loader already is (mocha's, a test's). */
function registerTypeScript(projectRoot) {
    if (require.extensions[".ts"]) return;
    const setting = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    require("ts-node").register({
        transpileOnly: setting ? setting === "true" : true,
        project: path.join(projectRoot, "tsconfig.json"),
    });
}

module.exports = { registerTypeScript };
