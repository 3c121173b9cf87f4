"use strict";
// Preloaded (`node -r`) into an evaluation child, current or baseline alike, so that both are
// measured by the same code. It wraps the mocks that harness/program.ts installs and, when
// the child exits, prints one JSON line:
// - inputsBytesPerUser: each user resource's inputs as the mock received them, as JSON with
//   secrets unwrapped to their values (only sizes are printed, never a value);
// - toLastRegistrationMs: from the mocks' setup to the last resource reaching the mocked monitor,
//   i.e. the evaluation without the helper's bookkeeping after it;
// - heapAtFirstUserBytes: V8 heap in use when the first user reaches the mocked monitor (the
//   program has declared every resource by then; none has been registered);
// - heapRetainedBytes: heap in use after a full GC at exit (needs --expose-gc);
// - cpuMs: the child's user + system CPU time.
// Plain JavaScript, so that it loads into any checkout whatever its TypeScript setup.

const { Buffer } = require("buffer");

// The user resource's type: cognito-auth's, or the peer program's (bench/peerChild.ts sets it).
const userType = process.env.BENCH_USER_TYPE || "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";
const secretKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

// The program's own copy of the SDK (resolved from the child's working folder: the checkout
// being measured), so that the wrapped setMocks is the one the program's helpers call.
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));

const recorded = [];
let mocksSetAt, lastRegistrationAt, heapAtFirstUser;
const setMocks = pulumi.runtime.setMocks;
pulumi.runtime.setMocks = function (mocks, ...rest) {
    const newResource = mocks.newResource.bind(mocks);
    mocks.newResource = (args) => {
        if (args.type === userType) {
            if (recorded.length === 0) heapAtFirstUser = process.memoryUsage().heapUsed;
            recorded.push(args.inputs);
        }
        lastRegistrationAt = process.hrtime.bigint();
        return newResource(args);
    };
    mocksSetAt = process.hrtime.bigint();
    return setMocks.call(this, mocks, ...rest);
};

function unwrap(value) {
    if (Array.isArray(value)) return value.map(unwrap);
    if (value !== null && typeof value === "object") {
        if (value[secretKey] === secretSig) return unwrap(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
    }
    return value;
}

process.on("exit", () => {
    const sizes = recorded.map((inputs) => Buffer.byteLength(JSON.stringify(unwrap(inputs)), "utf8"));
    const total = sizes.reduce((a, b) => a + b, 0);
    let heapRetained = null;
    if (typeof globalThis.gc === "function") {
        globalThis.gc();
        heapRetained = process.memoryUsage().heapUsed;
    }
    const usage = process.resourceUsage();
    process.stdout.write(
        `\n${JSON.stringify({
            probe: {
                userResources: sizes.length,
                inputsBytesPerUser: sizes.length ? Math.round(total / sizes.length) : 0,
                inputsBytesMax: sizes.length ? Math.max(...sizes) : 0,
                inputsBytesTotal: total,
                toLastRegistrationMs: mocksSetAt && lastRegistrationAt ? Number(lastRegistrationAt - mocksSetAt) / 1e6 : null,
                heapAtFirstUserBytes: heapAtFirstUser ?? null,
                heapRetainedBytes: heapRetained,
                cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
            },
        })}\n`,
    );
});
