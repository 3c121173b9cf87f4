// The CognitoUser resource class (providers/cognitoUser/index.ts) declared on its own, under the
// SDK's mocked runtime: the defaults it sends for omitted arguments, the password marked secret in
// its outputs too, and the stack-trace limit it lowers only while it registers. Found unpinned by
// mutation testing (docs/mutation-testing.md): the component always passes every argument. Also
// under the mocked runtime: CognitoAuth's constructor error, and serializeProvider with a secret.

import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { runtimeSettings, serializeProvider } from "../lib/pulumiInternals";
import { CognitoAuth } from "../components/cognitoAuth";
import { CognitoUser } from "../providers/cognitoUser";
import { cognitoDefaultPasswordRules } from "../providers/rules";
import { isSecretValue, plain } from "./helpers/program";
import { testPassword, testPoolId, userType } from "./helpers/users";

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

describe("CognitoUser resource, CognitoAuth constructor, serializeProvider", function () {
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
