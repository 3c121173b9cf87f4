// The CognitoUser resource class (providers/cognitoUser/index.ts) declared on its own, under the
// SDK's mocked runtime: the defaults it sends for omitted arguments, the password marked secret in
// its outputs too, and the stack-trace limit it lowers only while it registers. Found unpinned by
// mutation testing (docs/mutation-testing.md): the component always passes every argument. Also
// under the mocked runtime: CognitoAuth's constructor error, and serializeProvider with a secret.
// CognitoUser registers without the SDK's closure serializer; the tests below prove that what it
// sends the engine is byte for byte what `pulumi.dynamic.Resource` with the loader sends, so the
// state and URNs of existing stacks do not change.

import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { runtimeSettings, serializeProvider } from "../../lib/pulumiInternals";
import { CognitoAuth } from "../../components/cognitoAuth";
import { CognitoUser, cognitoUserType, loaderProviderText } from "../../providers/cognitoUser";
import loader = require("@cognito-auth/user-provider-loader");
import { cognitoDefaultPasswordRules } from "../../providers/rules";
import { isSecretValue, plain } from "../../harness/program";
import { testPassword, testPoolId, userType } from "../../harness/users";

interface Registration {
    inputs: Record<string, any>;
    additionalSecretOutputs: string[];
}

/** Declares one CognitoUser with `args` and returns what the SDK sent the (mock) engine for it. */
async function register(args: ConstructorParameters<typeof CognitoUser>[1]): Promise<Registration> {
    let inputs: Record<string, any> | undefined;
    pulumi.runtime.setMocks(
        {
            newResource(mock) {
                if (mock.type === userType) inputs = mock.inputs;
                return { id: "id", state: mock.inputs };
            },
            call() {
                throw new Error("no invokes");
            },
        },
        "cognito-auth",
        "dev",
        false,
    );
    const settings = runtimeSettings();
    const monitor = settings.getMonitor();
    let additionalSecretOutputs: string[] = [];
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        if (req.getType() === userType) additionalSecretOutputs = req.getAdditionalsecretoutputsList();
        return original(req, callback);
    };
    new CognitoUser("alice", args);
    await settings.waitForRPCs();
    expect(inputs, "the user was registered").to.not.equal(undefined);
    return { inputs: inputs!, additionalSecretOutputs };
}

/** A resource to depend on. */
class Pool extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Pool", name, {});
    }
}
/** The SDK's dynamic resource, as CognitoUser extended it before (the SDK's class is abstract). */
class DynamicResource extends pulumi.dynamic.Resource {}

/**
 * Everything the SDK sends the (mock) engine for the one user `declare` registers (after a pool
 * it depends on), as the request's plain object, except where it was declared (source position, stack trace).
 */
async function registrationRequest(declare: () => void): Promise<Record<string, any>> {
    pulumi.runtime.setMocks(
        {
            newResource: (mock) => ({ id: "id", state: mock.inputs }),
            call() {
                throw new Error("no invokes");
            },
        },
        "cognito-auth",
        "dev",
        true,
    );
    const settings = runtimeSettings();
    const monitor = settings.getMonitor();
    const requests: Record<string, any>[] = [];
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        const { sourceposition: _position, stacktrace: _trace, ...rest } = req.toObject();
        // The inputs as a protobuf Struct's plain object (every value with its kind) and as JavaScript, to read.
        if (rest.type === userType) requests.push({ ...rest, inputs: req.getObject().toJavaScript() });
        return original(req, callback);
    };
    declare();
    await settings.waitForRPCs();
    expect(requests.length, "one user registration").to.equal(1);
    return requests[0];
}

describe("CognitoUser resource, CognitoAuth constructor, serializeProvider", function () {
    it("stores as __provider the very text the SDK's serializer writes for the loader", async function () {
        const serialized = await serializeProvider(loader);
        expect(serialized.containsSecrets).to.equal(false);
        // If a new SDK serializes differently, keep loaderProviderText (it is what existing state holds) and update this test.
        expect(
            loaderProviderText === serialized.text,
            `loaderProviderText equals serializeProvider(loader).text:\n${serialized.text}`,
        ).to.equal(true);
        const { inputs } = await register({ userPoolId: testPoolId, username: "alice", password: testPassword });
        expect(inputs.__provider === loaderProviderText, "the user's __provider input").to.equal(true);
    });

    it("registers exactly as pulumi.dynamic.Resource with the loader did: type, inputs, dependencies, options", async function () {
        this.timeout(20000);
        const args = {
            userPoolId: testPoolId,
            username: "alice",
            password: testPassword,
            attributes: { email: "alice@example.com" },
            groups: ["admins"],
            adoptExisting: true,
        };
        const opts: pulumi.CustomResourceOptions = { protect: true, aliases: [{ name: "old-alice" }], ignoreChanges: ["attributes"] };
        const viaDynamic = await registrationRequest(() => {
            const dependsOn = new Pool("pool");
            new DynamicResource(
                loader,
                "alice",
                {
                    userPoolId: args.userPoolId,
                    username: args.username,
                    password: pulumi.secret(args.password),
                    attributes: args.attributes,
                    enabled: true,
                    groups: args.groups,
                    passwordPolicy: cognitoDefaultPasswordRules,
                    adoptExisting: args.adoptExisting,
                    sub: undefined,
                    status: undefined,
                },
                pulumi.mergeOptions({ ...opts, dependsOn }, { additionalSecretOutputs: ["password"] }),
                "cognito-auth",
                "CognitoUser",
            );
        });
        const viaClass = await registrationRequest(() => {
            const dependsOn = new Pool("pool");
            new CognitoUser("alice", args, { ...opts, dependsOn });
        });
        expect(viaClass.type).to.equal(cognitoUserType);
        expect(viaClass.additionalsecretoutputsList).to.deep.equal(["password"]);
        expect(viaClass.inputs.__provider === loaderProviderText, "__provider is sent").to.equal(true);
        expect(viaClass.protect).to.equal(true);
        expect(viaClass).to.deep.equal(viaDynamic);
    });

    it("fills omitted arguments with the defaults: enabled, no groups, no attributes, Cognito's policy, no adoption", async function () {
        const { inputs } = await register({ userPoolId: testPoolId, username: "alice", password: testPassword });
        const { password, __provider: _provider, ...rest } = inputs;
        expect(isSecretValue(password), "the password input is a secret").to.equal(true);
        expect(plain(password) === testPassword, "the password is the one given").to.equal(true);
        expect(rest).to.deep.equal({
            userPoolId: testPoolId,
            username: "alice",
            attributes: {},
            enabled: true,
            groups: [],
            passwordPolicy: cognitoDefaultPasswordRules,
            adoptExisting: false,
        });
    });

    it("keeps the arguments given, false included", async function () {
        const { inputs } = await register({
            userPoolId: testPoolId,
            username: "alice",
            password: testPassword,
            enabled: false,
            groups: ["admins"],
            adoptExisting: true,
        });
        expect([inputs.enabled, inputs.groups, inputs.adoptExisting]).to.deep.equal([false, ["admins"], true]);
    });

    it("asks the engine to keep the password output secret", async function () {
        const { additionalSecretOutputs } = await register({ userPoolId: testPoolId, username: "alice", password: testPassword });
        expect(additionalSecretOutputs).to.deep.equal(["password"]);
    });

    it("registers the TOTP inputs and marks totpSecret secret only for a user with mfa", async function () {
        const base = { userPoolId: testPoolId, username: "alice", password: testPassword };
        const without = await register(base);
        for (const key of ["mfa", "totpGeneration", "clientId", "totpSecret", "totp"]) expect(without.inputs).to.not.have.property(key);
        expect(without.additionalSecretOutputs).to.deep.equal(["password"]);
        const withTotp = await register({ ...base, mfa: "TOTP", clientId: "client-1" });
        expect(plain(withTotp.inputs)).to.include({ mfa: "TOTP", totpGeneration: 1, clientId: "client-1" });
        expect(withTotp.additionalSecretOutputs).to.deep.equal(["password", "totpSecret"]);
    });

    it("restores the caller's stack-trace limit", async function () {
        const saved = Error.stackTraceLimit;
        Error.stackTraceLimit = 17;
        try {
            await register({ userPoolId: testPoolId, username: "alice", password: testPassword });
            expect(Error.stackTraceLimit).to.equal(17);
        } finally {
            Error.stackTraceLimit = saved;
        }
    });

    it("CognitoAuth refuses invalid arguments with one error listing each problem", async function () {
        await register({ userPoolId: testPoolId, username: "alice", password: testPassword });
        expect(() => new CognitoAuth("auth", { mfa: "on" as never, deletionProtection: "yes" as never })).to.throw(
            'CognitoAuth "auth" has invalid arguments:\n  - mfa: "on" is not an MFA mode; use one of OFF, OPTIONAL, ON\n  - deletionProtection: must be true or false',
        );
    });

    it("serializeProvider allows a provider that captures a secret, and says so", async function () {
        const secret = pulumi.secret("not-a-real-secret");
        const { containsSecrets } = await serializeProvider({ read: () => secret });
        expect(containsSecrets).to.equal(true);
    });
});
