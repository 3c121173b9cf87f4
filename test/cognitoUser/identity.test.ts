// A user is this stack's by the `sub` in its state, not by its name; a pool that cannot be found is
// an error, never "every user gone"; a case-only rename never deletes the user. The provider's read,
// update, delete and create with a mocked Cognito client (aws-sdk-client-mock, harness/mockCognito.ts):
// each test asserts the calls that were sent, so "nothing was changed" means no write call reached
// Cognito. The real engine runs the same cases in engine.identity.test.ts.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    CognitoIdentityProviderClient,
    ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider, createCognitoUserProvider } from "../../providers/cognitoUser/provider";
import { dropSharedClients } from "../../providers/cognitoUser/client";
import { withEnv } from "../../harness/env";
import { meta, mockedCognito, newPassword as NEW_PASSWORD } from "../../harness/mockCognito";
import { testPoolId as POOL, testSub as SUB, userInputs as inputs, userOutputs as outputs } from "../../harness/users";

const OTHER_SUB = "0b0b0b0b-1111-4222-8333-4444mallory";
const poolNotFound = () => new ResourceNotFoundException({ message: "User pool eu-west-1_AbCdEf123 does not exist.", $metadata: meta });
const id = `${POOL}/alice`;

/** What AdminGetUser answers for a user with this sub. */
function userWithSub(sub: string, username = "alice"): AdminGetUserCommandOutput {
    return {
        Username: username,
        Enabled: true,
        UserStatus: "CONFIRMED",
        UserAttributes: [
            { Name: "sub", Value: sub },
            { Name: "email", Value: "mallory@example.com" },
        ],
        $metadata: {},
    };
}

describe("identity by sub, a pool that cannot be found, case-only renames", function () {
    const cognito = mockedCognito();
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    beforeEach(() => ({ mock, provider } = cognito));
    let stderr: string[];
    beforeEach(() => ({ stderr } = cognito));
    const { callNames, writes, rejection } = cognito;

    describe("a namesake: a user under the stored name with another sub", function () {
        beforeEach(() => mock.on(AdminGetUserCommand).resolves(userWithSub(OTHER_SUB)));

        it("read: ours is gone (empty id), one stderr line names the user and both subs, and nothing but the look-up is sent", async function () {
            const result = await provider.read!(id, outputs());
            expect(result).to.deep.equal({ id: "" });
            expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
            expect(stderr).to.have.length(1);
            expect(stderr[0])
                .to.include('Cognito user "alice" in user pool eu-west-1_AbCdEf123 is not this stack\'s user')
                .and.include(`its sub is ${OTHER_SUB}, this stack's is ${SUB}`)
                .and.include("refresh forgets it and leaves the other user untouched")
                .and.not.include("\n");
        });

        it("update: fails saying ours is gone and someone else has the name, what to do, and sends no write", async function () {
            const err = await rejection(
                provider.update!(id, outputs(), inputs({ password: NEW_PASSWORD, attributes: { email: "x@example.com" } })),
            );
            expect(err.message)
                .to.include('Cognito user "alice" in user pool eu-west-1_AbCdEf123 is not this stack\'s user')
                .and.include(`its sub is ${OTHER_SUB}, this stack's is ${SUB}`)
                .and.include("nothing was changed")
                .and.include("pulumi refresh")
                .and.include("pulumi config rm --path 'users.alice'")
                .and.include("pulumi config rm --path 'passwords.alice'");
            expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
        });

        it("delete: succeeds without deleting, and says so in one stderr line", async function () {
            await provider.delete!(id, outputs());
            expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
            expect(writes()).to.deep.equal([]);
            expect(stderr).to.have.length(1);
            expect(stderr[0]).to.include('Cognito user "alice"').and.include("the other user was not deleted").and.include(OTHER_SUB);
        });

        it("the same user (same sub) is read, updated and deleted as before", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB));
            expect((await provider.read!(id, outputs())).id).to.equal(id);
            await provider.update!(id, outputs(), inputs({ password: NEW_PASSWORD }));
            await provider.delete!(id, outputs());
            expect(writes()).to.deep.equal(["AdminSetUserPasswordCommand", "AdminDeleteUserCommand"]);
            expect(stderr).to.deep.equal([]);
        });
    });

    describe("state of earlier versions, without a sub", function () {
        for (const [what, olds] of [
            ["an empty sub", outputs({ sub: "" })],
            ["no sub at all", (({ sub: _sub, ...rest }) => rest)(outputs())],
        ] as const) {
            it(`${what}: read records the sub Cognito has`, async function () {
                mock.on(AdminGetUserCommand).resolves(userWithSub(OTHER_SUB));
                const result = await provider.read!(id, olds as never);
                expect(result.id).to.equal(id);
                expect(result.props!.sub).to.equal(OTHER_SUB);
            });

            it(`${what}: update records the sub, even with nothing else to send`, async function () {
                mock.on(AdminGetUserCommand).resolves(userWithSub(OTHER_SUB));
                const result = await provider.update!(id, olds as never, inputs());
                expect(result.outs!.sub).to.equal(OTHER_SUB);
                expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
            });
        }

        it("a stored sub and nothing to send: no call at all", async function () {
            const result = await provider.update!(id, outputs({ stateVersion: 1 }), inputs());
            expect(mock.calls()).to.have.length(0);
            expect(result.outs!.sub).to.equal(SUB);
        });
    });

    describe("a pool that cannot be found (ResourceNotFoundException) is an error, never a gone user", function () {
        beforeEach(() => {
            mock.on(AdminGetUserCommand).rejects(poolNotFound());
            mock.on(AdminDeleteUserCommand).rejects(poolNotFound());
        });

        const operations: [string, (p: CognitoUserProvider) => Promise<unknown>, string][] = [
            ["read (refresh)", (p) => p.read!(id, outputs()), "could not be read"],
            ["update", (p) => p.update!(id, outputs(), inputs({ password: NEW_PASSWORD })), "could not be looked up before updating it"],
            ["delete (destroy)", (p) => p.delete!(id, outputs()), "could not be looked up before deleting it"],
            ["create", (p) => p.create!(inputs()), "could not be looked up before creating it"],
        ];
        for (const [what, run, step] of operations) {
            it(`${what}: fails naming the pool, the region, the default endpoint and how to proceed; sends no write`, async function () {
                const err = await rejection(run(provider));
                expect(err.message)
                    .to.include(
                        `Cognito user "alice" ${step}: user pool ${POOL} was not found in region eu-west-1 at https://cognito-idp.eu-west-1.amazonaws.com`,
                    )
                    .and.include("ResourceNotFoundException")
                    .and.include("Nothing was changed and the stack's state still lists the user")
                    .and.include("pulumi config get aws:region")
                    .and.include("pulumi state delete");
                expect(writes()).to.deep.equal([]);
            });
        }

        it("names AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER when set, and the region of aws:region from the stack config", async function () {
            const restoreEnv = withEnv({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "http://127.0.0.1:9" });
            try {
                await provider.configure!({ config: new Map([["aws:region", "ap-south-2"]]) } as never);
                const err = await rejection(provider.read!(id, outputs()));
                expect(err.message).to.include("was not found in region ap-south-2 at http://127.0.0.1:9 (");
            } finally {
                restoreEnv();
                dropSharedClients("http://127.0.0.1:9");
            }
        });

        it("delete: the pool gone between the look-up and AdminDeleteUser fails too", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB));
            const err = await rejection(provider.delete!(id, outputs()));
            expect(err.message).to.include("could not be deleted: user pool").and.include("was not found in region");
        });

        it("a missing group (also ResourceNotFoundException) is still the group's error, not the pool's", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB));
            mock.on(AdminAddUserToGroupCommand).rejects(new ResourceNotFoundException({ message: "Group not found.", $metadata: meta }));
            const err = await rejection(provider.update!(id, outputs(), inputs({ groups: ["missing"] })));
            expect(err.message)
                .to.include("could not be updated: ResourceNotFoundException: Group not found.")
                .and.not.include("was not found in region");
        });
    });

    describe("a case-only rename (JohnDoe -> johndoe)", function () {
        const old = outputs({ username: "JohnDoe" });
        const renamed = inputs({ username: "johndoe" });
        const oldId = `${POOL}/JohnDoe`;

        it("case-insensitive pool (the new spelling finds the same sub): an update under the new name", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB, "johndoe"));
            const result = await provider.update!(oldId, old, renamed);
            expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
            expect(mock.call(0).args[0].input).to.deep.equal({ UserPoolId: POOL, Username: "johndoe" });
            expect(result.outs).to.include({ username: "johndoe", sub: SUB });
        });

        it("case-sensitive pool, no user under the new spelling: fails before touching anything, saying why and what to do", async function () {
            const err = await rejection(provider.update!(oldId, old, { ...renamed, password: NEW_PASSWORD }));
            expect(err.message)
                .to.include('Cognito user "johndoe" in user pool eu-west-1_AbCdEf123 does not exist')
                .and.include("the pool tells usernames apart by case")
                .and.include('renaming "JohnDoe" to "johndoe" is not the same user, and nothing was changed')
                .and.include("Keep the old spelling");
            expect(writes()).to.deep.equal([]);
        });

        it("case-sensitive pool, someone else's user under the new spelling: fails before touching anything", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(OTHER_SUB, "johndoe"));
            const err = await rejection(provider.update!(oldId, old, { ...renamed, password: NEW_PASSWORD }));
            expect(err.message).to.include(`is another user (its sub is ${OTHER_SUB}`).and.include("nothing was changed");
            expect(writes()).to.deep.equal([]);
        });

        it("no recorded sub: refuses (cannot tell it is the same user) and says to refresh first", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB, "johndoe"));
            const err = await rejection(provider.update!(oldId, outputs({ username: "JohnDoe", sub: "" }), renamed));
            expect(err.message).to.include("has no recorded sub").and.include("pulumi refresh").and.include("nothing was changed");
            expect(writes()).to.deep.equal([]);
        });

        it("as a new resource with adoption: the old resource's delete leaves the adopted user alone and says so", async function () {
            // Create of "johndoe" finds the same user (case-insensitive pool) and adopts it ...
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB, "johndoe"));
            await provider.create!({ ...renamed, adoptExisting: true });
            // ... then the engine deletes the old resource "JohnDoe", whose state has the same sub.
            await provider.delete!(oldId, old);
            expect(callNames().filter((n) => n === "AdminDeleteUserCommand")).to.deep.equal([]);
            expect(stderr.join("\n"))
                .to.include('Cognito user "JohnDoe"')
                .and.include('"johndoe" now manages')
                .and.include("was not deleted");
        });

        it("as a new resource without adoption: 'already exists', and the old resource's delete (--continue-on-error) still leaves the user", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB, "johndoe"));
            const err = await rejection(provider.create!(renamed));
            expect(err.message).to.include("already exists");
            await provider.delete!(oldId, old);
            expect(writes()).to.deep.equal([]);
        });

        it("another provider (another host process) knows nothing of it: a delete there is the plain delete", async function () {
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB, "johndoe"));
            await provider.create!({ ...renamed, adoptExisting: true });
            await createCognitoUserProvider().delete!(oldId, old);
            expect(callNames()).to.include("AdminDeleteUserCommand");
        });

        it("a user a create made under its own name is deleted by that name as usual", async function () {
            mock.on(AdminCreateUserCommand).resolves({ User: { Username: "alice", Attributes: [{ Name: "sub", Value: SUB }] } });
            await provider.create!(inputs());
            mock.on(AdminGetUserCommand).resolves(userWithSub(SUB));
            await provider.delete!(id, outputs());
            expect(writes()).to.deep.equal(["AdminCreateUserCommand", "AdminSetUserPasswordCommand", "AdminDeleteUserCommand"]);
        });
    });
});
