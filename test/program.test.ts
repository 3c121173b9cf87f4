import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CognitoAuth } from "../components/cognitoAuth";
import { CognitoUsers } from "../components/users";
import { validateArgs } from "../components/validation";
import { cognitoDefaultPasswordRules } from "../providers/rules";
import { runtimeSettings } from "../lib/pulumiInternals";
import { ProgramRun, RecordedResource, isSecretValue, plain, projectName, promiseOf, runProgram } from "../harness/program";
import { expectNoLeak } from "../harness/leaks";

// Unit tests of the Pulumi program (index.ts) and the CognitoAuth component under the SDK's mocked
// runtime (DESIGN.md sections 2, 3 and 5): no engine, no AWS. Each test evaluates the program with
// a stack config and asserts on the resources it registers and the stack outputs it exports.

const types = {
    component: "cognito-auth:index:CognitoAuth",
    users: "cognito-auth:index:CognitoUsers",
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    identityPool: "aws:cognito/identityPool:IdentityPool",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    roleAttachment: "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
    group: "aws:cognito/userGroup:UserGroup",
    user: "pulumi-nodejs:dynamic/cognito-auth:CognitoUser",
};

/** Distinctive passwords that meet the default policy, so a leak anywhere is unambiguous. */
const passwords = { alice: "Alice#Secret-4217xq", bob: "Bob!Hidden-9930zk" };
const allTestPasswords = [...Object.values(passwords)];

/** Two users with groups and emails, plus whatever else the test needs. */
function twoUsers(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        users: {
            alice: { email: "alice@example.com", groups: ["admins", "staff"] },
            bob: { email: "bob@example.com", groups: ["staff"], attributes: { given_name: "Bob" } },
        },
        passwords,
        ...extra,
    };
}

/** Runs the program and returns the error it fails with (fails the test if it does not fail). */
async function programError(config: Record<string, unknown>, options?: Parameters<typeof runProgram>[1]): Promise<Error> {
    let run: ProgramRun | undefined;
    try {
        run = await runProgram(config, options);
    } catch (error) {
        expect(error).to.be.instanceOf(Error);
        return error as Error;
    }
    throw new Error(`expected the program to reject the config, but it registered ${run.resources.length} resources`);
}

function expectNoPassword(text: string, extra: string[] = []) {
    expectNoLeak(text, [...allTestPasswords, ...extra], "the text");
}

function parsePolicy(role: RecordedResource) {
    const text = plain(role.inputs.assumeRolePolicy);
    expect(text, `${role.name} assumeRolePolicy`).to.be.a("string");
    return JSON.parse(text);
}

function roleNamed(run: ProgramRun, name: string) {
    const role = run.byType(types.role).find((r) => r.name === name);
    expect(role, `role ${name}`).to.not.equal(undefined);
    return role!;
}

describe("program (mocked runtime)", function () {
    describe("resource graph", function () {
        it("registers each resource once, with its type, named from the component and parented to it", async function () {
            const run = await runProgram(
                twoUsers({
                    allowUnauthenticatedIdentities: true,
                    authenticatedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
                }),
            );
            const component = run.one(types.component);
            const c = component.name;
            expect(c).to.equal(projectName);
            expect(component.parent, "the component is a child of the stack").to.equal(undefined);
            expect(component.urn).to.equal(`urn:pulumi:dev::${projectName}::${types.component}::${c}`);

            const registered = run.resources.map((r) => `${r.type} ${r.name}`).sort();
            expect(registered).to.deep.equal(
                [
                    `${types.component} ${c}`,
                    `${types.pool} ${c}-pool`,
                    `${types.client} ${c}-client`,
                    `${types.identityPool} ${c}-identities`,
                    `${types.role} ${c}-authenticated`,
                    `${types.role} ${c}-unauthenticated`,
                    `${types.policyAttachment} ${c}-authenticated-policy-0`,
                    `${types.roleAttachment} ${c}-roles`,
                    `${types.group} ${c}-group-admins`,
                    `${types.group} ${c}-group-staff`,
                    `${types.user} ${c}-user-alice`,
                    `${types.user} ${c}-user-bob`,
                    `pulumi-nodejs:dynamic/cognito-auth:PoolGuard ${c}-pool-guard`,
                ].sort(),
            );

            for (const child of run.resources.filter((r) => r !== component)) {
                expect(child.parent, `parent of ${child.name}`).to.equal(component.urn);
                expect(child.urn, `urn of ${child.name}`).to.equal(
                    `urn:pulumi:dev::${projectName}::${types.component}$${child.type}::${child.name}`,
                );
                expect(run.parents.get(child.name)).to.equal(component.urn);
            }
        });

        it("keeps every logical name when cognito-auth:userPoolName changes, and names the pool and client from it", async function () {
            const before = await runProgram(twoUsers({}));
            const run = await runProgram(twoUsers({ userPoolName: "acme-auth" }));
            expect(run.one(types.component).name).to.equal(projectName);
            expect(run.resources.map((r) => r.urn).sort(), "same URNs as with the default name").to.deep.equal(
                before.resources.map((r) => r.urn).sort(),
            );
            expect(before.one(types.pool).inputs.name).to.equal(`${projectName}-dev`);
            expect(run.one(types.pool).inputs.name).to.equal("acme-auth");
            expect(run.one(types.client).inputs.name).to.equal("acme-auth-client");
            // The identity pool's name comes from the stack (test/component.replace.test.ts).
            expect(run.one(types.identityPool).inputs.identityPoolName).to.equal(`${projectName}-dev-identities`);
        });

        it("takes clientName and identityPoolName from config", async function () {
            const run = await runProgram(twoUsers({ clientName: "web-app", identityPoolName: "web-identities" }));
            expect(run.one(types.client).inputs.name).to.equal("web-app");
            expect(run.one(types.identityPool).inputs.identityPoolName).to.equal("web-identities");
        });

        it("exports the pool's ARN and registers the component's outputs (ids and role ARNs, no password)", async function () {
            const run = await runProgram(twoUsers({ allowUnauthenticatedIdentities: true }));
            const pool = run.one(types.pool);
            expect(run.outputs.userPoolArn).to.equal(pool.state.arn);
            const expected = {
                userPoolId: pool.id,
                userPoolClientId: run.one(types.client).id,
                identityPoolId: run.one(types.identityPool).id,
                authenticatedRoleArn: roleNamed(run, `${projectName}-authenticated`).state.arn,
                unauthenticatedRoleArn: roleNamed(run, `${projectName}-unauthenticated`).state.arn,
            };
            expect(run.one(types.component).registeredOutputs).to.deep.equal(expected);
            const { unauthenticatedRoleArn: _guest, ...withoutGuests } = expected;
            expect((await runProgram(twoUsers())).one(types.component).registeredOutputs).to.deep.equal(withoutGuests);
            const existingPool = await runProgram({ ...twoUsers(), userPoolId: "ap-northeast-1_AbC123xyz" });
            expect(existingPool.one(types.users).registeredOutputs).to.deep.equal({ userPoolId: "ap-northeast-1_AbC123xyz" });
        });

        it("parents every child of a directly constructed CognitoAuth to it (URN type chain)", async function () {
            pulumi.runtime.setMocks(
                {
                    newResource: (args) => ({
                        id: `${args.name}-id`,
                        state: {
                            ...args.inputs,
                            arn: `arn:aws:iam::123456789012:role/${args.name}`,
                            endpoint: `cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_direct`,
                        },
                    }),
                    call: (args) => {
                        throw new Error(`unexpected invoke ${args.token}`);
                    },
                },
                projectName,
                "unit",
                false,
            );
            const auth = new CognitoAuth("direct", {
                allowUnauthenticatedIdentities: true,
                users: { carol: { email: "carol@example.com", groups: ["ops"] } },
                passwords: { carol: pulumi.secret(passwords.alice) },
            });
            const children: [pulumi.Resource | undefined, string, string][] = [
                [auth.userPool, types.pool, "direct-pool"],
                [auth.userPoolClient, types.client, "direct-client"],
                [auth.identityPool, types.identityPool, "direct-identities"],
                [auth.authenticatedRole, types.role, "direct-authenticated"],
                [auth.unauthenticatedRole, types.role, "direct-unauthenticated"],
                [auth.roleAttachment, types.roleAttachment, "direct-roles"],
                [auth.groups.ops, types.group, "direct-group-ops"],
                [auth.users.carol, types.user, "direct-user-carol"],
            ];
            expect(await promiseOf(auth.urn)).to.equal(`urn:pulumi:unit::${projectName}::${types.component}::direct`);
            for (const [child, type, name] of children) {
                expect(child, name).to.not.equal(undefined);
                expect(await promiseOf(child!.urn)).to.equal(`urn:pulumi:unit::${projectName}::${types.component}$${type}::${name}`);
            }
        });

        it("makes a user's password a secret even when CognitoAuth is given it as a plain string", async function () {
            const inputs: Record<string, any> = {};
            pulumi.runtime.setMocks(
                {
                    newResource: (args) => {
                        inputs[args.name] = args.inputs;
                        return { id: `${args.name}-id`, state: args.inputs };
                    },
                    call: (args) => {
                        throw new Error(`unexpected invoke ${args.token}`);
                    },
                },
                projectName,
                "unit",
                false,
            );
            const auth = new CognitoAuth("direct", {
                users: { carol: { email: "carol@example.com" } },
                passwords: { carol: passwords.alice },
            });
            await promiseOf(auth.users.carol.urn);
            await runtimeSettings().waitForRPCs();
            const user = inputs["direct-user-carol"];
            expect(user, "the user was registered").to.not.equal(undefined);
            expect(isSecretValue(user.password)).to.equal(true);
            expect(plain(user.password)).to.equal(passwords.alice);
        });

        it("CognitoAuth itself rejects invalid arguments, naming the user and never the password", async function () {
            pulumi.runtime.setMocks(
                {
                    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
                    call: (args) => {
                        throw new Error(`unexpected invoke ${args.token}`);
                    },
                },
                projectName,
                "unit",
                false,
            );
            expect(
                () =>
                    new CognitoAuth("direct", {
                        users: { dave: { email: "dave@example.com" } },
                        passwords: { erin: passwords.alice },
                    }),
            )
                .to.throw(
                    /CognitoAuth "direct" has invalid arguments[\s\S]*users\.dave: has no password[\s\S]*passwords\.erin: password for a user that is not in/,
                )
                .with.property("message")
                .that.does.not.include(passwords.alice);
        });
    });

    describe("app client", function () {
        it("allows exactly password, SRP and refresh-token sign-in, hides whether a user exists, revokes tokens, belongs to the pool and has no secret by default", async function () {
            const run = await runProgram(twoUsers());
            const client = run.one(types.client);
            // Every input, exactly: an extra auth flow (ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH),
            // user-existence errors (LEGACY lets anyone enumerate users) or no token revocation is a hole.
            expect(client.inputs).to.deep.equal({
                name: `${projectName}-dev-client`,
                userPoolId: run.one(types.pool).id,
                generateSecret: false,
                // Choice-based sign-in (USER_AUTH) too: the default plan, ESSENTIALS, has it.
                explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"],
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                accessTokenValidity: 60,
                idTokenValidity: 60,
                refreshTokenValidity: 30,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
            });
            expect(run.outputs.userPoolClientId).to.equal(client.id);
            expect(run.outputs.clientSecret).to.equal(undefined);
            expect(run.secretOutputs).to.not.include("clientSecret");
        });

        it("with generateClientSecret: true generates a secret and exports it only as a Pulumi secret", async function () {
            const run = await runProgram(twoUsers({ generateClientSecret: true }));
            expect(run.one(types.client).inputs.generateSecret).to.equal(true);
            expect(run.outputs.clientSecret).to.equal("fake-client-secret");
            expect(run.secretOutputs).to.include("clientSecret");
        });

        it("sets token validity from config", async function () {
            const run = await runProgram(twoUsers({ tokenValidity: { accessTokenMinutes: 15, refreshTokenDays: 7 } }));
            const client = run.one(types.client);
            expect(client.inputs.accessTokenValidity).to.equal(15);
            expect(client.inputs.idTokenValidity).to.equal(60);
            expect(client.inputs.refreshTokenValidity).to.equal(7);
            expect(client.inputs.tokenValidityUnits).to.deep.equal({ accessToken: "minutes", idToken: "minutes", refreshToken: "days" });
        });
    });

    describe("identity pool", function () {
        it("trusts exactly the app client of the pool, with server-side token check and no classic flow", async function () {
            const run = await runProgram(twoUsers());
            const pool = run.one(types.pool);
            const client = run.one(types.client);
            const identityPool = run.one(types.identityPool);
            expect(identityPool.inputs.cognitoIdentityProviders).to.have.lengthOf(1);
            const [provider] = identityPool.inputs.cognitoIdentityProviders;
            expect(provider.clientId).to.equal(client.id);
            expect(provider.providerName).to.equal(pool.state.endpoint);
            expect(provider.providerName).to.equal(`cognito-idp.ap-northeast-1.amazonaws.com/${pool.id}`);
            expect(provider.serverSideTokenCheck).to.equal(true);
            expect(identityPool.inputs.allowClassicFlow).to.equal(false);
            expect(identityPool.inputs.allowUnauthenticatedIdentities).to.equal(false);
            expect(run.outputs.identityPoolId).to.equal(identityPool.id);
            expect(run.outputs.userPoolId).to.equal(pool.id);
            expect(run.outputs.region).to.equal("ap-northeast-1");
        });
    });

    describe("IAM roles", function () {
        for (const kind of ["authenticated", "unauthenticated"] as const) {
            it(`the ${kind} role may be assumed only by ${kind} identities of this identity pool`, async function () {
                const run = await runProgram(twoUsers({ allowUnauthenticatedIdentities: true }));
                const identityPoolId = run.one(types.identityPool).id;
                const policy = parsePolicy(roleNamed(run, `${projectName}-${kind}`));
                expect(policy.Version).to.equal("2012-10-17");
                expect(policy.Statement).to.have.lengthOf(1);
                const [statement] = policy.Statement;
                expect(statement.Effect).to.equal("Allow");
                expect(statement.Principal).to.deep.equal({ Federated: "cognito-identity.amazonaws.com" });
                expect(statement.Action).to.equal("sts:AssumeRoleWithWebIdentity");
                expect(statement.Condition).to.deep.equal({
                    StringEquals: { "cognito-identity.amazonaws.com:aud": identityPoolId },
                    "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": kind },
                });
            });
        }

        it("carry no permissions by default: no inline policies, managed policies or attachments", async function () {
            const run = await runProgram(twoUsers({ allowUnauthenticatedIdentities: true }));
            const roles = run.byType(types.role);
            expect(roles).to.have.lengthOf(2);
            for (const role of roles) {
                expect(role.inputs.inlinePolicies ?? [], role.name).to.deep.equal([]);
                expect(role.inputs.managedPolicyArns ?? [], role.name).to.deep.equal([]);
            }
            expect(run.byType(types.policyAttachment)).to.deep.equal([]);
            expect(run.byType(types.rolePolicy)).to.deep.equal([]);
        });

        it("are exactly a description and the trust policy", async function () {
            const run = await runProgram(twoUsers({ allowUnauthenticatedIdentities: true }));
            const identityPoolId = run.one(types.identityPool).id;
            for (const kind of ["authenticated", "unauthenticated"] as const) {
                const role = roleNamed(run, `${projectName}-${kind}`);
                expect(Object.keys(role.inputs).sort(), role.name).to.deep.equal(["assumeRolePolicy", "description"]);
                expect(role.inputs.description).to.equal(`Assumed by ${kind} identities of the Cognito identity pool of ${projectName}`);
                expect(parsePolicy(role).Statement[0].Condition.StringEquals["cognito-identity.amazonaws.com:aud"]).to.equal(
                    identityPoolId,
                );
            }
        });

        it("attach authenticatedPolicyArns / unauthenticatedPolicyArns to the right role", async function () {
            const authArns = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::123456789012:policy/app-read"];
            const guestArns = ["arn:aws:iam::123456789012:policy/guest-read"];
            const run = await runProgram(
                twoUsers({
                    allowUnauthenticatedIdentities: true,
                    authenticatedPolicyArns: authArns,
                    unauthenticatedPolicyArns: guestArns,
                }),
            );
            const authRole = roleNamed(run, `${projectName}-authenticated`);
            const guestRole = roleNamed(run, `${projectName}-unauthenticated`);
            const attachments = run.byType(types.policyAttachment);
            expect(attachments).to.have.lengthOf(3);
            const attached = (role: RecordedResource) =>
                attachments
                    .filter((a) => a.inputs.role === role.state.name)
                    .map((a) => a.inputs.policyArn)
                    .sort();
            expect(attached(authRole)).to.deep.equal([...authArns].sort());
            expect(attached(guestRole)).to.deep.equal(guestArns);
        });
    });

    describe("policy ARNs", function () {
        it("accepts AWS-managed and account policies in every partition, with paths", async function () {
            const arns = [
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                "arn:aws-cn:iam::123456789012:policy/app-read",
                "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaRole",
                "arn:aws:iam::123456789012:policy/team/app/read",
            ];
            const run = await runProgram(twoUsers({ authenticatedPolicyArns: arns }));
            expect(run.byType(types.policyAttachment).map((a) => a.inputs.policyArn)).to.deep.equal(arns);
            expect(run.byType(types.policyAttachment).map((a) => a.name)).to.deep.equal(
                arns.map((_, i) => `${projectName}-authenticated-policy-${i}`),
            );
        });

        it("an empty unauthenticatedPolicyArns needs no guests", async function () {
            const run = await runProgram(twoUsers({ unauthenticatedPolicyArns: [] }));
            expect(run.byType(types.role)).to.have.lengthOf(1);
        });
    });

    describe("role attachment", function () {
        it("maps authenticated and unauthenticated identities to their roles when guests are allowed", async function () {
            const run = await runProgram(twoUsers({ allowUnauthenticatedIdentities: true }));
            const attachment = run.one(types.roleAttachment);
            const authRole = roleNamed(run, `${projectName}-authenticated`);
            const guestRole = roleNamed(run, `${projectName}-unauthenticated`);
            expect(attachment.inputs.identityPoolId).to.equal(run.one(types.identityPool).id);
            expect(attachment.inputs.roles).to.deep.equal({ authenticated: authRole.state.arn, unauthenticated: guestRole.state.arn });
            expect(run.one(types.identityPool).inputs.allowUnauthenticatedIdentities).to.equal(true);
            expect(run.outputs.authenticatedRoleArn).to.equal(authRole.state.arn);
            expect(run.outputs.unauthenticatedRoleArn).to.equal(guestRole.state.arn);
        });

        it("without guests has no unauthenticated role, mapping or output", async function () {
            const run = await runProgram(twoUsers());
            const roles = run.byType(types.role);
            expect(roles.map((r) => r.name)).to.deep.equal([`${projectName}-authenticated`]);
            const attachment = run.one(types.roleAttachment);
            expect(attachment.inputs.roles).to.deep.equal({ authenticated: roles[0].state.arn });
            expect(run.outputs.authenticatedRoleArn).to.equal(roles[0].state.arn);
            expect(run.outputs.unauthenticatedRoleArn).to.equal(undefined);
        });
    });

    describe("user pool", function () {
        it("has secure defaults", async function () {
            const run = await runProgram(twoUsers());
            // Every input, exactly: a setting dropped or weakened (self sign-up, a changed email taking
            // effect unverified, a longer-lived temporary password...) fails here.
            expect(run.one(types.pool).inputs).to.deep.equal({
                name: `${projectName}-dev`,
                usernameConfiguration: { caseSensitive: false },
                passwordPolicy: {
                    minimumLength: 12,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: true,
                    temporaryPasswordValidityDays: 7,
                },
                mfaConfiguration: "OPTIONAL",
                softwareTokenMfaConfiguration: { enabled: true },
                autoVerifiedAttributes: ["email"],
                userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
                accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
                adminCreateUserConfig: { allowAdminCreateUserOnly: true },
                deletionProtection: "ACTIVE",
                userPoolTier: "ESSENTIALS",
                userPoolAddOns: { advancedSecurityMode: "OFF" },
                emailConfiguration: { emailSendingAccount: "COGNITO_DEFAULT" },
                signInPolicy: { allowedFirstAuthFactors: ["PASSWORD"] },
                schemas: [],
            });
        });

        it("takes temporaryPasswordValidityDays from config, 0 to 365", async function () {
            const run = await runProgram(twoUsers({ passwordPolicy: { temporaryPasswordValidityDays: 1 } }));
            expect(run.one(types.pool).inputs.passwordPolicy.temporaryPasswordValidityDays).to.equal(1);
            for (const days of [0, 365]) {
                const edge = await runProgram(twoUsers({ passwordPolicy: { temporaryPasswordValidityDays: days } }));
                expect(edge.one(types.pool).inputs.passwordPolicy.temporaryPasswordValidityDays).to.equal(days);
            }
            for (const days of [-1, 366, 1.5]) {
                const error = await programError(twoUsers({ passwordPolicy: { temporaryPasswordValidityDays: days } }));
                expect(error.message).to.include(
                    "cognito-auth:passwordPolicy.temporaryPasswordValidityDays: must be a whole number from 0 to 365",
                );
            }
        });

        it("mfa OFF turns MFA and the TOTP factor off", async function () {
            const pool = (await runProgram(twoUsers({ mfa: "OFF" }))).one(types.pool).inputs;
            expect(pool.mfaConfiguration).to.equal("OFF");
            expect(pool.softwareTokenMfaConfiguration?.enabled ?? false).to.equal(false);
        });

        it("mfa ON requires MFA with the TOTP factor enabled", async function () {
            const pool = (await runProgram(twoUsers({ mfa: "ON" }))).one(types.pool).inputs;
            expect(pool.mfaConfiguration).to.equal("ON");
            expect(pool.softwareTokenMfaConfiguration).to.deep.equal({ enabled: true });
        });

        it("deletionProtection false makes the pool deletable", async function () {
            const pool = (await runProgram(twoUsers({ deletionProtection: false }))).one(types.pool).inputs;
            expect(pool.deletionProtection).to.equal("INACTIVE");
        });

        it("takes the password policy from config and checks passwords against it", async function () {
            const run = await runProgram({
                users: { alice: { email: "alice@example.com" } },
                passwords: { alice: "lowercaseonly" },
                passwordPolicy: { minimumLength: 8, requireUppercase: false, requireNumbers: false, requireSymbols: false },
            });
            expect(run.one(types.pool).inputs.passwordPolicy).to.deep.equal({
                minimumLength: 8,
                requireLowercase: true,
                requireUppercase: false,
                requireNumbers: false,
                requireSymbols: false,
                temporaryPasswordValidityDays: 7,
            });
            expect(run.one(types.user).inputs.passwordPolicy).to.deep.equal({
                minimumLength: 8,
                requireLowercase: true,
                requireUppercase: false,
                requireNumbers: false,
                requireSymbols: false,
            });
            // The classes left on are still checked.
            const error = await programError({
                users: { alice: { email: "alice@example.com" } },
                passwords: { alice: "UPPERCASEONLY" },
                passwordPolicy: { minimumLength: 8, requireUppercase: false, requireNumbers: false, requireSymbols: false },
            });
            expect(error.message).to.match(/cognito-auth:passwords\.alice: password must contain a lowercase letter/);
            expect(error.message.split("\n"), "one problem only").to.have.lengthOf(2);
        });

        it("a stricter passwordPolicy refuses passwords the default policy accepts", async function () {
            // passwords.alice meets the default policy (12 characters, four classes): 19 characters.
            const longer = await programError(twoUsers({ passwordPolicy: { minimumLength: 20 } }));
            expect(longer.message).to.match(/^ {2}- cognito-auth:passwords\.alice: password must be at least 20 characters long$/m);
            expect(longer.message).to.match(/^ {2}- cognito-auth:passwords\.bob: password must be at least 20 characters long$/m);
            expectNoPassword(longer.message);
            const accepted = await runProgram({ ...twoUsers({ passwordPolicy: { minimumLength: 17 } }) });
            expect(accepted.one(types.pool).inputs.passwordPolicy.minimumLength).to.equal(17);

            // With the classes off by default in a policy, turning one on refuses a password without it.
            const lax = {
                minimumLength: 8,
                requireLowercase: false,
                requireUppercase: false,
                requireNumbers: false,
                requireSymbols: false,
            };
            const config = (password: string, policy: Record<string, unknown>) => ({
                users: { alice: { email: "alice@example.com" } },
                passwords: { alice: password },
                passwordPolicy: { ...lax, ...policy },
            });
            const cases: [Record<string, unknown>, string, string, RegExp][] = [
                [{ requireLowercase: true }, "NOLOWERCASE", "NOLOWERCASe", /must contain a lowercase letter/],
                [{ requireUppercase: true }, "nouppercase", "nouppercasE", /must contain an uppercase letter/],
                [{ requireNumbers: true }, "nonumbers", "nonumbers1", /must contain a number/],
                [{ requireSymbols: true }, "nosymbols", "no symbols", /must contain a symbol/],
            ];
            for (const [policy, refused, fine, pattern] of cases) {
                const error = await programError(config(refused, policy));
                expect(error.message, JSON.stringify(policy)).to.match(pattern);
                expect(error.message.split("\n"), `${JSON.stringify(policy)}: one problem only`).to.have.lengthOf(2);
                expectNoPassword(error.message, [refused]);
                const run = await runProgram(config(fine, policy));
                expect(run.one(types.user).inputs.passwordPolicy).to.deep.equal({ ...lax, ...policy });
                expect((await runProgram(config(refused, {}))).byType(types.user), "the same password without the rule").to.have.lengthOf(
                    1,
                );
            }
        });

        it("minimumLength is 6 to 99, as in Cognito", async function () {
            const longest = `Aa1#${"x".repeat(95)}`;
            const run = await runProgram({
                users: { alice: { email: "alice@example.com" } },
                passwords: { alice: longest },
                passwordPolicy: { minimumLength: 99 },
            });
            expect(run.one(types.pool).inputs.passwordPolicy.minimumLength).to.equal(99);
            expect(run.one(types.user).inputs.passwordPolicy.minimumLength).to.equal(99);
            const shortest = await runProgram({
                users: { alice: { email: "alice@example.com" } },
                passwords: { alice: "Aa1#xy" },
                passwordPolicy: { minimumLength: 6 },
            });
            expect(shortest.one(types.pool).inputs.passwordPolicy.minimumLength).to.equal(6);
            for (const minimumLength of [5, 100, 12.5, "12"]) {
                const error = await programError(twoUsers({ passwordPolicy: { minimumLength } }));
                expect(error.message, String(minimumLength)).to.include(
                    "\n  - cognito-auth:passwordPolicy.minimumLength: must be a whole number from 6 to 99",
                );
                // A refused value is not used to check the passwords (they are checked against the default).
                expect(error.message.split("\n"), `${minimumLength}: one problem only`).to.have.lengthOf(2);
            }
        });

        it("declares customAttributes in the schema and lets users set them", async function () {
            const run = await runProgram({
                users: { alice: { email: "alice@example.com", attributes: { "custom:tenant": "acme" } } },
                passwords: { alice: passwords.alice },
                customAttributes: ["tenant"],
            });
            const schemas = run.one(types.pool).inputs.schemas;
            expect(schemas).to.deep.equal([
                {
                    name: "tenant",
                    attributeDataType: "String",
                    mutable: true,
                    developerOnlyAttribute: false,
                    required: false,
                    stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
                },
            ]);
            expect(run.one(types.user).inputs.attributes).to.include({ "custom:tenant": "acme" });
            // Names of 1 to 20 letters, digits, "_" and "-".
            const longest = "Ab_9-".repeat(4);
            const many = await runProgram({
                users: { alice: { email: "alice@example.com", attributes: { [`custom:${longest}`]: "x", "custom:t": "y" } } },
                passwords: { alice: passwords.alice },
                customAttributes: [longest, "t"],
            });
            expect(many.one(types.pool).inputs.schemas.map((schema: { name: string }) => schema.name)).to.deep.equal([longest, "t"]);
        });
    });

    describe("users", function () {
        it("registers one CognitoUser per configured user, with a secret password and one shared provider", async function () {
            const run = await runProgram(twoUsers());
            const poolId = run.one(types.pool).id;
            const users = run.byType(types.user);
            expect(users.map((u) => u.inputs.username).sort()).to.deep.equal(["alice", "bob"]);
            for (const user of users) {
                const username = user.inputs.username as "alice" | "bob";
                expect(user.name).to.equal(`${projectName}-user-${username}`);
                expect(user.inputs.userPoolId).to.equal(poolId);
                expect(user.inputs.attributes).to.include({ email: `${username}@example.com`, email_verified: "true" });
                expect(user.inputs.enabled).to.equal(true);
                expect(isSecretValue(user.inputs.password), `${username}'s password is a secret`).to.equal(true);
                expect(plain(user.inputs.password)).to.equal(passwords[username]);
                expect(plain(user.inputs.__provider)).to.be.a("string").and.to.have.length.greaterThan(100);
            }
            expect(users[0].inputs.attributes.given_name ?? users[1].inputs.attributes.given_name).to.equal("Bob");
            expect(plain(users[0].inputs.__provider), "all users share one serialized provider").to.equal(
                plain(users[1].inputs.__provider),
            );
            expect(run.outputs.users).to.deep.equal({
                alice: { sub: "sub-alice", status: "CONFIRMED" },
                bob: { sub: "sub-bob", status: "CONFIRMED" },
            });
        });

        it("creates one UserGroup per distinct group and lists each user's groups", async function () {
            const run = await runProgram(twoUsers());
            const groups = run.byType(types.group);
            expect(groups.map((g) => g.inputs.name).sort()).to.deep.equal(["admins", "staff"]);
            for (const group of groups) expect(group.inputs.userPoolId).to.equal(run.one(types.pool).id);
            const byName = Object.fromEntries(run.byType(types.user).map((u) => [u.inputs.username, u.inputs]));
            expect(byName.alice.groups).to.deep.equal(["admins", "staff"]);
            expect(byName.bob.groups).to.deep.equal(["staff"]);
        });

        it("declares each user after the groups it joins (dependsOn), in a created and in an existing pool", async function () {
            for (const config of [twoUsers(), { ...twoUsers(), userPoolId: "ap-northeast-1_AbC123xyz" }]) {
                const run = await runProgram(config);
                const groupUrn = (name: string) => run.byType(types.group).find((g) => g.inputs.name === name)!.urn!;
                const user = (name: string) => run.byType(types.user).find((u) => u.inputs.username === name)!;
                const groupUrns = run.byType(types.group).map((g) => g.urn);
                expect(groupUrns, "group URNs recorded").to.have.lengthOf(2).and.not.include(undefined);
                const groupDependencies = (name: string) =>
                    user(name)
                        .dependencies!.filter((urn) => groupUrns.includes(urn))
                        .sort();
                expect(groupDependencies("alice"), "alice (admins, staff)").to.deep.equal([groupUrn("admins"), groupUrn("staff")].sort());
                expect(groupDependencies("bob"), "bob (staff)").to.deep.equal([groupUrn("staff")]);
                if (config.userPoolId) {
                    // The pool id is plain text here, so the groups are all a user depends on.
                    expect(user("bob").dependencies).to.deep.equal([groupUrn("staff")]);
                } else {
                    expect(user("bob").dependencies).to.include(run.one(types.pool).urn);
                }
            }
            const alone = await runProgram({
                users: { carol: { email: "carol@example.com" } },
                passwords: { carol: passwords.alice },
                userPoolId: "ap-northeast-1_AbC123xyz",
            });
            expect(alone.one(types.user).dependencies, "no groups, no dependencies").to.deep.equal([]);
        });

        it("passes enabled: false and registers no groups when none are configured", async function () {
            const run = await runProgram({
                users: { alice: { email: "alice@example.com", enabled: false } },
                passwords: { alice: passwords.alice },
            });
            expect(run.one(types.user).inputs.enabled).to.equal(false);
            expect(run.one(types.user).inputs.groups).to.deep.equal([]);
            expect(run.byType(types.group)).to.deep.equal([]);
        });

        it("passes adoptExistingUsers to every user (off by default)", async function () {
            const off = await runProgram(twoUsers());
            expect(off.byType(types.user).map((u) => u.inputs.adoptExisting)).to.deep.equal([false, false]);
            const on = await runProgram(twoUsers({ adoptExistingUsers: true }));
            expect(on.byType(types.user).map((u) => u.inputs.adoptExisting)).to.deep.equal([true, true]);
        });

        it("turns attribute values that config stores as booleans and numbers back into Cognito's strings", async function () {
            const run = await runProgram({
                users: {
                    alice: {
                        email: "alice@example.com",
                        attributes: {
                            phone_number: "+81312345678",
                            phone_number_verified: true,
                            updated_at: 1700000000,
                            email_verified: false,
                        },
                    },
                },
                passwords: { alice: passwords.alice },
            });
            // An explicit attribute wins over the email_verified that email implies.
            expect(run.one(types.user).inputs.attributes).to.deep.equal({
                email: "alice@example.com",
                email_verified: "false",
                phone_number: "+81312345678",
                phone_number_verified: "true",
                updated_at: "1700000000",
            });
        });

        it("a user without email has only the attributes given", async function () {
            const run = await runProgram({ users: { alice: { attributes: { name: "Alice" } } }, passwords: { alice: passwords.alice } });
            expect(run.one(types.user).inputs.attributes).to.deep.equal({ name: "Alice" });
        });

        it("registers no users or groups when none are configured", async function () {
            const run = await runProgram({});
            expect(run.byType(types.user)).to.deep.equal([]);
            expect(run.byType(types.group)).to.deep.equal([]);
            expect(run.outputs.users).to.deep.equal({});
        });

        // Pinned by mutation testing (docs/mutation-testing.md): no other test fixes the order.
        it("groups are declared in name order, whatever order the users name them in", async function () {
            const run = await runProgram({
                users: { zoe: { groups: ["staff", "admins"] }, adam: { groups: ["beta"] } },
                passwords: { zoe: passwords.alice, adam: passwords.bob },
            });
            expect(run.byType(types.group).map((g) => g.inputs.name)).to.deep.equal(["admins", "beta", "staff"]);
        });
    });

    describe("no password leaves the secret path", function () {
        it("stack outputs, non-password inputs and states and the provider text never contain a password", async function () {
            const run = await runProgram(twoUsers({ allowUnauthenticatedIdentities: true, generateClientSecret: true }));
            expectNoPassword(JSON.stringify(run.outputs));
            for (const resource of run.resources) {
                const { password: _in, __provider, ...inputs } = resource.inputs;
                const { password: _out, __provider: _p, ...state } = resource.state;
                expectNoPassword(JSON.stringify(inputs));
                expectNoPassword(JSON.stringify(state));
                if (__provider !== undefined) expectNoPassword(String(plain(__provider)));
            }
            // The check above must have had something to look at.
            expect(run.byType(types.user)).to.have.lengthOf(2);
        });
    });

    // The reader and every rule of the settings: test/stackConfig.test.ts. Here what index.ts does around it.
    describe("stack config, as index.ts reads it", function () {
        it("refuses to run on the reader's problems (the engine's secret list passed on): each on its own line, no password in the message or stack", async function () {
            const config = {
                users: { alice: { email: "alice@example.com" }, bob: { email: "bob@example.com" } },
                passwords: { alice: passwords.alice },
                userPoolNme: "oops",
            };
            const error = await programError(config, { secretKeys: [], stack: "prod" });
            expect(error.message.split("\n")).to.deep.equal([
                "Invalid stack configuration for cognito-auth/prod:",
                "  - cognito-auth:userPoolNme: unknown setting; known: userPoolId, userPoolName, clientName, identityPoolName, " +
                    "allowUnauthenticatedIdentities, users, passwords, groups, mfa, featurePlan, threatProtection, signInFactors, webAuthn, " +
                    "emailSender, passwordPolicy, deletionProtection, generateClientSecret, " +
                    "tokenValidity, customAttributes, authenticatedPolicyArns, unauthenticatedPolicyArns, adoptExistingUsers, userPoolClientId",
                "  - cognito-auth:passwords.alice: is stored in plain text; set it again as a secret: pulumi config set --secret --path 'passwords.alice' -- '<password>'",
                "  - cognito-auth:users.bob: has no password; set one with: pulumi config set --secret --path 'passwords.bob' -- '<password>'",
            ]);
            expectNoPassword(error.message);
            expectNoPassword(String(error.stack));
        });

        it("passes aws:region on: an existing pool in another region is refused", async function () {
            const error = await programError({ ...twoUsers(), userPoolId: "us-east-1_AbC123xyz" });
            expect(error.message.split("\n").slice(1)).to.deep.equal([
                "  - cognito-auth:userPoolId: the pool is in us-east-1 (its id starts with its region), but aws:region is ap-northeast-1; set aws:region to us-east-1, or name a pool in ap-northeast-1",
            ]);
        });

        describe("the stack file", function () {
            const secure = "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

            /**
             * Runs `body` with the runtime's root directory holding a project file and `stackFile`
             * (Pulumi.dev.yaml; a function makes it some other way), and what the program warned.
             * The mocked runtime's root directory is relative, so it is made under a fresh working directory.
             */
            async function withStackFile<T>(stackFile: string | ((file: string) => void), body: () => Promise<T>) {
                const root = pulumi.runtime.getRootDirectory();
                expect(path.isAbsolute(root), `the mocked runtime's root directory (${root}) is relative`).to.equal(false);
                const cwd = process.cwd();
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-root-"));
                const warnings: string[] = [];
                const warn = console.warn;
                try {
                    fs.mkdirSync(path.join(dir, root), { recursive: true });
                    fs.writeFileSync(path.join(dir, root, "Pulumi.yaml"), `name: ${projectName}\nruntime: nodejs\n`);
                    const file = path.join(dir, root, "Pulumi.dev.yaml");
                    if (typeof stackFile === "string") fs.writeFileSync(file, stackFile);
                    else stackFile(file);
                    process.chdir(dir);
                    console.warn = (...args: unknown[]) => {
                        warnings.push(args.join(" "));
                    };
                    return { result: await body(), warnings };
                } finally {
                    console.warn = warn;
                    process.chdir(cwd);
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            }

            it("is read from the runtime's root directory: a plain password beside a secret one is refused", async function () {
                const file = `config:\n  ${projectName}:passwords:\n    alice:\n      secure: ${secure}\n    bob: ${passwords.bob}\n`;
                const { result: error } = await withStackFile(file, () => programError(twoUsers()));
                expect(error.message.split("\n").slice(1)).to.deep.equal([
                    "  - cognito-auth:passwords.bob: is stored in plain text; set it again as a secret: pulumi config set --secret --path 'passwords.bob' -- '<password>'",
                ]);
                expectNoPassword(error.message);
                // The same config without the file runs: the file is what was read.
                expect((await runProgram(twoUsers())).byType(types.user)).to.have.lengthOf(2);
            });

            const unreadable: [string, string | ((file: string) => void), string][] = [
                ["a directory", (file) => fs.mkdirSync(file), "EISDIR"],
                // The YAML reader's error quotes the line, here a password: only that it is no YAML is said.
                ["not YAML", `config:\n  ${projectName}:passwords:\n    bob: [${passwords.bob}\n`, "not YAML this check can read"],
            ];
            for (const [what, stackFile, reason] of unreadable) {
                it(`that cannot be read (${what}): warns through pulumi.log with the reason only, and runs`, async function () {
                    const { result: run, warnings } = await withStackFile(stackFile, () => runProgram(twoUsers()));
                    expect(warnings).to.deep.equal([
                        `warning: [runtime] cognito-auth:passwords: could not read the stack's config file to check that each password is stored as a secret (${reason})`,
                    ]);
                    const users = run.byType(types.user);
                    expect(users).to.have.lengthOf(2);
                    for (const user of users) expect(isSecretValue(user.inputs.password), user.name).to.equal(true);
                });
            }
        });
    });

    describe("names from config that are Object.prototype members", function () {
        // Built with JSON.parse: an object literal's `__proto__:` would set the prototype, not a key.
        const names = ["__proto__", "constructor", "toString"];
        const config = () => ({
            users: JSON.parse(
                `{${names.map((name, i) => `"${name}": { "email": "u${i}@example.com", "groups": ["${name}"] }`).join(", ")}}`,
            ),
            passwords: JSON.parse(`{${names.map((name, i) => `"${name}": "Proto#Name-${i}secret"`).join(", ")}}`),
        });

        it("declares a CognitoUser with its own password and a UserGroup for usernames and group names __proto__, constructor, toString", async function () {
            const warnings: string[] = [];
            const warn = console.warn;
            console.warn = (...args: unknown[]) => {
                warnings.push(args.join(" "));
            };
            let run: ProgramRun;
            try {
                run = await runProgram(config());
            } finally {
                console.warn = warn;
            }
            const users = run.byType(types.user);
            // Resource names hold the case-folded username (a case-only rename keeps the URN).
            expect(users.map((u) => u.name).sort()).to.deep.equal(names.map((name) => `${projectName}-user-${name.toLowerCase()}`).sort());
            for (const [i, name] of names.entries()) {
                const user = users.find((u) => u.inputs.username === name);
                expect(user, `user ${name}`).to.not.equal(undefined);
                expect(isSecretValue(user!.inputs.password), `${name}'s password is a secret`).to.equal(true);
                expect(plain(user!.inputs.password), `${name}'s password`).to.equal(`Proto#Name-${i}secret`);
                expect(user!.inputs.groups).to.deep.equal([name]);
                expect(user!.inputs.attributes).to.deep.equal({ email: `u${i}@example.com`, email_verified: "true" });
            }
            expect(
                run
                    .byType(types.group)
                    .map((g) => g.inputs.name)
                    .sort(),
            ).to.deep.equal([...names].sort());
            // The SDK cannot export a map key __proto__ (it would publish the user's sub and status
            // as users named "sub" and "status"): that user is left out of the output, with a warning.
            expect(Object.keys(run.outputs.users).sort()).to.deep.equal(["constructor", "toString"]);
            expect(Object.getPrototypeOf(run.outputs.users)).to.equal(Object.prototype);
            expect(run.outputs.users.constructor).to.deep.equal({ sub: "sub-constructor", status: "CONFIRMED" });
            expect(run.outputs.users.toString).to.deep.equal({ sub: "sub-toString", status: "CONFIRMED" });
            expect(warnings.join("\n")).to.match(/users\.__proto__ is left out of the users stack output/);
            expectNoPassword(
                JSON.stringify(run.outputs),
                names.map((_, i) => `Proto#Name-${i}secret`),
            );
        });
    });

    describe("existing user pool (cognito-auth:userPoolId)", function () {
        const poolId = "ap-northeast-1_AbC123xyz";
        const existing = (extra: Record<string, unknown> = {}) => ({ userPoolId: poolId, ...extra });
        const awsResources = (run: ProgramRun) =>
            run.resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("pulumi:providers:"));

        it("declares only the users component and the users, in that pool, with no @pulumi/aws resource or provider", async function () {
            const run = await runProgram(
                existing({
                    users: { alice: { email: "alice@example.com" }, bob: { email: "bob@example.com", attributes: { given_name: "Bob" } } },
                    passwords,
                }),
            );
            const c = projectName;
            expect(run.resources.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
                [`${types.users} ${c}`, `${types.user} ${c}-user-alice`, `${types.user} ${c}-user-bob`].sort(),
            );
            expect(awsResources(run)).to.deep.equal([]);
            const component = run.one(types.users);
            for (const user of run.byType(types.user)) {
                expect(user.inputs.userPoolId, user.name).to.equal(poolId);
                expect(user.parent, user.name).to.equal(component.urn);
                expect(isSecretValue(user.inputs.password), user.name).to.equal(true);
            }
        });

        it("keeps the URNs earlier versions gave: the users component is aliased to the CognitoAuth it was, its children follow", async function () {
            const config = { users: { alice: { email: "alice@example.com", groups: ["staff"] } }, passwords: { alice: passwords.alice } };
            const owned = await runProgram(config);
            const run = await runProgram(existing(config));
            const component = run.one(types.users);
            expect(component.options!.aliasList.map((alias) => alias.spec?.type)).to.deep.equal([types.component]);
            // With the alias the engine takes each child's URN under the old parent type as its earlier URN.
            const urns = (r: ProgramRun) =>
                r.resources
                    .filter((x) => x.type === types.user || x.type === types.group || x.type === types.component || x.type === types.users)
                    .map((x) =>
                        x.urn!.replace(`::${types.users}`, `::${types.component}`).replace(`${types.users}$`, `${types.component}$`),
                    )
                    .sort();
            expect(urns(run)).to.have.lengthOf(3);
            expect(urns(run)).to.deep.equal(urns(owned));
        });

        it("declares a UserGroup in that pool per group, and nothing else from @pulumi/aws", async function () {
            const run = await runProgram(existing(twoUsers()));
            const groups = run.byType(types.group);
            expect(groups.map((g) => g.inputs.name).sort()).to.deep.equal(["admins", "staff"]);
            for (const group of groups) expect(group.inputs.userPoolId).to.equal(poolId);
            expect(awsResources(run).map((r) => r.type)).to.deep.equal([types.group, types.group]);
            expect(run.byType(types.user).find((u) => u.inputs.username === "alice")!.inputs.groups).to.deep.equal(["admins", "staff"]);
        });

        it("exports exactly userPoolId, region, users and amplifyOutputs, and no password", async function () {
            const run = await runProgram(existing(twoUsers()));
            expect(Object.keys(run.outputs).sort()).to.deep.equal(["amplifyOutputs", "region", "userPoolId", "users"]);
            expect(run.outputs.userPoolId).to.equal(poolId);
            expect(run.outputs.region).to.equal("ap-northeast-1");
            expect(run.outputs.users).to.deep.equal({
                alice: { sub: "sub-alice", status: "CONFIRMED" },
                bob: { sub: "sub-bob", status: "CONFIRMED" },
            });
            expect(run.secretOutputs).to.deep.equal([]);
            expectNoPassword(JSON.stringify(run.outputs));
            for (const resource of run.resources) {
                const { password: _in, __provider: _p, ...inputs } = resource.inputs;
                expectNoPassword(JSON.stringify(inputs));
            }
        });

        it("evaluates in a first preview (every computed output unknown) with the same resources", async function () {
            const config = existing(twoUsers());
            const update = await runProgram(config);
            const preview = await runProgram(config, { preview: true, unknownComputed: true });
            const signature = (run: ProgramRun) => run.resources.map((r) => `${r.type} ${r.name}`).sort();
            expect(signature(preview)).to.deep.equal(signature(update));
            expect(preview.outputs.userPoolId).to.equal(poolId);
            expect(preview.outputs.region).to.equal("ap-northeast-1");
        });

        it("checks passwords against Cognito's default policy (8 characters), not the 12-character default of a created pool", async function () {
            const tenCharacters = "Short#Pw10";
            const config = { users: { alice: { email: "alice@example.com" } }, passwords: { alice: tenCharacters } };
            const run = await runProgram(existing(config));
            expect(run.one(types.user).inputs.passwordPolicy).to.deep.equal(cognitoDefaultPasswordRules);
            const owned = await programError(config);
            expect(owned.message).to.match(/cognito-auth:passwords\.alice: password must be at least 12 characters long/);
            const tooShort = await programError(existing({ ...config, passwords: { alice: "Sh0rt#x" } }));
            expect(tooShort.message).to.match(/cognito-auth:passwords\.alice: password must be at least 8 characters long/);
            expectNoPassword(owned.message + tooShort.message, [tenCharacters, "Sh0rt#x"]);
        });

        it("takes passwordPolicy as the existing pool's policy", async function () {
            const config = existing({
                users: { alice: { email: "alice@example.com" } },
                passwords: { alice: "lowercase-only" },
                passwordPolicy: { minimumLength: 14, requireUppercase: false, requireNumbers: false },
            });
            const run = await runProgram(config);
            expect(run.one(types.user).inputs.passwordPolicy).to.deep.equal({
                minimumLength: 14,
                requireLowercase: true,
                requireUppercase: false,
                requireNumbers: false,
                requireSymbols: true,
            });
            const error = await programError({ ...config, passwords: { alice: "lowercase-o" } });
            expect(error.message).to.match(/cognito-auth:passwords\.alice: password must be at least 14 characters long/);
        });

        it("allows any well-formed custom: attribute (the pool's schema is not known here)", async function () {
            const run = await runProgram(
                existing({
                    users: { alice: { email: "alice@example.com", attributes: { "custom:tenant": "acme", "custom:department_id": "42" } } },
                    passwords: { alice: passwords.alice },
                }),
            );
            expect(run.one(types.user).inputs.attributes).to.include({ "custom:tenant": "acme", "custom:department_id": "42" });
            const error = await programError(
                existing({
                    users: { alice: { email: "alice@example.com", attributes: { "custom:": "acme" } } },
                    passwords: { alice: passwords.alice },
                }),
            );
            expect(error.message).to.match(/cognito-auth:users\.alice: attribute "custom:" is not a well-formed custom attribute/);
        });

        it("a directly constructed CognitoUsers (pool id as text, an Output from another stack, or a Promise) creates only users, region from the id", async function () {
            const registered: string[] = [];
            pulumi.runtime.setMocks(
                {
                    newResource: (args) => {
                        registered.push(`${args.type} ${args.name}`);
                        return { id: `${args.name}-id`, state: { ...args.inputs, sub: "s", status: "CONFIRMED" } };
                    },
                    call: (args) => {
                        throw new Error(`unexpected invoke ${args.token}`);
                    },
                },
                projectName,
                "unit",
                false,
            );
            for (const userPoolId of [
                "us-east-1_AbC123xyz",
                pulumi.output("us-east-1_AbC123xyz"),
                Promise.resolve("us-east-1_AbC123xyz"),
            ]) {
                registered.length = 0;
                const team = new CognitoUsers("direct", {
                    userPoolId,
                    users: { carol: { email: "carol@example.com" } },
                    passwords: { carol: pulumi.secret(passwords.alice) },
                });
                expect(await promiseOf(team.userPoolId)).to.equal("us-east-1_AbC123xyz");
                expect(await promiseOf(team.region)).to.equal("us-east-1");
                expect(await promiseOf(team.users.carol.urn)).to.equal(
                    `urn:pulumi:unit::${projectName}::${types.users}$${types.user}::direct-user-carol`,
                );
                await runtimeSettings().waitForRPCs();
                expect(registered.sort()).to.deep.equal([`${types.users} direct`, `${types.user} direct-user-carol`]);
            }
        });

        it("validateArgs skips arguments and nested keys that are undefined (optional fields left out in TypeScript)", function () {
            expect(
                validateArgs({
                    mfa: undefined,
                    passwordPolicy: { minimumLength: undefined, requireSymbols: undefined },
                    tokenValidity: { accessTokenMinutes: undefined },
                }),
            ).to.deep.equal([]);
            expect(
                validateArgs({
                    userPoolId: "us-east-1_AbC123xyz",
                    userPoolName: undefined,
                    passwordPolicy: { temporaryPasswordValidityDays: undefined },
                }),
            ).to.deep.equal([]);
            expect(
                validateArgs({
                    users: { carol: { email: "carol@example.com", groups: undefined } },
                    passwords: { carol: passwords.alice },
                }),
            ).to.deep.equal([]);
        });

        it("validateArgs names the argument without the config namespace when the component is used directly", function () {
            expect(validateArgs({ userPoolId: "us-east-1_AbC123xyz", mfa: "ON", passwordPolicy: { minLength: 9 } as any })).to.deep.equal([
                "mfa: applies only to a pool this stack creates; remove it, or unset userPoolId",
                "passwordPolicy.minLength: unknown setting; known: minimumLength, requireLowercase, requireUppercase, requireNumbers, requireSymbols, temporaryPasswordValidityDays, passwordHistorySize",
            ]);
        });
    });

    describe("shipped stack", function () {
        it("Pulumi.dev.yaml plus a password per user evaluates cleanly", async function () {
            const yaml = require("js-yaml") as { load(text: string): any };
            const file = yaml.load(fs.readFileSync(path.resolve(__dirname, "..", "Pulumi.dev.yaml"), "utf8"));
            const stackConfig: Record<string, unknown> = file.config;
            expect(stackConfig["aws:region"]).to.equal("ap-northeast-1");
            const config: Record<string, unknown> = {};
            const rawConfig: Record<string, string> = {};
            for (const [key, value] of Object.entries(stackConfig)) {
                if (key.startsWith(`${projectName}:`)) config[key.slice(projectName.length + 1)] = value;
                else rawConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
            }
            const users = config.users as Record<string, unknown>;
            expect(Object.keys(users)).to.deep.equal(["johndoe"]);
            expect(config.passwords, "passwords are never committed").to.equal(undefined);
            config.passwords = { johndoe: "newPassword123#" };

            const run = await runProgram(config, { rawConfig });
            expect(run.outputs.region).to.equal("ap-northeast-1");
            const user = run.one(types.user);
            expect(user.inputs.username).to.equal("johndoe");
            expect(user.inputs.attributes).to.include({ email: "johndoe@example.com", email_verified: "true" });
            expect(isSecretValue(user.inputs.password)).to.equal(true);
            expect(run.byType(types.role)).to.have.lengthOf(2);
            expect(run.one(types.identityPool).inputs.allowUnauthenticatedIdentities).to.equal(true);
            expect(Object.keys(run.one(types.roleAttachment).inputs.roles).sort()).to.deep.equal(["authenticated", "unauthenticated"]);
            expect(run.outputs.unauthenticatedRoleArn).to.be.a("string");
            expect(run.one(types.pool).inputs.deletionProtection).to.equal("INACTIVE");
            expectNoPassword(JSON.stringify(run.outputs), ["newPassword123#"]);
        });
    });

    describe("preview", function () {
        const signature = (run: ProgramRun) => run.resources.map((r) => `${r.type} ${r.name} <- ${r.parent ?? "stack"}`).sort();

        it("registers the same resources in preview as in an update", async function () {
            const config = twoUsers({ allowUnauthenticatedIdentities: true });
            const update = await runProgram(config);
            const preview = await runProgram(config, { preview: true });
            expect(signature(preview)).to.deep.equal(signature(update));
            expect(preview.byType(types.user)).to.have.lengthOf(2);
            for (const user of preview.byType(types.user)) expect(isSecretValue(user.inputs.password), user.name).to.equal(true);
            expect(preview.outputs.identityPoolId).to.equal(update.outputs.identityPoolId);
        });

        it("evaluates when every computed output is unknown, as in a first preview", async function () {
            const config = twoUsers({ allowUnauthenticatedIdentities: true, generateClientSecret: true });
            const update = await runProgram(config);
            const preview = await runProgram(config, { preview: true, unknownComputed: true });
            expect(signature(preview)).to.deep.equal(signature(update));
            for (const user of preview.byType(types.user)) {
                expect(isSecretValue(user.inputs.password), user.name).to.equal(true);
                expect(user.inputs.username).to.be.oneOf(["alice", "bob"]);
            }
            // Computed ids are unknown, so the outputs built from them are too; none is invented.
            expect(preview.outputs.userPoolId).to.equal(undefined);
            expect(preview.outputs.identityPoolId).to.equal(undefined);
        });
    });
});
