"use strict";
// The program's entry point (package.json "main"; Pulumi.yaml says typescript: false, so the
// SDK's runner requires this file as JavaScript instead of registering a type-checking ts-node).
// It loads index.ts through ts-node without a type check; index.ts's `export =` object is what
// the runner turns into the stack outputs. See docs/design.md ("How the TypeScript runs").
const path = require("path");
const { registerTypeScript } = require("./typescript");

registerTypeScript(path.resolve(__dirname, ".."));
module.exports = require("../index.ts");
