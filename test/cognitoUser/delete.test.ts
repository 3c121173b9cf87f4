// The user provider's delete (`pulumi destroy`, a removed user; providers/cognitoUser/provider.ts)
// with the SDK stubbed by aws-sdk-client-mock (harness/mockCognito.ts). A namesake (another sub)
// and a case-only rename are never deleted: identity.test.ts.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { meta, mockedCognito, notFound } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, testSub as SUB, userOutputs as outputs } from "../../harness/users";

describe("delete", function () {
    const cognito = mockedCognito();
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    beforeEach(() => ({ mock, provider } = cognito));
    const { callNames, callInput, rejection: expectSafeRejection } = cognito;
    const id = `${POOL}/alice`;
    // The look-up that comes first finds this stack's user (the stored sub).
    beforeEach(() => {
        mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserAttributes: [{ Name: "sub", Value: SUB }] });
    });

    it("looks the user up, then calls AdminDeleteUser", async () => {
        await provider.delete!(id, outputs());
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminDeleteUserCommand"]);
        expect(callInput(0)).to.deep.equal({ UserPoolId: POOL, Username: "alice" });
        expect(callInput(1)).to.deep.equal({ UserPoolId: POOL, Username: "alice" });
    });

    it("a user already gone is success: found gone by the look-up, or by AdminDeleteUser just after it", async () => {
        mock.on(AdminGetUserCommand).rejects(notFound());
        await provider.delete!(id, outputs());
        expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
        mock.reset();
        mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserAttributes: [{ Name: "sub", Value: SUB }] });
        mock.on(AdminDeleteUserCommand).rejects(notFound());
        await provider.delete!(id, outputs());
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminDeleteUserCommand"]);
    });

    it("other errors are thrown naming the user, without the password", async () => {
        mock.on(AdminDeleteUserCommand).rejects(new InternalErrorException({ message: `failed near ${PASSWORD}`, $metadata: meta }));
        const err = await expectSafeRejection(provider.delete!(id, outputs()));
        expect(err.message)
            .to.include('"alice"')
            .and.include(POOL)
            .and.include("could not be deleted")
            .and.include("InternalErrorException");
    });
});
