// The provider's answer to a SOFTWARE_TOKEN_MFA challenge (re-enrolment, removal) gets the one
// retry `npm run verify` makes: a code Cognito refuses as wrong or already used (two runs within
// 30 s send the same code) is answered again with the next step's code after a fresh sign-in.
// Mocked SDK (aws-sdk-client-mock) and a fake clock (totpClock).

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminGetUserCommand,
    AssociateSoftwareTokenCommand,
    CodeMismatchException,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    ExpiredCodeException,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    InternalErrorException,
    RespondToAuthChallengeCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { msLeftInStep, totpCode } from "../../lib/totp";
import { CognitoUserInputs, CognitoUserOutputs } from "../../providers/cognitoUser/plan";
import { CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { totpClock } from "../../providers/cognitoUser/totp";
import { meta, mockedCognito } from "../../harness/mockCognito";
import { testPoolId as POOL, testSub as SUB, userInputs, userOutputs } from "../../harness/users";

const CLIENT = "client0123456789abcdefghij";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const NEW_SECRET = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";
const ACCESS = "eyJ.access-token.sig";
const START = Date.UTC(2026, 11, 2, 12, 0, 10);

const inputs = (over: Partial<CognitoUserInputs> = {}) => userInputs({ mfa: "TOTP", totpGeneration: 2, clientId: CLIENT, ...over });
const enrolled = (over: Partial<CognitoUserOutputs> = {}) =>
    userOutputs({ totpSecret: SECRET, totp: { generation: 1, clientId: CLIENT }, ...over });

describe("TOTP challenge answered again once, in the next step (mocked Cognito, fake clock)", function () {
    const cognito = mockedCognito();
    for (const secret of [SECRET, NEW_SECRET, ACCESS, "session-1", "session-2"]) cognito.secrets.add(secret);
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    let now = START;
    const slept: number[] = [];
    const saved = { ...totpClock };
    const answers = () => mock.commandCalls(RespondToAuthChallengeCommand).map((c) => c.args[0].input);
    beforeEach(() => {
        ({ mock, provider } = cognito);
        now = START;
        slept.length = 0;
        totpClock.now = () => new Date(now);
        totpClock.sleep = async (ms: number) => {
            slept.push(ms);
            now += ms;
        };
        mock.on(AdminGetUserCommand).resolves({
            Username: "alice",
            Enabled: true,
            UserStatus: "CONFIRMED",
            UserAttributes: [{ Name: "sub", Value: SUB }],
            UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
        });
        mock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] } });
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } });
        mock.on(InitiateAuthCommand)
            .resolvesOnce({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: "session-1" })
            .resolves({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: "session-2" });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: NEW_SECRET });
        mock.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS" });
    });
    afterEach(() => Object.assign(totpClock, saved));

    for (const refusal of [
        new CodeMismatchException({ message: "Invalid code received for user", $metadata: meta }),
        new ExpiredCodeException({ message: "Your software token has already been used once.", $metadata: meta }),
    ])
        it(`a code refused (${refusal.name}): waits for the next step, signs in again, answers with that step's code, and enrols`, async () => {
            mock.on(RespondToAuthChallengeCommand)
                .rejectsOnce(refusal)
                .resolves({ AuthenticationResult: { AccessToken: ACCESS } });
            const { outs } = await provider.update!(`${POOL}/alice`, enrolled(), inputs());
            expect(slept).to.deep.equal([msLeftInStep(new Date(START)) + 1_000]);
            expect(mock.commandCalls(InitiateAuthCommand)).to.have.length(2);
            const [first, second] = answers();
            expect(first.Session).to.equal("session-1");
            expect(first.ChallengeResponses!.SOFTWARE_TOKEN_MFA_CODE).to.equal(totpCode(SECRET, new Date(START)));
            expect(second.Session).to.equal("session-2");
            expect(second.ChallengeResponses!.SOFTWARE_TOKEN_MFA_CODE).to.equal(totpCode(SECRET, new Date(now)));
            expect(Math.floor(now / 30_000)).to.equal(Math.floor(START / 30_000) + 1);
            expect(outs!.totpSecret).to.equal(NEW_SECRET);
        });

    it("refused twice: fails after the one retry, saying the stored secret's code was refused, nothing made", async () => {
        mock.on(RespondToAuthChallengeCommand).rejects(new CodeMismatchException({ message: "Invalid code", $metadata: meta }));
        const err = await cognito.rejection(provider.update!(`${POOL}/alice`, enrolled(), inputs()));
        expect(answers()).to.have.length(2);
        expect(mock.commandCalls(AssociateSoftwareTokenCommand)).to.have.length(0);
        expect(err.message).to.include("no new secret was made").and.include("CodeMismatchException");
    });

    it("another error is not retried", async () => {
        mock.on(RespondToAuthChallengeCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
        await cognito.rejection(provider.update!(`${POOL}/alice`, enrolled(), inputs()));
        expect(answers()).to.have.length(1);
        expect(slept).to.deep.equal([]);
    });
});
