import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CognitoAuth } from "../components/cognitoAuth";
import { CognitoIdentity } from "../components/identity";
import { CognitoUserPool } from "../components/userPool";
import { CognitoUsers } from "../components/users";
import { isSecretValue, promiseOf, runProgram } from "../harness/program";
import { runtimeSettings } from "../lib/pulumiInternals";

// Each component on its own, as another TypeScript Pulumi program in this folder would use it
// (the program itself is tested in test/program.test.ts): what it declares, under which parent,
// its checks, `transform`, and arguments that are Outputs of other resources.

const project = "components-test";
const password = "Carol#Secret-5521pq";
const types = {
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    guard: "pulumi-nodejs:dynamic/cognito-auth:PoolGuard",
    identityPool: "aws:cognito/identityPool:IdentityPool",
    role: "aws:iam/role:Role",
    policyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    roleAttachment: "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
    group: "aws:cognito/userGroup:UserGroup",
    user: "pulumi-nodejs:dynamic/cognito-auth:CognitoUser",
};

interface Registered {
    type: string;
    inputs: Record<string, any>;
}

/** Mocks that answer every resource with its inputs (plus an ARN and endpoint) and record each by name. */
function recordRegistrations(): Map<string, Registered> {
    const registered = new Map<string, Registered>();
    pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.set(args.name, { type: args.type, inputs: args.inputs });
                return {
                    id: `${args.name}-id`,
                    state: {
                        ...args.inputs,
                        arn: `arn:aws:iam::123456789012:role/${args.name}`,
                        endpoint: "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1",
                        sub: "sub",
                        status: "CONFIRMED",
                    },
                };
            },
            call: (args) => {
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        project,
        "unit",
        false,
    );
    return registered;
}

/** The registered resources apart from the components themselves. */
const children = (registered: Map<string, Registered>) => [...registered].filter(([, r]) => !r.type.startsWith("cognito-auth:index:"));

async function settled(...resources: pulumi.Resource[]): Promise<void> {
    await Promise.all(resources.map((resource) => promiseOf(resource.urn)));
    await runtimeSettings().waitForRPCs();
}

const urnOf = (chain: string, name: string) => `urn:pulumi:unit::${project}::${chain}::${name}`;

describe("components on their own", function () {
    describe("CognitoUserPool", function () {
        it("declares the guard, the pool and the client as its children", async function () {
            const registered = recordRegistrations();
            const pool = new CognitoUserPool("app", { userPoolName: "app-users", mfa: "ON" });
            await settled(pool.userPool, pool.userPoolClient);
            expect(await promiseOf(pool.urn)).to.equal(urnOf("cognito-auth:index:CognitoUserPool", "app"));
            expect(await promiseOf(pool.userPool.urn)).to.equal(urnOf(`cognito-auth:index:CognitoUserPool$${types.pool}`, "app-pool"));
            expect(
                children(registered)
                    .map(([name, r]) => `${r.type} ${name}`)
                    .sort(),
            ).to.deep.equal([`${types.guard} app-pool-guard`, `${types.pool} app-pool`, `${types.client} app-client`].sort());
            expect(registered.get("app-pool")!.inputs.name).to.equal("app-users");
            expect(registered.get("app-pool")!.inputs.mfaConfiguration).to.equal("ON");
            expect(registered.get("app-client")!.inputs.name).to.equal("app-users-client");
            expect(await promiseOf(pool.region)).to.equal("eu-west-1");
        });

        it("transform: values replace arguments of the same name; a function changes them, given the child's name", async function () {
            const registered = recordRegistrations();
            const names: string[] = [];
            const pool = new CognitoUserPool("app", {
                transform: {
                    userPool: { tags: { team: "auth" } },
                    client: (args, _opts, name) => {
                        names.push(name);
                        args.callbackUrls = ["https://app.example.com/callback"];
                    },
                },
            });
            await settled(pool.userPool, pool.userPoolClient);
            expect(registered.get("app-pool")!.inputs.tags).to.deep.equal({ team: "auth" });
            // The settings' own values are still there beside the transform's.
            expect(registered.get("app-pool")!.inputs.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: true });
            expect(registered.get("app-client")!.inputs.callbackUrls).to.deep.equal(["https://app.example.com/callback"]);
            expect(registered.get("app-client")!.inputs.preventUserExistenceErrors).to.equal("ENABLED");
            expect(names).to.deep.equal(["app-client"]);
        });

        it("a transform function may return new arguments instead", async function () {
            const registered = recordRegistrations();
            const pool = new CognitoUserPool("app", {
                transform: { client: (args) => ({ args: { ...args, logoutUrls: ["https://app.example.com/"] } }) },
            });
            await settled(pool.userPoolClient);
            expect(registered.get("app-client")!.inputs.logoutUrls).to.deep.equal(["https://app.example.com/"]);
        });

        it("a transform may not change what a setting sets, in place or by value: an error naming the setting", function () {
            recordRegistrations();
            expect(() => new CognitoUserPool("a", { transform: { client: (args) => ({ args: { ...args, name: "x" } }) } })).to.throw(
                'the transform of a-client changes "name", which the setting clientName sets; use that instead',
            );
            expect(
                () =>
                    new CognitoUserPool("b", {
                        transform: { userPool: (args) => void ((args.passwordPolicy as any).minimumLength = 20) },
                    }),
            ).to.throw('the transform of b-pool changes "passwordPolicy", which the setting passwordPolicy sets; use that instead');
            expect(() => new CognitoUserPool("c", { transform: { userPool: { name: "other" } } })).to.throw(
                'the transform of c-pool changes "name", which the setting userPoolName sets',
            );
            expect(
                () =>
                    new CognitoUsers("d", {
                        userPoolId: "us-west-2_Pool1",
                        users: { carol: {} },
                        passwords: { carol: password },
                        transform: { user: (args) => void (args.adoptExisting = true) },
                    }),
            ).to.throw('the transform of d-user-carol changes "adoptExisting", which the setting adoptExistingUsers sets');
        });

        it("refuses bad settings, every one at once, before declaring anything", function () {
            const registered = recordRegistrations();
            expect(() => new CognitoUserPool("app", { mfa: "SOMETIMES" as any, tokenValidity: { accessTokenMinutes: 2 } })).to.throw(
                'CognitoUserPool "app" has invalid arguments:\n  - mfa: "SOMETIMES" is not an MFA mode; use one of OFF, OPTIONAL, ON\n' +
                    "  - tokenValidity.accessTokenMinutes: must be a whole number from 5 to 1440",
            );
            expect(children(registered)).to.deep.equal([]);
        });
    });

    describe("CognitoIdentity", function () {
        it("takes a pool made elsewhere by id and client id, deriving the provider name from the id's region", async function () {
            const registered = recordRegistrations();
            const identity = new CognitoIdentity("ids", { userPool: { id: "eu-central-1_Other9", clientId: "client123" } });
            await settled(identity.identityPool, identity.roleAttachment);
            expect(await promiseOf(identity.identityPool.urn)).to.equal(
                urnOf(`cognito-auth:index:CognitoIdentity$${types.identityPool}`, "ids-identities"),
            );
            expect(registered.get("ids-identities")!.inputs.cognitoIdentityProviders).to.deep.equal([
                {
                    clientId: "client123",
                    providerName: "cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Other9",
                    serverSideTokenCheck: true,
                },
            ]);
            expect(registered.get("ids-identities")!.inputs.allowUnauthenticatedIdentities).to.equal(false);
            expect(identity.unauthenticatedRole).to.equal(undefined);
            expect(
                children(registered)
                    .map(([, r]) => r.type)
                    .sort(),
            ).to.deep.equal([types.identityPool, types.role, types.roleAttachment].sort());
        });

        it("attaches policy ARNs that are Outputs of other resources, and still refuses a plain one that is no ARN", async function () {
            const registered = recordRegistrations();
            const arn = pulumi.output("arn:aws:iam::123456789012:policy/app-read");
            const identity = new CognitoIdentity("ids", {
                userPool: { id: "eu-central-1_Other9", clientId: "client123" },
                authenticatedPolicyArns: [arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"],
            });
            await settled(identity.roleAttachment);
            expect(registered.get("ids-authenticated-policy-0")!.inputs.policyArn).to.equal("arn:aws:iam::123456789012:policy/app-read");
            expect(registered.get("ids-authenticated-policy-1")!.inputs.policyArn).to.equal("arn:aws:iam::aws:policy/ReadOnlyAccess");
            expect(
                () =>
                    new CognitoIdentity("bad", {
                        userPool: { id: "eu-central-1_Other9", clientId: "c" },
                        authenticatedPolicyArns: [arn, "ReadOnly"],
                    }),
            ).to.throw('authenticatedPolicyArns: "ReadOnly" is not an IAM policy ARN');
        });

        it("transform reaches both roles, each telling which by its name", async function () {
            const registered = recordRegistrations();
            const identity = new CognitoIdentity("ids", {
                userPool: { id: "eu-central-1_Other9", clientId: "client123" },
                allowUnauthenticatedIdentities: true,
                transform: {
                    role: (args, _opts, name) => void (args.maxSessionDuration = name.endsWith("-unauthenticated") ? 3600 : 7200),
                },
            });
            await settled(identity.roleAttachment);
            expect(registered.get("ids-authenticated")!.inputs.maxSessionDuration).to.equal(7200);
            expect(registered.get("ids-unauthenticated")!.inputs.maxSessionDuration).to.equal(3600);
        });
    });

    describe("CognitoUsers", function () {
        it("puts users and groups in a pool given as an Output (another stack's), the password a secret", async function () {
            const registered = recordRegistrations();
            const users = new CognitoUsers("team", {
                userPoolId: pulumi.output("us-west-2_FromRef1"),
                users: { carol: { email: "carol@example.com", groups: ["ops"] } },
                passwords: { carol: password },
            });
            await settled(users.users.carol, users.groups.ops);
            expect(await promiseOf(users.users.carol.urn)).to.equal(
                urnOf(`cognito-auth:index:CognitoUsers$${types.user}`, "team-user-carol"),
            );
            const user = registered.get("team-user-carol")!.inputs;
            expect(user.userPoolId).to.equal("us-west-2_FromRef1");
            expect(isSecretValue(user.password)).to.equal(true);
            expect(registered.get("team-group-ops")!.inputs).to.include({ name: "ops", userPoolId: "us-west-2_FromRef1" });
            // An existing pool's policy is Cognito's default unless described.
            expect(user.passwordPolicy.minimumLength).to.equal(8);
            expect(await promiseOf(users.region)).to.equal("us-west-2");
        });

        it("checks custom attributes against the pool's when it is told them, and refuses created-pool settings", function () {
            recordRegistrations();
            const args = {
                userPoolId: "us-west-2_Pool1",
                users: { carol: { attributes: { "custom:team": "a" } } },
                passwords: { carol: password },
            };
            expect(() => new CognitoUsers("team", args)).to.not.throw();
            expect(() => new CognitoUsers("team2", { ...args, customAttributes: ["dept"] })).to.throw(/users\.carol: .*custom:team/);
            expect(() => new CognitoUsers("team3", { ...args, mfa: "ON" } as any)).to.throw(
                "mfa: is not an argument of CognitoUsers; it takes userPoolId, users, groups, passwords, passwordPolicy, adoptExistingUsers, userPoolClientId",
            );
            expect(() => new CognitoUsers("team4", { ...args, passwordPolicy: { temporaryPasswordValidityDays: 3 } as any })).to.throw(
                "passwordPolicy.temporaryPasswordValidityDays: applies only to a pool this stack creates (CognitoUserPool, CognitoAuth); remove it",
            );
        });

        it("transform reaches every user, whose options it may change (its arguments are all settings')", async function () {
            const seen: string[] = [];
            const users = new CognitoUsers("team", {
                userPoolId: "us-west-2_Pool1",
                users: { carol: {}, dave: {} },
                passwords: { carol: password, dave: password },
                transform: { user: (_args, opts, name) => void seen.push(`${name} ${opts.parent?.constructor.name}`) },
            });
            await settled(users.users.carol);
            expect(seen.sort()).to.deep.equal(["team-user-carol CognitoUsers", "team-user-dave CognitoUsers"]);
        });
    });

    describe("CognitoAuth", function () {
        it("passes each transform to its child, whose URN stays directly under CognitoAuth", async function () {
            const registered = recordRegistrations();
            const auth = new CognitoAuth("all", {
                users: { carol: {} },
                passwords: { carol: password },
                transform: { userPool: { tags: { team: "auth" } }, identityPool: { developerProviderName: "login.example" } },
            });
            await settled(auth.users.carol, auth.roleAttachment);
            expect(registered.get("all-pool")!.inputs.tags).to.deep.equal({ team: "auth" });
            expect(registered.get("all-identities")!.inputs.developerProviderName).to.equal("login.example");
            expect(await promiseOf(auth.identityPool.urn)).to.equal(
                urnOf(`cognito-auth:index:CognitoAuth$${types.identityPool}`, "all-identities"),
            );
            // The identity pool trusts the created pool through its endpoint, as before the components existed.
            expect(registered.get("all-identities")!.inputs.cognitoIdentityProviders[0].providerName).to.equal(
                "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1",
            );
        });
    });
});

describe("components on their own: resource options and outputs, as the engine receives them", function () {
    const pool = { id: "eu-central-1_Other9", clientId: "client123" };
    let extra: pulumi.Resource | undefined;
    const run = (program: () => void) =>
        runProgram(
            {},
            {
                program: () => {
                    extra = new (class Extra extends pulumi.CustomResource {})("test:index:Extra", "extra", {});
                    program();
                    return {};
                },
            },
        );
    const named = (result: Awaited<ReturnType<typeof run>>, name: string) => {
        const found = result.resources.find((r) => r.name === name);
        expect(found, name).to.not.equal(undefined);
        return found!;
    };

    it("CognitoIdentity: protects the identity pool unless deletionProtection is false; keeps its name unless one is set", async function () {
        const protectedRun = await run(() => new CognitoIdentity("ids", { userPool: pool }));
        expect(named(protectedRun, "ids-identities").options).to.include({ protect: true });
        expect(named(protectedRun, "ids-identities").options!.ignoreChanges).to.deep.equal(["identityPoolName"]);
        expect(named(protectedRun, "ids-roles").options).to.include({ deleteBeforeReplace: true });
        expect(named(protectedRun, "ids").registeredOutputs).to.deep.equal({
            identityPoolId: named(protectedRun, "ids-identities").id,
            authenticatedRoleArn: named(protectedRun, "ids-authenticated").state.arn,
        });
        const open = await run(
            () => new CognitoIdentity("ids", { userPool: pool, deletionProtection: false, identityPoolName: "app-ids" }),
        );
        expect(named(open, "ids-identities").options!.protect).to.not.equal(true);
        expect(named(open, "ids-identities").options!.ignoreChanges).to.deep.equal([]);
        expect(named(open, "ids-identities").inputs.identityPoolName).to.equal("app-ids");
    });

    it("CognitoUserPool: the pool is protected and waits for the guard, which holds its name and protection", async function () {
        const result = await run(() => new CognitoUserPool("app", { userPoolName: "app-users" }));
        const guard = named(result, "app-pool-guard");
        expect(guard.inputs).to.include({ userPoolName: "app-users", deletionProtection: true });
        expect(named(result, "app-pool").options).to.include({ protect: true });
        expect(named(result, "app-pool").dependencies).to.include(guard.urn);
        expect(named(result, "app").registeredOutputs).to.deep.equal({
            userPoolId: named(result, "app-pool").id,
            userPoolClientId: named(result, "app-client").id,
        });
        const open = await run(() => new CognitoUserPool("app", { deletionProtection: false }));
        expect(named(open, "app-pool").options!.protect).to.not.equal(true);
        expect(named(open, "app-pool").inputs.deletionProtection).to.equal("INACTIVE");
    });

    it("CognitoAuth: its users are checked against the created pool's policy (12 characters), not Cognito's default", async function () {
        const result = await run(() => new CognitoAuth("all", { users: { carol: {} }, passwords: { carol: password } }));
        expect(named(result, "all-user-carol").inputs.passwordPolicy.minimumLength).to.equal(12);
        expect(() => new CognitoAuth("short", { users: { carol: {} }, passwords: { carol: "Sh0rt#pass" } })).to.throw(
            /passwords\.carol: .*12/,
        );
    });

    it("a component refusing its arguments lists each problem on its own line", function () {
        recordRegistrations();
        const refusal = (make: () => unknown) => {
            try {
                make();
            } catch (err) {
                return (err as Error).message;
            }
            throw new Error("no refusal");
        };
        expect(
            refusal(() => new CognitoIdentity("ids", { userPool: pool, identityPoolName: "", authenticatedPolicyArns: ["x"] })),
        ).to.equal(
            'CognitoIdentity "ids" has invalid arguments:\n  - identityPoolName: must be a non-empty string\n  - authenticatedPolicyArns: "x" is not an IAM policy ARN',
        );
        expect(refusal(() => new CognitoUsers("team", { userPoolId: "us-west-2_Pool1", users: { carol: {}, dave: {} } }))).to.equal(
            "CognitoUsers \"team\" has invalid arguments:\n  - users.carol: has no password; set one with: pulumi config set --secret --path 'passwords.carol' -- '<password>'\n" +
                "  - users.dave: has no password; set one with: pulumi config set --secret --path 'passwords.dave' -- '<password>'",
        );
    });

    it("only policy ARNs may be Outputs: an Output where a plain list is read, or null in a list, is refused", function () {
        recordRegistrations();
        expect(() => new CognitoUserPool("app", { customAttributes: [pulumi.output("team") as any] })).to.throw(
            "customAttributes: must be a list of attribute names",
        );
        expect(() => new CognitoIdentity("ids", { userPool: pool, authenticatedPolicyArns: [null as any] })).to.throw(
            "authenticatedPolicyArns: must be a list of IAM policy ARNs",
        );
    });

    it("options a transform function returns are merged over the child's: what it leaves out stays, the parent always", async function () {
        const kept = await run(() => new CognitoUserPool("app", { transform: { userPool: () => undefined } }));
        expect(named(kept, "app-pool").options).to.include({ protect: true });
        const merged = await run(
            () =>
                new CognitoUserPool("app", {
                    transform: { userPool: () => ({ opts: { ignoreChanges: ["tags"], parent: undefined } }) },
                }),
        );
        const pool = named(merged, "app-pool");
        expect(pool.options).to.include({ protect: true });
        expect(pool.options!.ignoreChanges).to.deep.equal(["tags"]);
        expect(pool.dependencies).to.include(named(merged, "app-pool-guard").urn);
        expect(pool.urn).to.equal(named(kept, "app-pool").urn);
        const off = await run(
            () => new CognitoUserPool("app", { transform: { userPool: (_args, opts) => ({ opts: { ...opts, protect: false } }) } }),
        );
        expect(named(off, "app-pool").options!.protect).to.not.equal(true);
    });

    it("each child gets its own dependsOn: a transform adding to one child's leaves the other's alone", async function () {
        const result = await run(
            () =>
                new CognitoAuth("all", {
                    transform: {
                        userPool: (_args, opts) => void (opts.dependsOn as pulumi.Resource[]).push(extra!),
                    },
                }),
        );
        const guard = named(result, "all-pool-guard").urn;
        expect(named(result, "all-identities").dependencies).to.include(guard);
        expect(named(result, "all-identities").dependencies).to.not.include(named(result, "extra").urn);
        expect(named(result, "all-pool").dependencies).to.include(named(result, "extra").urn);
    });
});

describe("components on their own: what each refuses that is not its own", function () {
    beforeEach(() => recordRegistrations());

    it("CognitoAuth refuses userPoolId (it would make a pool and ignore the id), naming CognitoUsers", function () {
        expect(() => new CognitoAuth("all", { userPoolId: "us-east-1_AbC123xyz", users: {} } as any)).to.throw(
            /userPoolId: is not an argument of CognitoAuth \(for the users of a pool made elsewhere, use CognitoUsers\)/,
        );
    });

    it("CognitoIdentity refuses a user-pool setting it would ignore; CognitoUserPool an identity one", function () {
        expect(() => new CognitoIdentity("ids", { userPool: { id: "eu-central-1_Other9", clientId: "c" }, mfa: "ON" } as any)).to.throw(
            "mfa: is not an argument of CognitoIdentity; it takes identityPoolName, allowUnauthenticatedIdentities, authenticatedPolicyArns, unauthenticatedPolicyArns, deletionProtection",
        );
        expect(() => new CognitoUserPool("app", { allowUnauthenticatedIdentities: true } as any)).to.throw(
            "allowUnauthenticatedIdentities: is not an argument of CognitoUserPool",
        );
    });

    it("CognitoUserPool gives its password rules and custom attributes for CognitoUsers", function () {
        const pool = new CognitoUserPool("app", { passwordPolicy: { minimumLength: 16 }, customAttributes: ["team"] });
        expect(pool.passwordRules).to.deep.equal({
            minimumLength: 16,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: true,
        });
        expect(pool.customAttributes).to.deep.equal(["team"]);
        const short = "Short#Pass-123"; // 14 characters: Cognito's default allows it, this pool does not
        expect(
            () =>
                new CognitoUsers("team", {
                    userPoolId: pool.userPool.id,
                    passwordPolicy: pool.passwordRules,
                    customAttributes: pool.customAttributes,
                    users: { carol: { attributes: { "custom:dept": "x" } } },
                    passwords: { carol: short },
                }),
        ).to.throw(/users\.carol: .*custom:dept[\s\S]*passwords\.carol: .*16/);
    });
});
