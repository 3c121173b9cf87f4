// Removing `mfa` from a user whose state keeps a TOTP secret without an enrolment (after drift at
// refresh, or a failed enrolment): the provider turns TOTP off when Cognito still has it, and
// drops the secret from state either way. And the app client those states keep for that removal.
// The SDK is stubbed by aws-sdk-client-mock.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminGetUserCommand,
    AssociateSoftwareTokenCommand,
    CodeMismatchException,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { totpCode } from "../../lib/totp";
import { CognitoUserInputs, CognitoUserOutputs, diffUser } from "../../providers/cognitoUser/plan";
import { CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { totpClock } from "../../providers/cognitoUser/totp";
import { meta, mockedCognito } from "../../harness/mockCognito";
import { testPoolId as POOL, testSub as SUB, userInputs, userOutputs } from "../../harness/users";

const CLIENT = "client0123456789abcdefghij";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const NEW_SECRET = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";
const ACCESS = "eyJ.access-token.sig";
const SESSION = "session-one-abcdef";
const NOW = new Date(Date.UTC(2026, 11, 2, 12, 0, 10));

/** State with the secret but no enrolment: what refresh after drift, or a failed enrolment, leaves. */
const secretOnly = (over: Partial<CognitoUserOutputs> = {}) => userOutputs({ totpSecret: SECRET, totpClientId: CLIENT, ...over });
const withMfa = (over: Partial<CognitoUserInputs> = {}) => userInputs({ mfa: "TOTP", totpGeneration: 1, clientId: CLIENT, ...over });

describe("TOTP removal of a secret kept without an enrolment (mocked Cognito)", function () {
    const cognito = mockedCognito();
    for (const secret of [SECRET, NEW_SECRET, ACCESS, SESSION]) cognito.secrets.add(secret);
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    const writes = () => cognito.writes().filter((name) => !/^(DescribeUserPoolClient|GetUserPoolMfaConfig)Command$/.test(name));
    const savedNow = totpClock.now;
    const found = (list?: string[]) =>
        mock.on(AdminGetUserCommand).resolves({
            Username: "alice",
            Enabled: true,
            UserStatus: "CONFIRMED",
            UserAttributes: [
                { Name: "sub", Value: SUB },
                { Name: "email", Value: "alice@example.com" },
                { Name: "email_verified", Value: "true" },
            ],
            UserMFASettingList: list,
        });
    beforeEach(() => {
        ({ mock, provider } = cognito);
        totpClock.now = () => NOW;
        mock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] } });
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } });
        mock.on(InitiateAuthCommand).resolves({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: SESSION });
        mock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS } });
    });
    afterEach(() => (totpClock.now = savedNow));

    it("diff: a kept secret and inputs without mfa is a change that turns TOTP off", () => {
        expect(diffUser(secretOnly(), userInputs())).to.deep.equal({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
            totpReason: "turns TOTP off (mfa removed)",
        });
    });

    it("Cognito still has the TOTP: signs in through the kept client, answers SOFTWARE_TOKEN_MFA from the kept secret, turns it off, drops the secret", async () => {
        found(["SOFTWARE_TOKEN_MFA"]);
        const { outs } = await provider.update!(`${POOL}/alice`, secretOnly(), userInputs());
        expect(writes()).to.deep.equal(["InitiateAuthCommand", "RespondToAuthChallengeCommand", "SetUserMFAPreferenceCommand"]);
        expect(mock.commandCalls(DescribeUserPoolClientCommand)[0].args[0].input).to.deep.equal({ UserPoolId: POOL, ClientId: CLIENT });
        expect(mock.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input.ChallengeResponses).to.deep.equal({
            USERNAME: "alice",
            SOFTWARE_TOKEN_MFA_CODE: totpCode(SECRET, NOW),
        });
        expect(mock.commandCalls(SetUserMFAPreferenceCommand)[0].args[0].input.SoftwareTokenMfaSettings).to.deep.equal({
            Enabled: false,
            PreferredMfa: false,
        });
        for (const key of ["totpSecret", "totp", "totpClientId"]) expect(outs).to.not.have.property(key);
    });

    it("Cognito has no TOTP for the user: no sign-in, no call; the secret is dropped from state", async () => {
        found([]);
        const { outs } = await provider.update!(`${POOL}/alice`, secretOnly(), userInputs());
        expect(writes()).to.deep.equal([]);
        for (const key of ["totpSecret", "totp", "totpClientId"]) expect(outs).to.not.have.property(key);
    });

    it("an enrolled user that Cognito no longer lists with TOTP (no refresh since): removal sends no TOTP call", async () => {
        found(undefined);
        const { outs } = await provider.update!(
            `${POOL}/alice`,
            userOutputs({ totpSecret: SECRET, totp: { generation: 1, clientId: CLIENT } }),
            userInputs(),
        );
        expect(writes()).to.deep.equal([]);
        expect(outs).to.not.have.property("totpSecret");
    });

    it("a pool with MFA ON: removal is refused before anything is sent, saying what the user would meet and what to do", async () => {
        found(["SOFTWARE_TOKEN_MFA"]);
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
        const err = await cognito.rejection(
            provider.update!(`${POOL}/alice`, userOutputs({ totpSecret: SECRET, totp: { generation: 1, clientId: CLIENT } }), userInputs()),
        );
        expect(writes()).to.deep.equal([]);
        expect(err).to.not.have.property("properties");
        expect(err.message).to.equal(
            `Cognito user "alice" in pool ${POOL} could not have its TOTP turned off (mfa was removed from it), so nothing was changed: ` +
                `user pool ${POOL} has MFA ON (MfaConfiguration), so without TOTP the user could not sign in until it set TOTP up again ` +
                "(Cognito answers its sign-in with MFA_SETUP, and npm run verify reports that). Keep the user's mfa " +
                "(cognito-auth:users.alice.mfa TOTP), or first set the pool's MFA to OPTIONAL (cognito-auth:mfa for a pool the stack " +
                `creates; for an existing pool: aws cognito-idp set-user-pool-mfa-config --user-pool-id ${POOL} --mfa-configuration OPTIONAL ` +
                "--software-token-mfa-configuration Enabled=true), then run `pulumi up` again.",
        );
    });

    it("a pool with MFA ON and no TOTP left in Cognito: the secret is only dropped, nothing refused", async () => {
        found([]);
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
        const { outs } = await provider.update!(`${POOL}/alice`, secretOnly(), userInputs());
        expect(writes()).to.deep.equal([]);
        expect(outs).to.not.have.property("totpSecret");
    });

    it("refresh after drift keeps the enrolment's client in state (totpClientId), beside the secret", async () => {
        found([]);
        const { props } = await provider.read!(
            `${POOL}/alice`,
            userOutputs({ totpSecret: SECRET, totp: { generation: 1, clientId: CLIENT } }),
        );
        expect(props).to.deep.equal(secretOnly());
    });

    it("a failed enrolment's partial state keeps the client it signed in through (totpClientId), beside the new secret", async () => {
        found([]);
        mock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS } });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: NEW_SECRET });
        mock.on(VerifySoftwareTokenCommand).rejects(new CodeMismatchException({ message: "Invalid code", $metadata: meta }));
        const err = (await cognito.rejection(provider.update!(`${POOL}/alice`, userOutputs(), withMfa()))) as Error & {
            properties?: Record<string, unknown>;
        };
        expect(err.properties).to.include({ totpSecret: NEW_SECRET, totpClientId: CLIENT });
        expect(err.properties).to.not.have.property("totp");
    });

    it("a later enrolment of such a state records the enrolment and no longer the separate client", async () => {
        found([]);
        mock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS } });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: NEW_SECRET });
        mock.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS" });
        const { outs } = await provider.update!(`${POOL}/alice`, secretOnly(), withMfa());
        expect(outs).to.include({ totpSecret: NEW_SECRET });
        expect(outs!.totp).to.deep.equal({ generation: 1, clientId: CLIENT });
        expect(outs).to.not.have.property("totpClientId");
    });
});
