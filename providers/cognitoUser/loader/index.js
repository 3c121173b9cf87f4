"use strict";
// What Pulumi stores for every Cognito user: this module is installed under node_modules (as a
// copy, see .npmrc), so the closure serializer writes `require("@cognito-auth/user-provider-loader")`
// into state instead of the provider's code. The dynamic-provider host runs in the project
// folder, resolves this package there, and loads the project's current implementation on first
// use (TypeScript, through the project's lib/typescript.js when no .ts loader is registered yet).
// check and diff are pure (providers/cognitoUser/plan.ts): they load no AWS SDK, so a preview
// that creates, reads or changes nothing never loads it; configure is kept for the full provider.
const path = require("path");

const nodeModules = `${path.sep}node_modules${path.sep}`;
const projectRoot = __dirname.includes(nodeModules)
    ? __dirname.slice(0, __dirname.lastIndexOf(nodeModules))
    : path.resolve(__dirname, "..", "..", "..");
const providerDir = path.join(projectRoot, "providers", "cognitoUser");

let configureRequest, plan, implementation;

function load(name) {
    require(path.join(projectRoot, "lib", "typescript")).registerTypeScript(projectRoot);
    return require(path.join(providerDir, name));
}

/** The full provider (the AWS SDK client with it), configured as the engine asked; one per process. */
function provider() {
    implementation ??= (async () => {
        const made = load("provider").createCognitoUserProvider();
        if (configureRequest) await made.configure(configureRequest);
        return made;
    })();
    return implementation;
}

const pure = () => (plan ??= load("plan"));

module.exports = {
    configure: async (req) => {
        configureRequest = req;
        if (implementation) await (await implementation).configure(req);
    },
    check: async (olds, news) => {
        // A create has no diff: its check says that it enrols TOTP.
        const reason = pure().createTotpReason(olds, news);
        if (reason) console.error(pure().totpNotice(news, reason));
        return pure().checkUser(news, olds);
    },
    diff: async (_id, olds, news) => {
        const result = pure().diffUser(olds, news);
        // The engine's diff has no reason: a TOTP change is said on stderr, which the CLI shows.
        if (result.totpReason) console.error(pure().totpNotice(news, result.totpReason));
        return result;
    },
    create: async (inputs) => (await provider()).create(inputs),
    read: async (id, props) => (await provider()).read(id, props),
    update: async (id, olds, news) => (await provider()).update(id, olds, news),
    delete: async (id, props) => (await provider()).delete(id, props),
};
