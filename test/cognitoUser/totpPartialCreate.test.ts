// A TOTP enrolment that fails during a create or an adoption: the state and message say exactly
// what Cognito holds. An adopted user (never deleted) and a created user whose deletion failed are
// recorded through the dynamic host's partial-create answer ({ message, id, properties, reasons }),
// the secret Cognito made among the properties, so the next `pulumi up` can answer a TOTP challenge
// with it; a created user deleted again leaves nothing, and the message says only that. The SDK is
// stubbed by aws-sdk-client-mock.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AssociateSoftwareTokenCommand,
    CodeMismatchException,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    InternalErrorException,
    RespondToAuthChallengeCommand,
    VerifySoftwareTokenCommand,
    AdminCreateUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserInputs } from "../../providers/cognitoUser/plan";
import { CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { totpClock } from "../../providers/cognitoUser/totp";
import { meta, mockedCognito } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, testSub as SUB, userInputs } from "../../harness/users";

const CLIENT = "client0123456789abcdefghij";
const NEW_SECRET = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";
const ACCESS = "eyJ.access-token.sig";
const SESSION = "session-one-abcdef";
const NOW = new Date(Date.UTC(2026, 11, 2, 12, 0, 10));
const PROVIDER_TEXT = 'exports.handler = require("@cognito-auth/user-provider-loader")';

type PartialCreate = Error & { id?: string; properties?: Record<string, unknown>; reasons?: string[] };
const inputs = (over: Partial<CognitoUserInputs> = {}) =>
    ({ ...userInputs({ mfa: "TOTP", totpGeneration: 1, clientId: CLIENT, ...over }), __provider: PROVIDER_TEXT }) as CognitoUserInputs;

describe("TOTP enrolment failing during create or adopt (mocked Cognito)", function () {
    const cognito = mockedCognito();
    for (const secret of [NEW_SECRET, ACCESS, SESSION]) cognito.secrets.add(secret);
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    const savedNow = totpClock.now;
    beforeEach(() => {
        ({ mock, provider } = cognito);
        totpClock.now = () => NOW;
        mock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] } });
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
        mock.on(AdminCreateUserCommand).resolves({ User: { Username: "alice", Attributes: [{ Name: "sub", Value: SUB }] } });
        // Pool MFA ON: the sign-in asks to set TOTP up; the session forms associate and verify.
        mock.on(InitiateAuthCommand).resolves({ ChallengeName: "MFA_SETUP", Session: SESSION });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: NEW_SECRET, Session: "session-two" });
        mock.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS", Session: "session-three" });
        mock.on(RespondToAuthChallengeCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
    });
    afterEach(() => (totpClock.now = savedNow));
    const existing = () =>
        mock
            .on(AdminGetUserCommand)
            .resolves({ Username: "alice", Enabled: true, UserStatus: "CONFIRMED", UserAttributes: [{ Name: "sub", Value: SUB }] });

    it("adopt, secret verified and MFA_SETUP's answer failed: a partial create whose state keeps the secret and the client, not enrolled", async () => {
        existing();
        const err = (await cognito.rejection(provider.create!(inputs({ adoptExisting: true })))) as PartialCreate;
        expect(err.id).to.equal(`${POOL}/alice`);
        expect(err.properties).to.include({
            totpSecret: NEW_SECRET,
            totpClientId: CLIENT,
            adopted: true,
            password: PASSWORD,
            status: "CONFIRMED",
            sub: SUB,
            __provider: PROVIDER_TEXT,
        });
        expect(err.properties).to.not.have.property("totp");
        expect(err.reasons).to.deep.equal([err.message]);
        expect(err.message)
            .to.include("the new secret was verified")
            .and.include("the stack's state keeps it (totpSecret, a Pulumi secret)")
            .and.include("existed before this stack and was not deleted");
    });

    it("adopt, the sign-in failed before any secret was made: nothing recorded (the next up adopts it again)", async () => {
        existing();
        mock.on(InitiateAuthCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
        const err = (await cognito.rejection(provider.create!(inputs({ adoptExisting: true })))) as PartialCreate;
        expect(err).to.not.have.property("properties");
        expect(err.message).to.include("no new secret was made");
    });

    it("create, verify failed, the user deleted again: says so, and names no stored secret or state", async () => {
        mock.on(VerifySoftwareTokenCommand).rejects(new CodeMismatchException({ message: "Invalid code", $metadata: meta }));
        const err = (await cognito.rejection(provider.create!(inputs()))) as PartialCreate;
        expect(cognito.writes().at(-1)).to.equal("AdminDeleteUserCommand");
        expect(err).to.not.have.property("properties");
        expect(err.message).to.equal(
            `Cognito user "alice" in pool ${POOL} could not be enrolled in TOTP (verifying a code from the secret Cognito made failed): ` +
                "CodeMismatchException: Invalid code. It was created by this `pulumi up`, so the user was deleted again and nothing of it " +
                "is left; the next `pulumi up` creates it and enrols it with a new secret.",
        );
    });

    it("create, enrolment failed and deleting the user failed too: a partial create that keeps the user and the secret", async () => {
        mock.on(AdminDeleteUserCommand).rejects(new InternalErrorException({ message: "delete boom", $metadata: meta }));
        const err = (await cognito.rejection(provider.create!(inputs()))) as PartialCreate;
        expect(err.id).to.equal(`${POOL}/alice`);
        expect(err.properties).to.include({
            totpSecret: NEW_SECRET,
            totpClientId: CLIENT,
            adopted: false,
            sub: SUB,
            __provider: PROVIDER_TEXT,
        });
        expect(err.properties).to.not.have.property("totp");
        expect(err.message)
            .to.include("deleting it again failed too (InternalErrorException: delete boom)")
            .and.include("the stack's state keeps it (totpSecret, a Pulumi secret)");
    });
});
