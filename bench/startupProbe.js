"use strict";
// (d) Where a command's start-up goes: one fresh Node process that loads, in order, what the
// program's process and the dynamic-provider host's process load, timing each step. Run from the
// project root with the mode as argument: "transpile" (what `pulumi preview` runs) or "typecheck"
// (PULUMI_NODEJS_TRANSPILE_ONLY=false: ts-node checking types, as before issue 20). Prints one JSON line of milliseconds.
const path = require("path");

const root = path.resolve(__dirname, "..");
const mode = process.argv[2] === "typecheck" ? "typecheck" : "transpile";
const steps = {};
let last = process.hrtime.bigint();
const step = (name, fn) => {
    fn();
    const now = process.hrtime.bigint();
    steps[name] = Number(now - last) / 1e6;
    last = now;
};
const awsLoaded = () => Object.keys(require.cache).some((file) => file.endsWith(path.join("@pulumi", "aws", "index.js")));

step("@pulumi/pulumi", () => require("@pulumi/pulumi"));
// lib/typescript.js as the program and the provider host call it (esbuild; ts-node when type-checking).
step("TypeScript register", () => {
    if (mode === "typecheck") process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "false";
    require(path.join(root, "lib", "typescript")).registerTypeScript(root);
});
// The program's modules without running it: the component pulls in the settings, the rules and the user resource.
step("program modules (components/cognitoAuth.ts and its imports)", () => require(path.join(root, "components", "cognitoAuth")));
const awsByProgram = awsLoaded();
step("all of @pulumi/aws (if the program did not load it)", () => require("@pulumi/aws"));
// What the dynamic-provider host loads on its first call (in its own process; here after the program's modules).
step("user provider (providers/cognitoUser/provider.ts, the AWS SDK client)", () =>
    require(path.join(root, "providers", "cognitoUser", "provider")),
);
process.stdout.write(JSON.stringify({ mode, awsByProgram, steps }) + "\n");
