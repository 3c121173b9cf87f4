// The user provider's create (providers/cognitoUser/provider.ts) of a username that is free: the
// exact Cognito calls, the rollback of a half-made user, answers without optional fields (the SDK
// stubbed with aws-sdk-client-mock, harness/mockCognito.ts), and the real SDK's retries against a
// scripted fake of Cognito (harness/fakeCognito.ts). A username that is taken: existingUser.test.ts.
//
// Every error and everything written to the console is scanned for the passwords used.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
    InvalidPasswordException,
    ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserInputs, CognitoUserProvider, createCognitoUserProvider } from "../../providers/cognitoUser/provider";
import { Fault, scriptedCognito } from "../../harness/fakeCognito";
import { rejectionWithoutLeak } from "../../harness/leaks";
import { meta, mockedCognito, notFound, undefinedPaths } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, testSub as SUB, userInputs as inputs } from "../../harness/users";

function createdUser(username = "alice") {
    return {
        User: {
            Username: username,
            Attributes: [
                { Name: "sub", Value: SUB },
                { Name: "email", Value: "alice@example.com" },
            ],
            UserStatus: "FORCE_CHANGE_PASSWORD" as const,
            Enabled: true,
        },
    };
}

describe("create", function () {
    describe("with a mocked Cognito client", function () {
        const cognito = mockedCognito();
        let mock: AwsClientStub<CognitoIdentityProviderClient>;
        let provider: CognitoUserProvider;
        beforeEach(() => ({ mock, provider } = cognito));
        const { callNames, callInput, rejection: expectSafeRejection } = cognito;

        describe("a new user", () => {
            it("looks the username up, creates with SUPPRESS and no temporary password, then sets the permanent password", async () => {
                mock.on(AdminCreateUserCommand).resolves(createdUser());
                const result = await provider.create!(inputs());

                expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminCreateUserCommand", "AdminSetUserPasswordCommand"]);
                expect(callInput(0)).to.deep.equal({ UserPoolId: POOL, Username: "alice" });
                const createInput = callInput(1);
                expect(createInput).to.deep.equal({
                    UserPoolId: POOL,
                    Username: "alice",
                    UserAttributes: [
                        { Name: "email", Value: "alice@example.com" },
                        { Name: "email_verified", Value: "true" },
                    ],
                    MessageAction: "SUPPRESS",
                });
                expect(createInput).to.not.have.property("TemporaryPassword");
                expect(JSON.stringify(createInput)).to.not.include(PASSWORD);
                expect(callInput(2)).to.deep.equal({ UserPoolId: POOL, Username: "alice", Password: PASSWORD, Permanent: true });

                expect(result.id).to.equal(`${POOL}/alice`);
                expect(result.outs).to.deep.equal({
                    userPoolId: POOL,
                    username: "alice",
                    password: PASSWORD,
                    attributes: { email: "alice@example.com", email_verified: "true" },
                    enabled: true,
                    groups: [],
                    sub: SUB,
                    status: "CONFIRMED",
                    adopted: false,
                    stateVersion: 2,
                });
            });

            it("adds each group (sorted, deduplicated) and disables a user created with enabled false", async () => {
                mock.on(AdminCreateUserCommand).resolves(createdUser());
                const result = await provider.create!(inputs({ groups: ["editors", "admins", "editors"], enabled: false }));

                expect(callNames()).to.deep.equal([
                    "AdminGetUserCommand",
                    "AdminCreateUserCommand",
                    "AdminSetUserPasswordCommand",
                    "AdminAddUserToGroupCommand",
                    "AdminAddUserToGroupCommand",
                    "AdminDisableUserCommand",
                ]);
                expect(callInput(3)).to.deep.equal({ UserPoolId: POOL, Username: "alice", GroupName: "admins" });
                expect(callInput(4)).to.deep.equal({ UserPoolId: POOL, Username: "alice", GroupName: "editors" });
                expect(callInput(5)).to.deep.equal({ UserPoolId: POOL, Username: "alice" });
                expect(result.outs!.groups).to.deep.equal(["admins", "editors"]);
                expect(result.outs!.enabled).to.equal(false);
                expect(undefinedPaths(result.outs)).to.deep.equal([]);
            });

            it("fills defaults so outputs hold no undefined even for minimal inputs", async () => {
                mock.on(AdminCreateUserCommand).resolves({ User: { Username: "alice" } }); // no sub in the response
                const minimal = { userPoolId: POOL, username: "alice", password: PASSWORD } as CognitoUserInputs;
                const result = await provider.create!(minimal);
                expect(undefinedPaths(result.outs)).to.deep.equal([]);
                expect(result.outs).to.include({ enabled: true, status: "CONFIRMED", sub: "", stateVersion: 2 });
                expect(result.outs!.groups).to.deep.equal([]);
                expect(result.outs!.attributes).to.deep.equal({});
                expect(callInput(1).UserAttributes).to.deep.equal([]);
            });

            it("wraps a failed AdminCreateUser naming the user, without a password", async () => {
                mock.on(AdminCreateUserCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
                const err = await expectSafeRejection(provider.create!(inputs()));
                expect(err.message).to.include('"alice"').and.include("could not be created").and.include("InternalErrorException");
                expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminCreateUserCommand"]);
            });

            it("stops before creating when the look-up fails for another reason than not found", async () => {
                mock.on(AdminGetUserCommand).rejects(new InternalErrorException({ message: "boom", $metadata: meta }));
                const err = await expectSafeRejection(provider.create!(inputs()));
                expect(err.message).to.include('"alice"').and.include("could not be looked up").and.include("InternalErrorException");
                expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
            });
        });

        describe("rollback", () => {
            it("deletes the user again when AdminSetUserPassword fails, and redacts the password from the SDK message", async () => {
                mock.on(AdminCreateUserCommand).resolves(createdUser());
                mock.on(AdminSetUserPasswordCommand).rejects(
                    new InvalidPasswordException({
                        message: `Password '${PASSWORD}' did not conform with policy: Password must have symbol characters`,
                        $metadata: meta,
                    }),
                );
                const err = await expectSafeRejection(provider.create!(inputs()));

                expect(callNames()).to.deep.equal([
                    "AdminGetUserCommand",
                    "AdminCreateUserCommand",
                    "AdminSetUserPasswordCommand",
                    "AdminDeleteUserCommand",
                ]);
                expect(callInput(3)).to.deep.equal({ UserPoolId: POOL, Username: "alice" });
                expect(err.message).to.include('"alice"');
                expect(err.message).to.match(/deleted again/);
                expect(err.message).to.include("InvalidPasswordException");
                expect(err.message).to.include("did not conform with policy");
            });

            it("says to delete the user by hand when the rollback delete fails too", async () => {
                mock.on(AdminCreateUserCommand).resolves(createdUser());
                mock.on(AdminSetUserPasswordCommand).rejects(
                    new InvalidPasswordException({ message: "Password did not conform with policy", $metadata: meta }),
                );
                mock.on(AdminDeleteUserCommand).rejects(
                    new InternalErrorException({ message: `internal failure for ${PASSWORD}`, $metadata: meta }),
                );
                const err = await expectSafeRejection(provider.create!(inputs()));

                expect(callNames()).to.deep.equal([
                    "AdminGetUserCommand",
                    "AdminCreateUserCommand",
                    "AdminSetUserPasswordCommand",
                    "AdminDeleteUserCommand",
                ]);
                expect(err.message).to.include('"alice"');
                expect(err.message).to.match(/delete it by hand/);
                expect(err.message).to.not.match(/the user was deleted again/);
                expect(err.message).to.include("InternalErrorException").and.include("InvalidPasswordException");
            });

            it("also rolls back when adding to a group fails after the password was set", async () => {
                mock.on(AdminCreateUserCommand).resolves(createdUser());
                mock.on(AdminAddUserToGroupCommand).rejects(
                    new ResourceNotFoundException({ message: "Group not found.", $metadata: meta }),
                );
                const err = await expectSafeRejection(provider.create!(inputs({ groups: ["missing"] })));
                expect(callNames()).to.deep.equal([
                    "AdminGetUserCommand",
                    "AdminCreateUserCommand",
                    "AdminSetUserPasswordCommand",
                    "AdminAddUserToGroupCommand",
                    "AdminDeleteUserCommand",
                ]);
                expect(err.message)
                    .to.match(/deleted again/)
                    .and.include("Group not found");
            });
        });

        describe("answers without optional fields, failures without an error object", function () {
            const callNames = () => cognito.callNames().map((name) => name.replace(/Command$/, ""));
            const rejection = cognito.rejection;

            it("AdminCreateUser answers without the user: created, sub unknown to the outputs", async function () {
                mock.on(AdminCreateUserCommand).resolves({});
                const result = await provider.create!(inputs());
                expect(result.id).to.equal(`${POOL}/alice`);
                expect(callNames()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminSetUserPassword"]);
            });

            it("a call that rejects with no error object at all is still reported as the step that failed", async function () {
                mock.on(AdminGetUserCommand).callsFake(() => Promise.reject(null));
                expect((await rejection(provider.create!(inputs()))).message).to.match(
                    /^Cognito user "alice" in pool eu-west-1_AbCdEf123 could not be looked up before creating it: /,
                );
                mock.on(AdminGetUserCommand).rejects(notFound());
                mock.on(AdminCreateUserCommand).callsFake(() => Promise.reject(undefined));
                expect((await rejection(provider.create!(inputs()))).message).to.match(
                    /^Cognito user "alice" in pool eu-west-1_AbCdEf123 could not be created: /,
                );
            });
        });
    });

    describe("with the real SDK's retries against a scripted fake of Cognito", function () {
        const scripted = scriptedCognito();
        let fake: ReturnType<typeof scriptedCognito>["fake"];
        beforeEach(() => ({ fake } = scripted));
        const rejection = (promise: Promise<unknown>) => rejectionWithoutLeak(promise, [PASSWORD]);

        /** Faults for the first `n` requests of `action`. */
        const first = (action: string, n: number, fault: Fault) => (a: string, _body: unknown, count: number) =>
            a === action && count < n ? fault : undefined;

        it("retries TooManyRequestsException until the create succeeds", async () => {
            fake.faultFor = first("AdminCreateUser", 2, "throttle");
            const result = await createCognitoUserProvider().create!(inputs());

            expect(result.outs!.status).to.equal("CONFIRMED");
            expect(fake.actions()).to.deep.equal([
                "AdminGetUser",
                "AdminCreateUser",
                "AdminCreateUser",
                "AdminCreateUser",
                "AdminSetUserPassword",
            ]);
            expect(fake.users.get("alice")).to.include({ UserStatus: "CONFIRMED", Password: PASSWORD });
            expect(result.outs!.sub).to.equal(fake.users.get("alice")!.Attributes.sub);
        });

        it("retries a throttled AdminSetUserPassword instead of rolling back", async () => {
            fake.faultFor = first("AdminSetUserPassword", 1, "throttle");
            const result = await createCognitoUserProvider().create!(inputs());
            expect(result.outs!.status).to.equal("CONFIRMED");
            expect(fake.actions()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminSetUserPassword", "AdminSetUserPassword"]);
            expect(fake.users.get("alice")!.UserStatus).to.equal("CONFIRMED");
        });

        it("retries a 503 and a dropped connection until the create succeeds", async () => {
            fake.faultFor = (action, _body, count) => (action === "AdminCreateUser" ? ([`503`, "drop"] as Fault[])[count] : undefined);
            const result = await createCognitoUserProvider().create!(inputs());
            expect(result.outs!.status).to.equal("CONFIRMED");
            expect(fake.actions()).to.deep.equal([
                "AdminGetUser",
                "AdminCreateUser",
                "AdminCreateUser",
                "AdminCreateUser",
                "AdminSetUserPassword",
            ]);
        });

        it("completes its own create when the SDK's retry meets the user its lost first attempt made", async () => {
            fake.faultFor = first("AdminCreateUser", 1, "lose-response");
            const result = await createCognitoUserProvider().create!(inputs());

            expect(fake.actions()).to.deep.equal([
                "AdminGetUser",
                "AdminCreateUser",
                "AdminCreateUser",
                "AdminGetUser",
                "AdminSetUserPassword",
            ]);
            expect(result.outs).to.include({ status: "CONFIRMED", adopted: false, sub: fake.users.get("alice")!.Attributes.sub });
            expect(fake.users.get("alice")).to.include({ UserStatus: "CONFIRMED", Password: PASSWORD });
        });

        it("deletes its own lost-response user again when the password step then fails", async () => {
            fake.faultFor = (action, _body, count) =>
                action === "AdminCreateUser" && count === 0 ? "lose-response" : action === "AdminSetUserPassword" ? "reject" : undefined;
            const err = await rejection(createCognitoUserProvider().create!(inputs()));
            expect(err.message).to.match(/deleted again/);
            expect(fake.users.has("alice")).to.equal(false);
        });

        // With one shared retry strategy, the SDK's retry quota (500 tokens per strategy, 5 per
        // throttled retry, 10-14 per 5xx/timeout retry, refunded only on success) is drained by a
        // burst of concurrent throttling, after which errors surface after a single attempt. The
        // provider gives each operation its own strategy (sharing the rate limiter).
        // Slow by nature: the SDK's adaptive limiter lowers the send rate by 30% for every throttled
        // response (150 here, one per user), down to 0.5 calls/s, and climbs back only as fast as the
        // calls it lets through. 45 s on an idle 2-core machine; the timeout is for a loaded CI host.
        it("converges when many users are created at once and each is throttled once", async function () {
            this.timeout(240_000);
            const throttled = new Set<string>();
            fake.faultFor = (action, body) => {
                if (action !== "AdminCreateUser" || throttled.has(body.Username)) return undefined;
                throttled.add(body.Username);
                return "throttle";
            };
            const provider = createCognitoUserProvider();
            const results = await Promise.allSettled(
                Array.from({ length: 150 }, (_, i) => provider.create!(inputs({ username: `user-${i}` }))),
            );
            const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => String(r.reason?.message));
            for (const message of failed) expect(message).to.not.include(PASSWORD);
            expect(failed.length, `${failed.length} of 150 creates failed, e.g. ${failed[0]}`).to.equal(0);
            expect(throttled.size).to.equal(150);
            expect([...fake.users.values()].filter((u) => u.UserStatus === "CONFIRMED")).to.have.length(150);
        });
    });
});
