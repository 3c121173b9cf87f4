import { expect } from "chai";
import { ProgramRun, projectName, runProgram } from "../harness/program";
import { expectNoLeak } from "../harness/leaks";

// The 2026 settings (README: "Feature plans"; issue 18) under the SDK's mocked runtime: the exact
// inputs of the @pulumi/aws resources for each setting and the combinations that matter (plan x
// feature, groups with and without roles, guests on and off), with property names and enum strings
// as @pulumi/aws's types and the provider docs spell them. Refused combinations are in
// test/features.refused.test.ts.

const types = {
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    identityPool: "aws:cognito/identityPool:IdentityPool",
    role: "aws:iam/role:Role",
    policyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    roleAttachment: "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
    group: "aws:cognito/userGroup:UserGroup",
};

const password = "Alice#Secret-4217xq";
const region = "ap-northeast-1";
/** The ids the mocks give (harness/program.ts fakeState). */
const poolId = `${region}_cognitoau`;
const clientId = "client-cognito-auth-client";
const identityPoolId = `${region}:identity-cognito-auth-identities`;
const roleArn = (resource: string) => `arn:aws:iam::123456789012:role/${resource}-1234567`;
const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const s3 = "arn:aws:iam::123456789012:policy/app-uploads";
const sesArn = `arn:aws:ses:${region}:123456789012:identity/example.com`;

function alice(extra: Record<string, unknown> = {}, groups: string[] = []): Record<string, unknown> {
    return { users: { alice: { email: "alice@example.com", groups } }, passwords: { alice: password }, ...extra };
}

const poolInputs = (run: ProgramRun) => run.one(types.pool).inputs;
const flows = (run: ProgramRun) => run.one(types.client).inputs.explicitAuthFlows;
const passwordFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

describe("2026 settings: the resource graph (mocked runtime)", () => {
    describe("featurePlan", () => {
        it("is the pool's userPoolTier, ESSENTIALS by default, with the sign-in policy and USER_AUTH on the client", async function () {
            const run = await runProgram(alice());
            expect(poolInputs(run).userPoolTier).to.equal("ESSENTIALS");
            expect(poolInputs(run).signInPolicy).to.deep.equal({ allowedFirstAuthFactors: ["PASSWORD"] });
            expect(flows(run)).to.deep.equal([...passwordFlows, "ALLOW_USER_AUTH"]);
        });

        it("LITE: the tier, no sign-in policy (AWS has none below ESSENTIALS) and no USER_AUTH flow; password sign-in as before", async function () {
            const run = await runProgram(alice({ featurePlan: "LITE" }));
            expect(poolInputs(run).userPoolTier).to.equal("LITE");
            expect(poolInputs(run)).to.not.have.property("signInPolicy");
            expect(flows(run)).to.deep.equal(passwordFlows);
        });

        it("PLUS: the tier and USER_AUTH; threat protection stays OFF unless set", async function () {
            const run = await runProgram(alice({ featurePlan: "PLUS" }));
            expect(poolInputs(run).userPoolTier).to.equal("PLUS");
            expect(poolInputs(run).userPoolAddOns).to.deep.equal({ advancedSecurityMode: "OFF" });
            expect(flows(run)).to.deep.equal([...passwordFlows, "ALLOW_USER_AUTH"]);
        });
    });

    describe("threatProtection", () => {
        for (const mode of ["AUDIT", "ENFORCED"]) {
            it(`${mode} with PLUS is userPoolAddOns.advancedSecurityMode`, async function () {
                const run = await runProgram(alice({ featurePlan: "PLUS", threatProtection: mode }));
                expect(poolInputs(run).userPoolAddOns).to.deep.equal({ advancedSecurityMode: mode });
            });
        }

        it("OFF is given explicitly on every plan, so removing the setting turns it off in AWS", async function () {
            for (const featurePlan of ["LITE", "ESSENTIALS", "PLUS"]) {
                const run = await runProgram(alice({ featurePlan }));
                expect(poolInputs(run).userPoolAddOns, featurePlan).to.deep.equal({ advancedSecurityMode: "OFF" });
            }
        });
    });

    describe("passwordPolicy.passwordHistorySize", () => {
        it("is in the pool's password policy when set (ESSENTIALS and PLUS, 0-24), beside the other keys", async function () {
            for (const [featurePlan, size] of [
                ["ESSENTIALS", 5],
                ["PLUS", 24],
                ["ESSENTIALS", 0],
            ] as const) {
                const run = await runProgram(alice({ featurePlan, passwordPolicy: { passwordHistorySize: size } }));
                expect(poolInputs(run).passwordPolicy).to.deep.equal({
                    minimumLength: 12,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: true,
                    temporaryPasswordValidityDays: 7,
                    passwordHistorySize: size,
                });
            }
        });

        it("is absent when unset, so a pool made by an earlier version shows no change for it", async function () {
            const run = await runProgram(alice({ passwordPolicy: { minimumLength: 14 } }));
            expect(poolInputs(run).passwordPolicy).to.not.have.property("passwordHistorySize");
            expect(poolInputs(run).passwordPolicy.minimumLength).to.equal(14);
        });
    });

    describe("emailSender", () => {
        it("sets the pool's emailConfiguration to DEVELOPER with the SES identity, From and Reply-To", async function () {
            const sender = { sourceArn: sesArn, from: "Example Auth <no-reply@example.com>", replyTo: "support@example.com" };
            const run = await runProgram(alice({ emailSender: sender }));
            expect(poolInputs(run).emailConfiguration).to.deep.equal({
                emailSendingAccount: "DEVELOPER",
                sourceArn: sesArn,
                fromEmailAddress: "Example Auth <no-reply@example.com>",
                replyToEmailAddress: "support@example.com",
            });
        });

        it("with only the identity, gives no From or Reply-To (SES uses the identity's address)", async function () {
            const run = await runProgram(alice({ emailSender: { sourceArn: sesArn } }));
            expect(poolInputs(run).emailConfiguration).to.deep.equal({ emailSendingAccount: "DEVELOPER", sourceArn: sesArn });
        });

        it("unset: Cognito's default sender, given explicitly so removing emailSender switches back", async function () {
            const run = await runProgram(alice());
            expect(poolInputs(run).emailConfiguration).to.deep.equal({ emailSendingAccount: "COGNITO_DEFAULT" });
        });
    });

    describe("signInFactors and webAuthn", () => {
        it("every factor: the pool's allowedFirstAuthFactors in the given order, and the passkey settings", async function () {
            const run = await runProgram(
                alice({
                    signInFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
                    emailSender: { sourceArn: sesArn },
                    webAuthn: { relyingPartyId: "auth.example.com" },
                }),
            );
            expect(poolInputs(run).signInPolicy).to.deep.equal({ allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] });
            expect(poolInputs(run).webAuthnConfiguration).to.deep.equal({
                relyingPartyId: "auth.example.com",
                userVerification: "preferred",
            });
            // Password sign-in stays: the stack's own users (and npm run verify) sign in with USER_PASSWORD_AUTH.
            expect(flows(run)).to.deep.equal([...passwordFlows, "ALLOW_USER_AUTH"]);
        });

        it("userVerification required is passed as AWS spells it (lower case)", async function () {
            const run = await runProgram(
                alice({
                    signInFactors: ["WEB_AUTHN", "PASSWORD"],
                    webAuthn: { relyingPartyId: "example.com", userVerification: "required" },
                }),
            );
            expect(poolInputs(run).webAuthnConfiguration).to.deep.equal({ relyingPartyId: "example.com", userVerification: "required" });
            expect(poolInputs(run).signInPolicy).to.deep.equal({ allowedFirstAuthFactors: ["WEB_AUTHN", "PASSWORD"] });
        });

        it("without webAuthn, the pool has no passkey settings", async function () {
            const run = await runProgram(alice());
            expect(poolInputs(run)).to.not.have.property("webAuthnConfiguration");
        });

        it("with mfa OPTIONAL, a passwordless factor is allowed beside TOTP", async function () {
            const run = await runProgram(
                alice({ mfa: "OPTIONAL", signInFactors: ["PASSWORD", "EMAIL_OTP"], emailSender: { sourceArn: sesArn } }),
            );
            expect(poolInputs(run).mfaConfiguration).to.equal("OPTIONAL");
            expect(poolInputs(run).signInPolicy).to.deep.equal({ allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] });
        });
    });

    describe("groups", () => {
        const withRoles = {
            groups: {
                admins: { description: "Administrators", precedence: 1, policyArns: [readOnly, s3] },
                editors: { precedence: 5, policyArns: [s3] },
                staff: { description: "Everyone at the company" },
                empty: { precedence: 9 },
            },
        };

        it("a group with policyArns gets its own role, trusted like the authenticated role: this identity pool (aud), authenticated (amr), nothing else", async function () {
            const run = await runProgram(alice(withRoles, ["admins", "staff", "readers"]));
            const roles = run.byType(types.role);
            expect(roles.map((role) => role.name).sort()).to.deep.equal([
                "cognito-auth-authenticated",
                "cognito-auth-group-admins-role",
                "cognito-auth-group-editors-role",
            ]);
            const admins = roles.find((role) => role.name === "cognito-auth-group-admins-role")!;
            expect(JSON.parse(admins.inputs.assumeRolePolicy)).to.deep.equal({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: "cognito-identity.amazonaws.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: { "cognito-identity.amazonaws.com:aud": identityPoolId },
                            "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
                        },
                    },
                ],
            });
            expect(admins.inputs).to.have.keys("description", "assumeRolePolicy", "namePrefix");
            expect(admins.inputs.namePrefix).to.equal("cognito-auth-admins-");
            // Exactly its own policies, each attached once; no inline policy.
            const attached = run
                .byType(types.policyAttachment)
                .map((a) => [a.name, a.inputs.role, a.inputs.policyArn])
                .sort();
            expect(attached).to.deep.equal([
                ["cognito-auth-group-admins-policy-0", "cognito-auth-group-admins-role-1234567", readOnly],
                ["cognito-auth-group-admins-policy-1", "cognito-auth-group-admins-role-1234567", s3],
                ["cognito-auth-group-editors-policy-0", "cognito-auth-group-editors-role-1234567", s3],
            ]);
        });

        it("each group's exact inputs: its role and precedence, description when given, only the keys set", async function () {
            const run = await runProgram(alice(withRoles, ["admins", "staff", "readers"]));
            const groups = Object.fromEntries(run.byType(types.group).map((group) => [group.inputs.name, group.inputs]));
            expect(groups).to.deep.equal({
                admins: {
                    name: "admins",
                    userPoolId: poolId,
                    description: "Administrators",
                    precedence: 1,
                    roleArn: roleArn("cognito-auth-group-admins-role"),
                },
                editors: { name: "editors", userPoolId: poolId, precedence: 5, roleArn: roleArn("cognito-auth-group-editors-role") },
                staff: { name: "staff", userPoolId: poolId, description: "Everyone at the company" },
                // Listed in groups but named by no user: created too.
                empty: { name: "empty", userPoolId: poolId, precedence: 9 },
                // Named by a user only: as before, name and pool alone.
                readers: { name: "readers", userPoolId: poolId },
            });
        });

        it("the role attachment maps the user pool client's tokens to roles (Token, ambiguous -> the authenticated role)", async function () {
            const run = await runProgram(alice(withRoles, ["admins"]));
            expect(run.one(types.roleAttachment).inputs).to.deep.equal({
                identityPoolId,
                roles: { authenticated: roleArn("cognito-auth-authenticated") },
                roleMappings: [
                    {
                        identityProvider: `cognito-idp.${region}.amazonaws.com/${poolId}:${clientId}`,
                        type: "Token",
                        ambiguousRoleResolution: "AuthenticatedRole",
                    },
                ],
            });
        });

        it("with guests allowed: both default roles and the group mapping", async function () {
            const run = await runProgram(alice({ ...withRoles, allowUnauthenticatedIdentities: true }, ["admins"]));
            const attachment = run.one(types.roleAttachment).inputs;
            expect(attachment.roles).to.deep.equal({
                authenticated: roleArn("cognito-auth-authenticated"),
                unauthenticated: roleArn("cognito-auth-unauthenticated"),
            });
            expect(attachment.roleMappings).to.have.length(1);
            expect(run.byType(types.role)).to.have.length(4);
        });

        it("exports groupRoleArns (group -> role ARN) for verify, only for groups with a role", async function () {
            const run = await runProgram(alice(withRoles, ["admins"]));
            expect(run.outputs.groupRoleArns).to.deep.equal({
                admins: roleArn("cognito-auth-group-admins-role"),
                editors: roleArn("cognito-auth-group-editors-role"),
            });
            expect(run.secretOutputs).to.not.include("groupRoleArns");
        });

        it("without a group role: no role mapping, no extra role, no groupRoleArns output (a stack of an earlier version shows no change)", async function () {
            const run = await runProgram(alice({ groups: { staff: { description: "Everyone", precedence: 1 } } }, ["staff"]));
            expect(run.one(types.roleAttachment).inputs).to.not.have.property("roleMappings");
            expect(run.byType(types.role).map((role) => role.name)).to.deep.equal(["cognito-auth-authenticated"]);
            expect(run.outputs).to.not.have.property("groupRoleArns");
        });

        it("a group name IAM cannot take in a role name becomes a valid prefix of at most 38 characters", async function () {
            const group = "Sales/EU(West)#1-long-name-for-the-prefix";
            const run = await runProgram(alice({ groups: { [group]: { precedence: 1, policyArns: [s3] } } }, [group]));
            const prefix = run.byType(types.role).find((role) => role.name === `cognito-auth-group-${group}-role`)!.inputs.namePrefix;
            expect(prefix).to.match(/^[\w+=,.@-]{1,38}$/);
            expect(prefix).to.equal("cognito-auth-Sales-EU-West--1-long-na-");
            expect(run.byType(types.group).find((g) => g.inputs.name === group)!.inputs.roleArn).to.equal(
                roleArn(`cognito-auth-group-${group}-role`),
            );
        });

        it("a group name outside Latin-1 gives a role description IAM takes (printable ASCII), the name escaped", async function () {
            const run = await runProgram(
                alice({ groups: { 管理者: { precedence: 0, policyArns: [s3] }, "ops—eu": { precedence: 1, policyArns: [s3] } } }, [
                    "管理者",
                ]),
            );
            const descriptions = run
                .byType(types.role)
                .filter((role) => role.name.startsWith("cognito-auth-group-"))
                .map((role) => role.inputs.description)
                .sort();
            expect(descriptions).to.deep.equal([
                'Assumed by users of the group "\\u7ba1\\u7406\\u8005" of the Cognito identity pool of cognito-auth',
                'Assumed by users of the group "ops\\u2014eu" of the Cognito identity pool of cognito-auth',
            ]);
            // CreateRole's pattern for a description (tab, line feed and carriage return are in it).
            // eslint-disable-next-line no-control-regex
            for (const description of descriptions) expect(description).to.match(/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/);
        });

        it("no password in the stack's outputs or any resource's plain inputs", async function () {
            const run = await runProgram(alice({ ...withRoles, featurePlan: "PLUS", threatProtection: "ENFORCED" }, ["admins"]));
            expectNoLeak(JSON.stringify(run.outputs), { alice: password }, "the outputs");
            for (const resource of run.resources.filter((r) => r.type.startsWith("aws:"))) {
                expectNoLeak(JSON.stringify(resource.inputs), { alice: password }, resource.name);
            }
        });
    });

    describe("existing pool (userPoolId)", () => {
        const existing = { userPoolId: `${region}_AbC123xyz` };

        it("groups take description, precedence and a roleArn made elsewhere; no role or identity resource is made", async function () {
            const adminRole = "arn:aws:iam::123456789012:role/app-admins";
            const run = await runProgram(
                alice({ ...existing, groups: { admins: { description: "Admins", precedence: 0, roleArn: adminRole } } }, [
                    "admins",
                    "staff",
                ]),
            );
            const groups = Object.fromEntries(run.byType(types.group).map((group) => [group.inputs.name, group.inputs]));
            expect(groups).to.deep.equal({
                admins: { name: "admins", userPoolId: existing.userPoolId, description: "Admins", precedence: 0, roleArn: adminRole },
                staff: { name: "staff", userPoolId: existing.userPoolId },
            });
            expect(run.resources.filter((r) => r.type.startsWith("aws:") && r.type !== types.group)).to.deep.equal([]);
            expect(Object.keys(run.outputs).sort()).to.deep.equal(["amplifyOutputs", "region", "userPoolId", "users"]);
        });
    });

    it(`the config keys are read from the ${projectName} namespace as JSON (groups, signInFactors, webAuthn, emailSender) and text (featurePlan, threatProtection)`, async function () {
        const run = await runProgram(
            alice({
                featurePlan: "PLUS",
                threatProtection: "AUDIT",
                signInFactors: ["PASSWORD", "WEB_AUTHN"],
                webAuthn: { relyingPartyId: "example.com" },
                emailSender: { sourceArn: sesArn },
                groups: { admins: { precedence: 2, policyArns: [readOnly] } },
            }),
        );
        expect(poolInputs(run).userPoolTier).to.equal("PLUS");
        expect(poolInputs(run).userPoolAddOns.advancedSecurityMode).to.equal("AUDIT");
        expect(run.outputs.groupRoleArns).to.have.keys("admins");
    });
});
