// The user provider's read (`pulumi refresh`; providers/cognitoUser/provider.ts) with the SDK
// stubbed by aws-sdk-client-mock (harness/mockCognito.ts): the calls, what it reports, a user gone,
// a read from the id alone (an import). Which user is ours (by sub): identity.test.ts.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
    ResourceNotFoundException,
    UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { meta, mockedCognito, undefinedPaths } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, testSub as SUB, userOutputs as outputs } from "../../harness/users";

describe("read", function () {
    const cognito = mockedCognito();
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    beforeEach(() => ({ mock, provider } = cognito));
    const { callNames, callInput, rejection: expectSafeRejection } = cognito;
    const id = `${POOL}/alice`;

    it("returns managed attributes, enabled, groups, status and sub", async () => {
        mock.on(AdminGetUserCommand).resolves({
            Username: "alice",
            Enabled: false,
            UserStatus: "RESET_REQUIRED",
            UserAttributes: [
                { Name: "sub", Value: SUB },
                { Name: "email", Value: "drifted@example.com" },
                { Name: "email_verified", Value: "false" },
                { Name: "family_name", Value: "NotManaged" },
            ],
        });
        mock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: "zeta" }, { GroupName: "alpha" }] });
        const result = await provider.read!(id, outputs());

        expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminListGroupsForUserCommand"]);
        expect(callInput(0)).to.deep.equal({ UserPoolId: POOL, Username: "alice" });
        expect(result.id).to.equal(id);
        const props = result.props!;
        expect(props.attributes).to.deep.equal({ email: "drifted@example.com", email_verified: "false" });
        expect(props.enabled).to.equal(false);
        expect(props.groups).to.deep.equal(["alpha", "zeta"]);
        expect(props.status).to.equal("RESET_REQUIRED");
        expect(props.sub).to.equal(SUB);
        expect(props.password).to.equal(PASSWORD); // kept so a rotation can still be seen
        expect(undefinedPaths(props)).to.deep.equal([]);
    });

    it("keeps the stored sub when Cognito returns none, and reads a missing Enabled as true and a missing status as UNKNOWN", async () => {
        mock.on(AdminGetUserCommand).resolves({
            Username: "alice",
            UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
        });
        const result = await provider.read!(id, outputs({ adopted: true }));
        expect(result.props).to.include({ sub: SUB, enabled: true, status: "UNKNOWN", adopted: true });
        expect(result.props!.attributes).to.deep.equal({ email: "alice@example.com" });
        expect(undefinedPaths(result.props)).to.deep.equal([]);
    });

    it("from the id alone, with no sub in Cognito's answer either: an empty sub, not undefined", async () => {
        mock.on(AdminGetUserCommand).resolves({ Username: "alice", Enabled: true, UserStatus: "CONFIRMED" });
        const result = await provider.read!(id);
        expect(result.props).to.include({ sub: "", adopted: false, status: "CONFIRMED", userPoolId: POOL, username: "alice" });
        expect(result.props!.attributes).to.deep.equal({});
        expect(undefinedPaths(result.props)).to.deep.equal([]);
    });

    it("follows AdminListGroupsForUser pagination", async () => {
        mock.on(AdminGetUserCommand).resolves({ Username: "alice", Enabled: true, UserStatus: "CONFIRMED", UserAttributes: [] });
        mock.on(AdminListGroupsForUserCommand)
            .resolvesOnce({ Groups: [{ GroupName: "b" }], NextToken: "page2" })
            .resolvesOnce({ Groups: [{ GroupName: "a" }] });
        const result = await provider.read!(id, outputs());
        expect(result.props!.groups).to.deep.equal(["a", "b"]);
        const pages = mock.commandCalls(AdminListGroupsForUserCommand);
        expect(pages).to.have.length(2);
        expect(pages[1].args[0].input.NextToken).to.equal("page2");
    });

    it("a user gone outside Pulumi (UserNotFoundException) reads as gone", async () => {
        mock.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "User does not exist.", $metadata: meta }));
        const result = await provider.read!(id, outputs());
        expect(result.id).to.equal("");
    });

    it("a pool that cannot be found (ResourceNotFoundException) is an error naming the pool, not a gone user", async () => {
        mock.on(AdminGetUserCommand).rejects(new ResourceNotFoundException({ message: "User pool does not exist.", $metadata: meta }));
        const err = await expectSafeRejection(provider.read!(id, outputs()));
        expect(err.message).to.include(`user pool ${POOL} was not found in region eu-west-1`);
    });

    it("other errors are thrown naming the user, without the password", async () => {
        mock.on(AdminGetUserCommand).rejects(new InternalErrorException({ message: `oops ${PASSWORD}`, $metadata: meta }));
        const err = await expectSafeRejection(provider.read!(id, outputs()));
        expect(err.message).to.include('"alice"').and.include("could not be read").and.include("InternalErrorException");
    });

    it("works from the id alone (user names may contain '/')", async () => {
        mock.on(AdminGetUserCommand).resolves({
            Username: "team/alice",
            Enabled: true,
            UserStatus: "CONFIRMED",
            UserAttributes: [{ Name: "sub", Value: SUB }],
        });
        const result = await provider.read!(`${POOL}/team/alice`);
        expect(callInput(0)).to.deep.equal({ UserPoolId: POOL, Username: "team/alice" });
        expect(result.props!.userPoolId).to.equal(POOL);
        expect(result.props!.username).to.equal("team/alice");
        expect(undefinedPaths(result.props)).to.deep.equal([]);
    });

    describe("answers without optional fields, and a read from the id alone", function () {
        const rejection = cognito.rejection;

        it("read: an attribute without a value reads as empty, a group list without Groups as none", async function () {
            mock.on(AdminGetUserCommand).resolves({
                Username: "alice",
                UserStatus: "CONFIRMED",
                Enabled: true,
                UserAttributes: [{ Name: "sub", Value: SUB }, { Name: "email" }],
            });
            mock.on(AdminListGroupsForUserCommand).resolves({});
            const result = await provider.read!(`${POOL}/alice`, { attributes: { email: "alice@example.com" } } as never);
            expect(result.props!.attributes).to.deep.equal({ email: "" });
            expect(result.props!.groups).to.deep.equal([]);
        });

        it("read by id alone (an import): the password output is empty", async function () {
            mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserStatus: "CONFIRMED", Enabled: true, UserAttributes: [] });
            const result = await provider.read!(`${POOL}/alice`);
            expect(result.props!.password).to.equal("");
            expect(result.props!.username).to.equal("alice");
        });

        it("read and delete by id alone report the failure (no stored outputs to take secrets from)", async function () {
            mock.on(AdminGetUserCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
            mock.on(AdminDeleteUserCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
            expect((await rejection(provider.read!(`${POOL}/alice`))).message).to.equal(
                'Cognito user "alice" in pool eu-west-1_AbCdEf123 could not be read: InternalErrorException: boom',
            );
            expect((await rejection(provider.delete!(`${POOL}/alice`, undefined as never))).message).to.equal(
                'Cognito user "alice" in pool eu-west-1_AbCdEf123 could not be looked up before deleting it: InternalErrorException: boom',
            );
            mock.on(AdminGetUserCommand).resolves({ Username: "alice" });
            expect((await rejection(provider.delete!(`${POOL}/alice`, undefined as never))).message).to.equal(
                'Cognito user "alice" in pool eu-west-1_AbCdEf123 could not be deleted: InternalErrorException: boom',
            );
        });
    });
});
