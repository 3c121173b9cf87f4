// The app client an enrolment is recorded with (`totp.clientId`) follows the configured one: a new
// `clientId` for an enrolled user (another userPoolClientId, or a replaced client) is an update
// that sends Cognito nothing and records the new id, so a later removal signs in through a client
// that exists. It never re-enrols. The SDK is stubbed by aws-sdk-client-mock.

import { expect } from "chai";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserInputs, CognitoUserOutputs, diffUser } from "../../providers/cognitoUser/plan";
import { mockedCognito } from "../../harness/mockCognito";
import { testPoolId as POOL, testSub as SUB, unknownValue, userInputs, userOutputs } from "../../harness/users";

const CLIENT = "client0123456789abcdefghij";
const NEW_CLIENT = "newclient0123456789abcdef";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

const withMfa = (over: Partial<CognitoUserInputs> = {}) => userInputs({ mfa: "TOTP", totpGeneration: 1, clientId: CLIENT, ...over });
const enrolled = (over: Partial<CognitoUserOutputs> = {}) =>
    userOutputs({ totpSecret: SECRET, totp: { generation: 1, clientId: CLIENT }, ...over });

describe("TOTP: a changed app client of an enrolled user", function () {
    it("diff: a new clientId, or one not known yet (a replaced client at preview), is a change, with no TOTP reason", () => {
        for (const clientId of [NEW_CLIENT, unknownValue])
            expect(diffUser(enrolled(), withMfa({ clientId })), clientId).to.deep.equal({
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        expect(diffUser(enrolled(), withMfa()).changes).to.equal(false);
    });

    describe("update (mocked Cognito)", () => {
        const cognito = mockedCognito();
        cognito.secrets.add(SECRET);
        it("records the new client in totp.clientId, keeps the secret, and sends Cognito nothing", async () => {
            cognito.mock.on(AdminGetUserCommand).resolves({
                Username: "alice",
                Enabled: true,
                UserStatus: "CONFIRMED",
                UserAttributes: [{ Name: "sub", Value: SUB }],
                UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
            });
            const { outs } = await cognito.provider.update!(`${POOL}/alice`, enrolled(), withMfa({ clientId: NEW_CLIENT }));
            expect(cognito.callNames()).to.deep.equal([]);
            expect(outs).to.deep.equal(enrolled({ totp: { generation: 1, clientId: NEW_CLIENT } }));
        });
    });
});
