// TOTP enrolment by the user provider (providers/cognitoUser/totp.ts through provider.ts) with the
// SDK stubbed by aws-sdk-client-mock: the exact calls of each path (tokens with the pool's MFA
// OPTIONAL; MFA_SETUP's Session forms with MFA ON, which cognito-local 5.3 lacks; SOFTWARE_TOKEN_MFA
// answered from the stored secret), removal, the checks made before anything changes, and the
// state a half-way failure records. No secret (password, TOTP secret, token, session, client
// secret) may reach an error or the console: `cognito.secrets` holds them all.

import { expect } from "chai";
import { createHmac } from "crypto";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminCreateUserCommand,
    AdminGetUserCommand,
    AssociateSoftwareTokenCommand,
    CodeMismatchException,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    InternalErrorException,
    NotAuthorizedException,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { totpCode } from "../../lib/totp";
import { CognitoUserInputs, CognitoUserOutputs, CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { totpClock, turnOffCommand } from "../../providers/cognitoUser/totp";
import { meta, mockedCognito, newPassword as NEW_PASSWORD } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, testSub as SUB, userInputs, userOutputs } from "../../harness/users";

const CLIENT = "client0123456789abcdefghij";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const NEW_SECRET = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";
const ACCESS = "eyJ.access-token.sig";
const SESSION = "session-one-abcdef";
const CLIENT_SECRET = "client-secret-0123456789";
/** Mid-step, so that no code is about to expire (the provider would wait for the next step). */
const NOW = new Date(Date.UTC(2026, 11, 2, 12, 0, 10));

const inputs = (over: Partial<CognitoUserInputs> = {}) => userInputs({ mfa: "TOTP", totpGeneration: 1, clientId: CLIENT, ...over });
const enrolled = (over: Partial<CognitoUserOutputs> = {}) =>
    userOutputs({ totpSecret: SECRET, totp: { generation: 1, clientId: CLIENT }, ...over });
const totpCalls = ["InitiateAuthCommand", "AssociateSoftwareTokenCommand", "VerifySoftwareTokenCommand", "SetUserMFAPreferenceCommand"];

describe("TOTP enrolment (mocked Cognito)", function () {
    const cognito = mockedCognito();
    for (const secret of [SECRET, NEW_SECRET, ACCESS, SESSION, CLIENT_SECRET]) cognito.secrets.add(secret);
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    const { callNames, rejection } = cognito;
    /** The calls that change something or sign in (not the look-ups of user, client and pool). */
    const writes = () => cognito.writes().filter((name) => !/^(DescribeUserPoolClient|GetUserPoolMfaConfig)Command$/.test(name));
    const input = (name: string, n = 0) => (mock.commandCalls as any)(commandOf(name))[n].args[0].input;
    const savedNow = totpClock.now;
    beforeEach(() => {
        ({ mock, provider } = cognito);
        totpClock.now = () => NOW;
        mock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] } });
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } });
        mock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS } });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: NEW_SECRET });
        mock.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS" });
        mock.on(AdminCreateUserCommand).resolves({ User: { Username: "alice", Attributes: [{ Name: "sub", Value: SUB }] } });
    });
    afterEach(() => (totpClock.now = savedNow));
    const existing = (over: object = {}) =>
        mock.on(AdminGetUserCommand).resolves({
            Username: "alice",
            Enabled: true,
            UserStatus: "CONFIRMED",
            UserAttributes: [{ Name: "sub", Value: SUB }],
            ...over,
        });

    describe("create (pool MFA OPTIONAL: the sign-in gives tokens)", () => {
        it("checks client and pool first, creates, sets the password, then signs in, associates, verifies a code of the new secret and sets TOTP preferred", async () => {
            const { outs } = await provider.create!(inputs());
            expect(callNames()).to.deep.equal([
                "AdminGetUserCommand",
                "DescribeUserPoolClientCommand",
                "GetUserPoolMfaConfigCommand",
                "AdminCreateUserCommand",
                "AdminSetUserPasswordCommand",
                ...totpCalls,
            ]);
            expect(input("InitiateAuthCommand")).to.deep.equal({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: CLIENT,
                AuthParameters: { USERNAME: "alice", PASSWORD },
            });
            expect(input("AssociateSoftwareTokenCommand")).to.deep.equal({ AccessToken: ACCESS });
            expect(input("VerifySoftwareTokenCommand")).to.deep.equal({ AccessToken: ACCESS, UserCode: totpCode(NEW_SECRET, NOW) });
            expect(input("SetUserMFAPreferenceCommand")).to.deep.equal({
                AccessToken: ACCESS,
                SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
            });
            expect(outs!.totpSecret).to.equal(NEW_SECRET);
            expect(outs!.totp).to.deep.equal({ generation: 1, clientId: CLIENT });
        });

        it("sends SECRET_HASH when the client has a secret, and never stores the client secret", async () => {
            mock.on(DescribeUserPoolClientCommand).resolves({
                UserPoolClient: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"], ClientSecret: CLIENT_SECRET },
            });
            const { outs } = await provider.create!(inputs());
            const hash = createHmac("sha256", CLIENT_SECRET).update(`alice${CLIENT}`).digest("base64");
            expect(input("InitiateAuthCommand").AuthParameters).to.deep.equal({ USERNAME: "alice", PASSWORD, SECRET_HASH: hash });
            expect(JSON.stringify(outs)).to.not.include(CLIENT_SECRET);
        });

        it("a failed enrolment deletes the user it made, and says so without any secret", async () => {
            mock.on(VerifySoftwareTokenCommand).rejects(
                new CodeMismatchException({ message: `bad code for ${NEW_SECRET}`, $metadata: meta }),
            );
            const err = await rejection(provider.create!(inputs()));
            expect(writes().at(-1)).to.equal("AdminDeleteUserCommand");
            expect(err.message)
                .to.include('Cognito user "alice"')
                .and.include("verifying a code from the secret Cognito made failed")
                .and.include("the user was deleted again")
                .and.not.include("state");
        });
    });

    describe("pool MFA ON: the MFA_SETUP challenge (Session forms; cognito-local 5.3 lacks them)", () => {
        it("associates and verifies with the sessions, answers MFA_SETUP, then sets TOTP preferred with the tokens it gave", async () => {
            mock.on(InitiateAuthCommand).resolves({
                ChallengeName: "MFA_SETUP",
                Session: SESSION,
                ChallengeParameters: { USER_ID_FOR_SRP: "alice" },
            });
            mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: NEW_SECRET, Session: "session-two" });
            mock.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS", Session: "session-three" });
            mock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS } });
            const { outs } = await provider.create!(inputs());
            expect(callNames().slice(-5)).to.deep.equal([
                "InitiateAuthCommand",
                "AssociateSoftwareTokenCommand",
                "VerifySoftwareTokenCommand",
                "RespondToAuthChallengeCommand",
                "SetUserMFAPreferenceCommand",
            ]);
            expect(input("AssociateSoftwareTokenCommand")).to.deep.equal({ Session: SESSION });
            expect(input("VerifySoftwareTokenCommand")).to.deep.equal({ Session: "session-two", UserCode: totpCode(NEW_SECRET, NOW) });
            expect(input("RespondToAuthChallengeCommand")).to.deep.equal({
                ClientId: CLIENT,
                ChallengeName: "MFA_SETUP",
                Session: "session-three",
                ChallengeResponses: { USERNAME: "alice" },
            });
            expect(input("SetUserMFAPreferenceCommand").AccessToken).to.equal(ACCESS);
            expect(outs!.totpSecret).to.equal(NEW_SECRET);
        });
    });

    describe("update", () => {
        beforeEach(() => existing({ UserMFASettingList: ["SOFTWARE_TOKEN_MFA"] }));

        it("a bumped totpGeneration answers SOFTWARE_TOKEN_MFA with the stored secret's code, then enrols a new secret", async () => {
            mock.on(InitiateAuthCommand).resolves({
                ChallengeName: "SOFTWARE_TOKEN_MFA",
                Session: SESSION,
                ChallengeParameters: { USER_ID_FOR_SRP: "alice" },
            });
            mock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS } });
            const outs = (await provider.update!(`${POOL}/alice`, enrolled(), inputs({ totpGeneration: 2 }))).outs!;
            expect(writes()).to.deep.equal([...totpCalls.slice(0, 1), "RespondToAuthChallengeCommand", ...totpCalls.slice(1)]);
            expect(input("RespondToAuthChallengeCommand")).to.deep.equal({
                ClientId: CLIENT,
                ChallengeName: "SOFTWARE_TOKEN_MFA",
                Session: SESSION,
                ChallengeResponses: { USERNAME: "alice", SOFTWARE_TOKEN_MFA_CODE: totpCode(SECRET, NOW) },
            });
            expect(outs!.totpSecret).to.equal(NEW_SECRET);
            expect(outs!.totp).to.deep.equal({ generation: 2, clientId: CLIENT });
        });

        it("an unrelated change (the password) keeps the enrolment and its secret, and sends no TOTP call", async () => {
            const outs = (await provider.update!(`${POOL}/alice`, enrolled(), inputs({ password: NEW_PASSWORD }))).outs!;
            expect(writes()).to.deep.equal(["AdminSetUserPasswordCommand"]);
            expect(outs!.totpSecret).to.equal(SECRET);
            expect(outs!.totp).to.deep.equal({ generation: 1, clientId: CLIENT });
        });

        it("mfa removed: signs in with the password Cognito has (before the new one is set) and turns TOTP off; no secret stays in the outputs", async () => {
            mock.on(InitiateAuthCommand).resolves({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: SESSION });
            mock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS } });
            const { mfa: _m, totpGeneration: _g, clientId: _c, ...plain } = inputs({ password: NEW_PASSWORD });
            const outs = (await provider.update!(`${POOL}/alice`, enrolled(), plain)).outs!;
            expect(writes()).to.deep.equal([
                "InitiateAuthCommand",
                "RespondToAuthChallengeCommand",
                "SetUserMFAPreferenceCommand",
                "AdminSetUserPasswordCommand",
            ]);
            expect(input("InitiateAuthCommand").AuthParameters.PASSWORD).to.equal(PASSWORD);
            expect(input("DescribeUserPoolClientCommand")).to.deep.equal({ UserPoolId: POOL, ClientId: CLIENT });
            expect(input("SetUserMFAPreferenceCommand")).to.deep.equal({
                AccessToken: ACCESS,
                SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
            });
            expect(outs).to.not.have.property("totpSecret");
            expect(outs).to.not.have.property("totp");
        });

        it("a user the stack never enrolled and without mfa: no TOTP call", async () => {
            await provider.update!(`${POOL}/alice`, userOutputs(), userInputs({ password: NEW_PASSWORD }));
            expect(writes()).to.deep.equal(["AdminSetUserPasswordCommand"]);
        });

        it("a SOFTWARE_TOKEN_MFA challenge without a stored secret (TOTP made outside the stack): says how to turn it off", async () => {
            mock.on(InitiateAuthCommand).resolves({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: SESSION });
            const err = await rejection(provider.update!(`${POOL}/alice`, userOutputs(), inputs()));
            expect(err.message)
                .to.include("this stack has no secret for the user")
                .and.include(
                    `aws cognito-idp admin-set-user-mfa-preference --user-pool-id ${POOL} --username alice ` +
                        "--software-token-mfa-settings Enabled=false,PreferredMfa=false)",
                )
                .and.include("Nothing else was changed");
            expect(err).to.not.have.property("properties");
        });
    });

    it("the command that turns a user's TOTP off pastes into a shell whatever the username", () => {
        expect(turnOffCommand({ userPoolId: POOL, username: "john doe's" })).to.equal(
            `aws cognito-idp admin-set-user-mfa-preference --user-pool-id ${POOL} --username 'john doe'\\''s' ` +
                "--software-token-mfa-settings Enabled=false,PreferredMfa=false",
        );
    });

    describe("refused before anything changes", () => {
        it("a client without USER_PASSWORD_AUTH: create makes nothing, and the error names the client and the flow", async () => {
            mock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] } });
            const err = await rejection(provider.create!(inputs()));
            expect(writes()).to.deep.equal([]);
            expect(err.message).to.equal(
                `Cognito user "alice" in pool ${POOL} cannot be enrolled in TOTP, so nothing was changed: app client ${CLIENT} does not allow ` +
                    "USER_PASSWORD_AUTH (its explicit auth flows: ALLOW_USER_SRP_AUTH), and the provider signs in with the user's password to " +
                    "change its TOTP. Add ALLOW_USER_PASSWORD_AUTH to the client's explicit auth flows, or configure a client that has it " +
                    "(cognito-auth:userPoolClientId for an existing pool).",
            );
        });

        it("a pool with MFA OFF: update sends nothing, and the error names the pool's setting and the command", async () => {
            existing();
            mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "OFF" });
            const err = await rejection(provider.update!(`${POOL}/alice`, userOutputs(), inputs({ password: NEW_PASSWORD })));
            expect(writes()).to.deep.equal([]);
            expect(err.message)
                .to.include(`user pool ${POOL} has MFA OFF (MfaConfiguration)`)
                .and.include(`aws cognito-idp set-user-pool-mfa-config --user-pool-id ${POOL} --mfa-configuration OPTIONAL`);
        });

        it("a user disabled in Cognito: update sends nothing", async () => {
            existing({ Enabled: false });
            const err = await rejection(provider.update!(`${POOL}/alice`, userOutputs(), inputs()));
            expect(writes()).to.deep.equal([]);
            expect(err.message)
                .to.include('Cognito user "alice"')
                .and.include("is disabled in Cognito, and a disabled user cannot sign in to enrol in TOTP");
        });

        it("a sign-in Cognito refuses as disabled says the rule", async () => {
            existing();
            mock.on(InitiateAuthCommand).rejects(new NotAuthorizedException({ message: "User is disabled.", $metadata: meta }));
            const err = await rejection(provider.update!(`${POOL}/alice`, userOutputs(), inputs()));
            expect(err.message).to.include("a disabled user cannot sign in to enrol or change its TOTP");
        });
    });

    describe("half-way failures record exactly what Cognito holds", () => {
        beforeEach(() => existing());
        type Partial = Error & { id?: string; properties?: Record<string, unknown>; reasons?: string[] };

        it("verify fails after the password was set: partial state has the new password and the new secret, not enrolled", async () => {
            mock.on(VerifySoftwareTokenCommand).rejects(new CodeMismatchException({ message: "Invalid code", $metadata: meta }));
            const err = (await rejection(provider.update!(`${POOL}/alice`, userOutputs(), inputs({ password: NEW_PASSWORD })))) as Partial;
            expect(err.id).to.equal(`${POOL}/alice`);
            expect(err.properties).to.include({ password: NEW_PASSWORD, totpSecret: NEW_SECRET, status: "CONFIRMED" });
            expect(err.properties).to.not.have.property("totp");
            expect(err.reasons).to.deep.equal([err.message]);
            expect(err.message)
                .to.include("verifying a code from it failed, so TOTP is not on for the user")
                .and.include("AdminSetUserPassword");
        });

        it("the preference fails after verify: partial state keeps the verified secret, not enrolled, and says so", async () => {
            mock.on(SetUserMFAPreferenceCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
            const err = (await rejection(provider.update!(`${POOL}/alice`, userOutputs(), inputs()))) as Partial;
            expect(err.properties).to.include({ totpSecret: NEW_SECRET, password: PASSWORD });
            expect(err.properties).to.not.have.property("totp");
            expect(err.message).to.include("was enrolled in TOTP only in part: the new secret was verified");
        });

        it("the sign-in fails before any secret was made and nothing else was sent: no partial state", async () => {
            mock.on(InitiateAuthCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
            const err = (await rejection(provider.update!(`${POOL}/alice`, userOutputs(), inputs()))) as Partial;
            expect(err).to.not.have.property("properties");
            expect(err.message).to.include("no new secret was made, so its MFA is as it was");
        });

        it("turning TOTP off fails: nothing else is sent and the state keeps the enrolment", async () => {
            existing({ UserMFASettingList: ["SOFTWARE_TOKEN_MFA"] });
            mock.on(SetUserMFAPreferenceCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
            const { mfa: _m, totpGeneration: _g, clientId: _c, ...plain } = inputs({ password: NEW_PASSWORD });
            const err = (await rejection(provider.update!(`${POOL}/alice`, enrolled(), plain))) as Partial;
            expect(writes()).to.not.include("AdminSetUserPasswordCommand");
            expect(err).to.not.have.property("properties");
            expect(err.message).to.include("could not have its TOTP turned off (mfa was removed from it), so nothing was changed");
        });
    });
});

function commandOf(name: string) {
    return {
        InitiateAuthCommand,
        AssociateSoftwareTokenCommand,
        VerifySoftwareTokenCommand,
        SetUserMFAPreferenceCommand,
        RespondToAuthChallengeCommand,
        DescribeUserPoolClientCommand,
    }[name as "InitiateAuthCommand"];
}
