"use strict";
// What Pulumi stores for every Cognito user: this module is installed under node_modules (as a
// copy, see .npmrc), so the closure serializer writes `require("@cognito-auth/user-provider-loader")`
// into state instead of the provider's code. The dynamic-provider host runs in the project
// folder, resolves this package there, and each method loads the project's current
// implementation (TypeScript, through ts-node when no .ts loader is registered yet) on first use.
const path = require("path");

const nodeModules = `${path.sep}node_modules${path.sep}`;
const projectRoot = __dirname.includes(nodeModules)
    ? __dirname.slice(0, __dirname.lastIndexOf(nodeModules))
    : path.resolve(__dirname, "..", "..", "..");

let implementation;

function provider() {
    if (!implementation) {
        if (!require.extensions[".ts"]) {
            require("ts-node").register({ transpileOnly: true, project: path.join(projectRoot, "tsconfig.json") });
        }
        implementation = require(path.join(projectRoot, "providers", "cognitoUser", "provider")).createCognitoUserProvider();
    }
    return implementation;
}

module.exports = {
    configure: (req) => provider().configure(req),
    check: (olds, news) => provider().check(olds, news),
    diff: (id, olds, news) => provider().diff(id, olds, news),
    create: (inputs) => provider().create(inputs),
    read: (id, props) => provider().read(id, props),
    update: (id, olds, news) => provider().update(id, olds, news),
    delete: (id, props) => provider().delete(id, props),
};
