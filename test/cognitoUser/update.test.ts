// The user provider's update (providers/cognitoUser/provider.ts) with the SDK stubbed by
// aws-sdk-client-mock (harness/mockCognito.ts): the one Cognito call each change needs, a user
// deleted outside Pulumi, errors that name the user and no password. Which calls a change needs
// (planChanges, pure): plan.test.ts; a user under the stored name that is not ours: identity.test.ts.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminAddUserToGroupCommand,
    AdminGetUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
    InvalidPasswordException,
    ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { meta, mockedCognito, newPassword as NEW_PASSWORD, notFound, undefinedPaths } from "../../harness/mockCognito";
import {
    testPassword as PASSWORD,
    testPoolId as POOL,
    testSub as SUB,
    userInputs as inputs,
    userOutputs as outputs,
} from "../../harness/users";

describe("update", function () {
    const cognito = mockedCognito();
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    beforeEach(() => ({ mock, provider } = cognito));
    const { callNames, callInput, rejection: expectSafeRejection } = cognito;
    const id = `${POOL}/alice`;
    // The look-up that comes first finds this stack's user (the stored sub).
    beforeEach(() => {
        mock.on(AdminGetUserCommand).resolves({
            Username: "alice",
            Enabled: true,
            UserStatus: "CONFIRMED",
            UserAttributes: [{ Name: "sub", Value: SUB }],
        });
    });

    it("password only -> AdminSetUserPassword only", async () => {
        const result = await provider.update!(id, outputs(), inputs({ password: NEW_PASSWORD }));
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminSetUserPasswordCommand"]);
        expect(callInput(1)).to.deep.equal({ UserPoolId: POOL, Username: "alice", Password: NEW_PASSWORD, Permanent: true });
        expect(result.outs!.password).to.equal(NEW_PASSWORD);
        expect(result.outs!.status).to.equal("CONFIRMED");
        expect(result.outs!.sub).to.equal(SUB);
        expect(undefinedPaths(result.outs)).to.deep.equal([]);
    });

    it("an attribute change -> AdminUpdateUserAttributes with only the changed attribute", async () => {
        const olds = outputs({ attributes: { email: "alice@example.com", email_verified: "true", given_name: "Alice" } });
        const news = inputs({ attributes: { email: "alice@example.com", email_verified: "true", given_name: "Alicia" } });
        await provider.update!(id, olds, news);
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminUpdateUserAttributesCommand"]);
        expect(callInput(1)).to.deep.equal({
            UserPoolId: POOL,
            Username: "alice",
            UserAttributes: [{ Name: "given_name", Value: "Alicia" }],
        });
    });

    it("an email change also re-sends email_verified", async () => {
        await provider.update!(id, outputs(), inputs({ attributes: { email: "alice@new.example.com", email_verified: "true" } }));
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminUpdateUserAttributesCommand"]);
        expect(callInput(1).UserAttributes).to.deep.equal([
            { Name: "email", Value: "alice@new.example.com" },
            { Name: "email_verified", Value: "true" },
        ]);
    });

    it("an attribute removal -> AdminDeleteUserAttributes only", async () => {
        const olds = outputs({ attributes: { email: "alice@example.com", email_verified: "true", given_name: "Alice" } });
        await provider.update!(id, olds, inputs());
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminDeleteUserAttributesCommand"]);
        expect(callInput(1)).to.deep.equal({ UserPoolId: POOL, Username: "alice", UserAttributeNames: ["given_name"] });
    });

    it("enabled true -> false -> AdminDisableUser only", async () => {
        await provider.update!(id, outputs(), inputs({ enabled: false }));
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminDisableUserCommand"]);
        expect(callInput(1)).to.deep.equal({ UserPoolId: POOL, Username: "alice" });
    });

    it("enabled false -> true -> AdminEnableUser only", async () => {
        const result = await provider.update!(id, outputs({ enabled: false }), inputs({ enabled: true }));
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminEnableUserCommand"]);
        expect(result.outs!.enabled).to.equal(true);
    });

    it("groups added and removed -> AdminAddUserToGroup / AdminRemoveUserFromGroup only", async () => {
        await provider.update!(id, outputs({ groups: ["a", "b"] }), inputs({ groups: ["c", "b"] }));
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminAddUserToGroupCommand", "AdminRemoveUserFromGroupCommand"]);
        expect(callInput(1)).to.deep.equal({ UserPoolId: POOL, Username: "alice", GroupName: "c" });
        expect(callInput(2)).to.deep.equal({ UserPoolId: POOL, Username: "alice", GroupName: "a" });
    });

    it("status FORCE_CHANGE_PASSWORD with the same password -> AdminSetUserPassword", async () => {
        const result = await provider.update!(id, outputs({ status: "FORCE_CHANGE_PASSWORD" }), inputs());
        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminSetUserPasswordCommand"]);
        expect(callInput(1)).to.include({ Password: PASSWORD, Permanent: true });
        expect(result.outs!.status).to.equal("CONFIRMED");
    });

    it("nothing changed -> no API calls", async () => {
        const olds = outputs({ groups: ["a", "b"] });
        const result = await provider.update!(id, olds, inputs({ groups: ["b", "a"] }));
        expect(mock.calls()).to.have.length(0);
        expect(result.outs).to.deep.equal(olds);
    });

    it("keeps adopted from the old outputs", async () => {
        const result = await provider.update!(id, outputs({ adopted: true }), inputs({ password: NEW_PASSWORD }));
        expect(result.outs!.adopted).to.equal(true);
    });

    it("a failed update names the user and never the password", async () => {
        mock.on(AdminSetUserPasswordCommand).rejects(
            new InvalidPasswordException({
                message: `Password '${NEW_PASSWORD}' did not conform with policy`,
                $metadata: meta,
            }),
        );
        const err = await expectSafeRejection(provider.update!(id, outputs(), inputs({ password: NEW_PASSWORD })));
        expect(err.message).to.include('"alice"').and.include("could not be updated").and.include("InvalidPasswordException");
    });

    it("an error that echoes the OLD password, escaped, encoded or upper-cased, shows none of them", async () => {
        const echoed = [
            PASSWORD,
            JSON.stringify(PASSWORD),
            encodeURIComponent(PASSWORD),
            PASSWORD.toUpperCase(),
            NEW_PASSWORD.toLowerCase(),
        ];
        mock.on(AdminSetUserPasswordCommand).rejects(
            new InternalErrorException({ message: `echo ${echoed.join(" | ")}`, $metadata: meta }),
        );
        const err = await expectSafeRejection(provider.update!(id, outputs(), inputs({ password: NEW_PASSWORD })));
        const lower = err.message.toLowerCase();
        for (const form of echoed) expect(lower).to.not.include(form.toLowerCase());
        expect(err.message).to.include('echo [secret] | "[secret]" | [secret] | [secret] | [secret]');
    });

    it("after an out-of-band delete (UserNotFoundException) says so and how to recreate it, sending nothing", async () => {
        mock.on(AdminGetUserCommand).rejects(notFound());
        const err = await expectSafeRejection(provider.update!(id, outputs(), inputs({ password: NEW_PASSWORD })));
        expect(err.message)
            .to.include('Cognito user "alice" no longer exists in user pool')
            .and.include("deleted outside Pulumi")
            .and.include("pulumi refresh")
            .and.include("pulumi up --refresh");
        expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
    });

    it("a user deleted between the look-up and the call is reported gone", async () => {
        mock.on(AdminGetUserCommand)
            .resolvesOnce({ Username: "alice", UserAttributes: [{ Name: "sub", Value: SUB }] })
            .rejects(notFound());
        mock.on(AdminSetUserPasswordCommand).rejects(notFound());
        const err = await expectSafeRejection(provider.update!(id, outputs(), inputs({ password: NEW_PASSWORD })));
        expect(err.message).to.include("no longer exists").and.include("deleted outside Pulumi");
    });

    it("a missing group (also ResourceNotFoundException) is not taken for a deleted user", async () => {
        mock.on(AdminAddUserToGroupCommand).rejects(new ResourceNotFoundException({ message: "Group not found.", $metadata: meta }));
        mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserStatus: "CONFIRMED", Enabled: true });
        const err = await expectSafeRejection(provider.update!(id, outputs(), inputs({ groups: ["missing"] })));
        expect(err.message).to.include("could not be updated").and.include("Group not found").and.not.include("no longer exists");
    });
});
