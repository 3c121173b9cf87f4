// scripts/verify's group-role check through main(), with Cognito, the identity pool and STS mocked
// (aws-sdk-client-mock) as in verify.checks.test.ts. The mocked identity pool resolves roles as the
// stack's role mapping does (type Token, ambiguousRoleResolution AuthenticatedRole): the ID token's
// `cognito:preferred_role` when there is one, else the authenticated role. Each test writes the
// token a user pool would issue by hand, so a pool that gives the wrong role can be played.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
    CognitoIdentityClient,
    GetCredentialsForIdentityCommand,
    GetIdCommand,
    InvalidIdentityPoolConfigurationException,
} from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { main } from "../scripts/verify/cli";
import { verifyUser } from "../scripts/verify/checks";
import { loadInputs } from "../scripts/verify/inputs";
import { formatReport } from "../scripts/verify/render";
import { capture, expectNoSecrets, sdkClients, stackConfig, stackOutputs } from "./verify.fixtures";

const account = "123456789012";
const arn = (name: string) => `arn:aws:iam::${account}:role/${name}`;
const groupRoleArns = { admins: arn("admins-role-abc"), readers: arn("readers-role-def") };
const groups = { admins: { precedence: 1, policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, readers: { precedence: 2 }, staff: {} };
const users = { alice: { groups: ["readers", "admins"] }, bob: { groups: ["staff"] }, carol: {} };
const passwords = { alice: "Alice-Passw0rd#1", bob: "Bob-Passw0rd#22", carol: "Carol-Passw0rd#3" };

/** An unsigned JWT holding the claims (the mocked identity pool reads them; nothing checks a signature). */
const idTokenWith = (claims: Record<string, unknown>) =>
    `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig-${String(claims["cognito:username"])}`;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

describe("verify script: each user's credentials are for the role its groups give it", function () {
    let idp: AwsClientStub<CognitoIdentityProviderClient>;
    let identity: AwsClientStub<CognitoIdentityClient>;
    let sts: AwsClientStub<STSClient>;
    /** The preferred role (a role name) the mocked user pool puts in each user's ID token; none when absent. */
    let preferredRole: Record<string, string | undefined>;
    /** Every token and credential value handed out, for the output scan. */
    let handedOut: Record<string, string>;
    /** The role the mocked identity pool issued each access key for (what STS then says). */
    let roleOfKey: Map<string, string>;

    beforeEach(function () {
        preferredRole = { alice: "admins-role-abc" };
        handedOut = {};
        roleOfKey = new Map();
        idp = mockClient(CognitoIdentityProviderClient);
        idp.on(InitiateAuthCommand).callsFake((input) => {
            const username = input.AuthParameters!.USERNAME;
            const role = preferredRole[username];
            const IdToken = idTokenWith({ "cognito:username": username, ...(role ? { "cognito:preferred_role": arn(role) } : {}) });
            handedOut[`idToken-${username}`] = IdToken;
            return { AuthenticationResult: { IdToken, AccessToken: `access-${username}-0123456789` } };
        });
        identity = mockClient(CognitoIdentityClient);
        identity.on(GetIdCommand).callsFake((input) => {
            const token = input.Logins ? Object.values(input.Logins as Record<string, string>)[0] : undefined;
            return { IdentityId: `us-east-1:id-${token ? claimsOf(token)["cognito:username"] : "guest"}` };
        });
        identity.on(GetCredentialsForIdentityCommand).callsFake((input) => {
            const token = input.Logins ? Object.values(input.Logins as Record<string, string>)[0] : undefined;
            // Token mapping with AuthenticatedRole as the fallback; guests get the unauthenticated role.
            const preferred = token ? claimsOf(token)["cognito:preferred_role"] : undefined;
            const role = token ? (preferred ? String(preferred).split("/").pop() : "auth") : "unauth";
            const who = String(input.IdentityId).split("id-")[1];
            const credentials = {
                AccessKeyId: `ASIAFAKE${who.toUpperCase()}0123456789`,
                SecretKey: `fakeSecret/${who}/abcdefghijklmnop`,
                SessionToken: `FakeSession+${who}+0123456789abcdef`,
                Expiration: new Date("2030-01-02T03:04:05.000Z"),
            };
            roleOfKey.set(credentials.AccessKeyId, role!);
            handedOut[`accessKey-${who}`] = credentials.AccessKeyId;
            handedOut[`secretKey-${who}`] = credentials.SecretKey;
            handedOut[`sessionToken-${who}`] = credentials.SessionToken;
            return { IdentityId: input.IdentityId, Credentials: credentials };
        });
        sts = mockClient(STSClient);
        sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
            const { accessKeyId } = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
            const role = roleOfKey.get(accessKeyId);
            return { Arn: `arn:aws:sts::${account}:assumed-role/${role}/CognitoIdentityCredentials`, Account: account };
        });
    });
    afterEach(function () {
        idp.restore();
        identity.restore();
        sts.restore();
    });

    /** main() with the Pulumi CLI answering the given outputs and config. */
    const run = async (outputs: Record<string, unknown>, config: Record<string, unknown> = { "cognito-auth:groups": groups }) => {
        const printed = capture();
        const runner = async (args: string[]) =>
            JSON.stringify(args[0] === "stack" ? stackOutputs(outputs) : stackConfig(users, passwords, true, config));
        const code = await main(["-s", "dev"], { ...printed.deps, runPulumi: runner, clients: sdkClients });
        const text = printed.text();
        expectNoSecrets(text, { ...passwords, ...handedOut });
        const row = (user: string) => text.split("\n").find((l) => l.startsWith(`${user} `)) ?? "";
        return { code, text, row, stderr: printed.stderr };
    };

    it("the right roles pass: the lowest precedence's role, else the authenticated role, each said in the table", async function () {
        const { code, text, row, stderr } = await run({ groupRoleArns });
        expect(code).to.equal(0);
        expect(text).to.include(
            `Group roles: admins ${arn("admins-role-abc")} (precedence 1); readers ${arn("readers-role-def")} (precedence 2)`,
        );
        expect(row("alice")).to.match(
            /^alice\s+OK\s+us-east-1:id-alice\s+OK \(role admins-role-abc: group admins \(precedence 1\)\)\s+2030-/,
        );
        expect(row("bob")).to.match(/^bob\s+OK\s+us-east-1:id-bob\s+OK \(authenticated role auth: no group with a role\)\s+2030-/);
        expect(row("carol")).to.match(/\sOK \(authenticated role auth: no group with a role\)\s/);
        expect(row("(guest)")).to.match(/\sOK \(unauthenticated role\)\s/);
        expect(stderr).to.deep.equal([]);
        expect(text).to.include("verify: all 4 checks passed");
    });

    it("a wrong group role fails, saying which role was expected and why, and which came", async function () {
        preferredRole.alice = "readers-role-def"; // the pool gives alice the role of her other group
        const { code, text, row, stderr } = await run({ groupRoleArns });
        expect(code).to.equal(1);
        expect(row("alice")).to.match(/^alice\s+OK\s+us-east-1:id-alice\s+FAILED\s+-$/);
        expect(text).to.include(
            "alice: credentials failed: expected role admins-role-abc from group admins (precedence 1), but the credentials are for role readers-role-def: " +
                "check the group's role in the user pool and the identity pool's role mapping (type Token); pulumi refresh and pulumi up put them back",
        );
        expect(
            text.split("\n").filter((l) => / failed: /.test(l)),
            "only alice fails",
        ).to.have.length(1);
        expect(stderr).to.deep.equal(["verify: 1 of 4 checks failed"]);
    });

    it("the authenticated role where a group role came fails, saying why the authenticated role was expected", async function () {
        preferredRole.bob = "admins-role-abc"; // bob's group 'staff' has no role in config, yet the pool gives one
        const { code, text } = await run({ groupRoleArns });
        expect(code).to.equal(1);
        expect(text).to.include(
            "bob: credentials failed: expected the authenticated role auth (no group with a role), but the credentials are for role admins-role-abc: " +
                "check the user's groups in the pool, their roles and precedence, and the identity pool's role mapping; pulumi refresh and pulumi up put them back",
        );
    });

    it("the authenticated role where a group role was expected fails (the role mapping is missing)", async function () {
        preferredRole.alice = undefined;
        const { code, text } = await run({ groupRoleArns });
        expect(code).to.equal(1);
        expect(text).to.match(
            /^alice: credentials failed: expected role admins-role-abc from group admins \(precedence 1\), but the credentials are for role auth: /m,
        );
    });

    it("a tie with different roles expects the authenticated role: passes when it comes, fails when a group's role comes", async function () {
        const tied = { "cognito-auth:groups": { ...groups, readers: { precedence: 1 } } };
        preferredRole.alice = undefined; // Cognito sets no preferred role for the tie
        const ok = await run({ groupRoleArns }, tied);
        expect(ok.code).to.equal(0);
        expect(ok.row("alice")).to.match(
            /\sOK \(authenticated role auth: groups admins and readers tie at precedence 1 with different roles\)\s/,
        );
        preferredRole.alice = "admins-role-abc";
        const bad = await run({ groupRoleArns }, tied);
        expect(bad.code).to.equal(1);
        expect(bad.text).to.include(
            "alice: credentials failed: expected the authenticated role auth (groups admins and readers tie at precedence 1 with different roles), but the credentials are for role admins-role-abc",
        );
    });

    it("a group role the identity pool may not assume: the trust mismatch names the role expected", async function () {
        identity
            .on(GetCredentialsForIdentityCommand)
            .rejects(new InvalidIdentityPoolConfigurationException({ message: "Invalid identity pool configuration.", $metadata: {} }));
        const { text } = await run({ groupRoleArns });
        expect(text).to.match(
            /^alice: credentials failed: role trust mismatch: .*; the role expected is admins-role-abc, from group admins \(precedence 1\) \(InvalidIdentityPoolConfigurationException: /m,
        );
        expect(text, "the authenticated role's trust mismatch is as without groups").to.match(
            /^bob: credentials failed: role trust mismatch: [^;]*; or the pool has no authenticated role attached \(InvalidIdentityPoolConfigurationException: /m,
        );
    });

    it("without groupRoleArns: every user expects the authenticated role, as before, whatever the groups", async function () {
        preferredRole.alice = "admins-role-abc";
        const { code, text, row } = await run({}, { "cognito-auth:groups": "not a map" });
        expect(code).to.equal(1);
        expect(text).not.to.include("Group roles:");
        expect(row("bob")).to.match(/\sOK \(authenticated role\)\s/);
        expect(text).to.include(
            "alice: credentials failed: the credentials are for role admins-role-abc, not for the authenticated role auth: check the identity pool's role attachment",
        );
    });

    it("the outcome holds the role and why, nothing secret", async function () {
        const inputs = await loadInputs({}, async (args) =>
            JSON.stringify(
                args[0] === "stack"
                    ? stackOutputs({ groupRoleArns })
                    : stackConfig(users, passwords, false, { "cognito-auth:groups": groups }),
            ),
        );
        const alice = inputs.users.find((u) => u.username === "alice")!;
        expect(await verifyUser(sdkClients(), inputs, alice)).to.deep.equal({
            user: "alice",
            signIn: "ok",
            identityId: "us-east-1:id-alice",
            credentials: {
                role: "group",
                roleName: "admins-role-abc",
                reason: "group admins (precedence 1)",
                expiration: new Date("2030-01-02T03:04:05.000Z"),
            },
        });
    });

    it("docs/verify.md's group-role examples are what verify prints", async function () {
        const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "verify.md"), "utf8");
        const at = doc.indexOf("```text\nStack: ");
        expect(at, "docs/verify.md has the report example").to.be.greaterThan(-1);
        const block = doc.slice(at + "```text\n".length, doc.indexOf("```\n", at + 8));
        const expiration = new Date("2030-01-02T03:04:05.000Z");
        const report = formatReport(
            {
                region: "us-east-1",
                userPoolId: "us-east-1_TestPool1",
                clientId: "testclientid123",
                identityPoolId: "us-east-1:0000",
                authenticatedRoleArn: arn("auth"),
                groupRoleArns,
                groups: { admins: { precedence: 1 }, readers: { precedence: 2 } },
                users: [],
            },
            [
                {
                    user: "alice",
                    signIn: "ok",
                    identityId: "us-east-1:id-alice",
                    credentials: { role: "group", roleName: "admins-role-abc", reason: "group admins (precedence 1)", expiration },
                },
                {
                    user: "bob",
                    signIn: "ok",
                    identityId: "us-east-1:id-bob",
                    credentials: { role: "authenticated", roleName: "auth", reason: "no group with a role", expiration },
                },
            ],
        );
        expect(block).to.equal(report + "\n");
        preferredRole.alice = "readers-role-def";
        const failureLine = (await run({ groupRoleArns })).text.split("\n").find((l) => l.startsWith("alice: "));
        expect(doc).to.include("```text\n" + failureLine + "\n```\n");
    });
});
