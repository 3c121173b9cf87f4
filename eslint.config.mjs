// typescript-eslint's recommended rules, run by `npm test` (npm run lint). Rules are switched off
// only where the code base relies on what they forbid, each with the reason.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", ".pulumi-cli/", ".local/", "reports/", ".stryker-tmp/", "scratch/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // Values from the engine, the SDK's private modules and emulator responses are untyped JSON.
            "@typescript-eslint/no-explicit-any": "off",
            // Modules loaded on purpose at call time (the SDK's private APIs, the provider in the host).
            "@typescript-eslint/no-require-imports": "off",
            // `_name` marks a value that is destructured away on purpose.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" },
            ],
        },
    },
    {
        files: ["**/*.js", "**/*.mjs"],
        languageOptions: {
            globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" },
        },
    },
);
