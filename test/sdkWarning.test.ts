// The two modules that silence the AWS SDK's Node-version warning when they load (the provider's
// client factory and the verify script's first import), loaded afresh here so the line that does it
// runs inside a test: a setting the user made wins, an unset one becomes "true".

import { expect } from "chai";

const variable = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

describe("the AWS SDK's Node-version warning", function () {
    let saved: string | undefined;
    beforeEach(() => {
        saved = process.env[variable];
    });
    afterEach(() => {
        if (saved === undefined) delete process.env[variable];
        else process.env[variable] = saved;
    });

    for (const module of ["../providers/cognitoUser/client", "../scripts/verify/quietSdk"]) {
        it(`${module.slice(3)}: turned off when unset, left as the user set it`, function () {
            const path = require.resolve(module);
            // The instance the other tests and modules hold is put back afterwards.
            const loaded = require.cache[path];
            try {
                delete process.env[variable];
                delete require.cache[path];
                require(path);
                expect(process.env[variable]).to.equal("true");
                process.env[variable] = "false";
                delete require.cache[path];
                require(path);
                expect(process.env[variable]).to.equal("false");
            } finally {
                if (loaded) require.cache[path] = loaded;
                else delete require.cache[path];
            }
        });
    }
});
