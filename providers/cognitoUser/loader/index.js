"use strict";
// What Pulumi stores for every Cognito user: this module is installed under node_modules (as a
// copy, see .npmrc), so the closure serializer writes `require("@cognito-auth/user-provider-loader")`
// into state instead of the provider's code. The dynamic-provider host runs in the project
// folder, resolves this package there, and each method loads the project's current
// implementation on first use (TypeScript, through the project's lib/typescript.js: ts-node without a
// type check, when no .ts loader is registered yet).
const path = require("path");

const nodeModules = `${path.sep}node_modules${path.sep}`;
const projectRoot = __dirname.includes(nodeModules)
    ? __dirname.slice(0, __dirname.lastIndexOf(nodeModules))
    : path.resolve(__dirname, "..", "..", "..");

let implementation;

function provider() {
    if (!implementation) {
        require(path.join(projectRoot, "lib", "typescript")).registerTypeScript(projectRoot);
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
