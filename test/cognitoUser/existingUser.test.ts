// The user provider's create (providers/cognitoUser/provider.ts) of a username that is already
// taken: someone else's user is never modified or deleted, one is adopted only with adoptExisting,
// and the user our own retried call made (a lost response) is completed. With the SDK stubbed by
// aws-sdk-client-mock (harness/mockCognito.ts: the exact calls), and with the real SDK's retries
// against a scripted fake of Cognito (harness/fakeCognito.ts: throttling, 5xx, lost answers).

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
    InvalidPasswordException,
    UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider, createCognitoUserProvider } from "../../providers/cognitoUser/provider";
import { scriptedCognito } from "../../harness/fakeCognito";
import { rejectionWithoutLeak } from "../../harness/leaks";
import { meta, mockedCognito, notFound, undefinedPaths } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, testSub as SUB, userInputs as inputs } from "../../harness/users";

/** A service error whose text quotes the password, as a misbehaving endpoint might. */
const echoing = () => new InternalErrorException({ message: `internal error for request with Password=${PASSWORD}`, $metadata: meta });

describe("create of a username that already exists", function () {
    describe("with a mocked Cognito client", function () {
        const cognito = mockedCognito();
        let mock: AwsClientStub<CognitoIdentityProviderClient>;
        let provider: CognitoUserProvider;
        beforeEach(() => ({ mock, provider } = cognito));
        const { callNames, callInput, rejection: expectSafeRejection } = cognito;

        describe("found by the look-up, or appearing during the create", () => {
            const exists = (attempts: number) =>
                new UsernameExistsException({
                    message: "User account already exists",
                    $metadata: { httpStatusCode: 400, attempts },
                });
            /** The user as our own lost AdminCreateUser call would have left it. */
            const halfMade = (over: Record<string, unknown> = {}) => ({
                Username: "alice",
                UserStatus: "FORCE_CHANGE_PASSWORD" as const,
                Enabled: true,
                UserCreateDate: new Date(),
                UserAttributes: [
                    { Name: "sub", Value: SUB },
                    { Name: "email", Value: "alice@example.com" },
                    { Name: "email_verified", Value: "true" },
                ],
                ...over,
            });
            /** The look-up before creating finds nothing; the user then appears during AdminCreateUser. */
            const appearsDuringCreate = (attempts: number, user: object) => {
                mock.on(AdminGetUserCommand).rejectsOnce(notFound()).resolves(user);
                mock.on(AdminCreateUserCommand).rejects(exists(attempts));
            };

            it("found by the look-up: fails with an actionable error and sends nothing else without adoption", async () => {
                mock.on(AdminGetUserCommand).resolves({
                    Username: "alice",
                    UserStatus: "CONFIRMED",
                    Enabled: true,
                    UserCreateDate: new Date("2024-01-02T03:04:05Z"),
                    UserAttributes: [{ Name: "sub", Value: SUB }],
                });
                const err = await expectSafeRejection(provider.create!(inputs()));

                expect(err.message)
                    .to.include('"alice"')
                    .and.include("already exists")
                    .and.include("adoptExistingUsers")
                    .and.include("CONFIRMED")
                    .and.include("2024-01-02T03:04:05.000Z")
                    .and.include("left untouched");
                expect(err.message).to.include("interrupted").and.not.include("no permanent password");
                expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
            });

            it("found by the look-up in FORCE_CHANGE_PASSWORD, even created seconds ago: never taken, and the error names an interrupted run", async () => {
                // Made by hand moments before, or left by an interrupted `pulumi up`: either way not provably ours.
                mock.on(AdminGetUserCommand).resolves(halfMade());
                const err = await expectSafeRejection(provider.create!(inputs()));
                expect(err.message)
                    .to.include("no permanent password yet")
                    .and.include("interrupted")
                    .and.include("adoptExistingUsers true")
                    .and.include("admin-delete-user --user-pool-id eu-west-1_AbCdEf123 --username alice");
                expect(callNames()).to.deep.equal(["AdminGetUserCommand"]);
            });

            for (const [what, user, attempts] of [
                ["the SDK sent the create once (someone else made the user meanwhile)", halfMade(), 1],
                ["the user is already CONFIRMED", halfMade({ UserStatus: "CONFIRMED" }), 2],
                ["the user is disabled", halfMade({ Enabled: false }), 2],
                ["the user predates the look-up", halfMade({ UserCreateDate: new Date(Date.now() - 10 * 60 * 1000) }), 3],
                [
                    "the user's attributes differ from the ones sent",
                    halfMade({ UserAttributes: [{ Name: "email", Value: "mallory@example.com" }] }),
                    2,
                ],
            ] as const) {
                it(`appeared during create but is not ours when ${what}: untouched, not deleted`, async () => {
                    appearsDuringCreate(attempts, user);
                    const err = await expectSafeRejection(provider.create!(inputs()));
                    expect(err.message).to.include("already exists").and.include("adoptExistingUsers");
                    expect(callNames()).to.deep.equal(["AdminGetUserCommand", "AdminCreateUserCommand", "AdminGetUserCommand"]);
                });
            }

            it("adopts with adoptExisting: updates only differing attributes, sets the password, adds groups", async () => {
                mock.on(AdminGetUserCommand).resolves({
                    Username: "alice",
                    UserStatus: "FORCE_CHANGE_PASSWORD",
                    Enabled: true,
                    UserCreateDate: new Date(),
                    UserAttributes: [
                        { Name: "sub", Value: "existing-sub" },
                        { Name: "email", Value: "old@example.com" },
                        { Name: "email_verified", Value: "true" },
                        { Name: "given_name", Value: "Alice" },
                        { Name: "family_name", Value: "Unmanaged" },
                    ],
                });
                mock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: "old" }] });
                const user = inputs({
                    adoptExisting: true,
                    attributes: { email: "new@example.com", email_verified: "true", given_name: "Alice" },
                    groups: ["old", "admins"],
                });
                const result = await provider.create!(user);

                expect(callNames()).to.deep.equal([
                    "AdminGetUserCommand",
                    "AdminListGroupsForUserCommand",
                    "AdminSetUserPasswordCommand",
                    "AdminUpdateUserAttributesCommand",
                    "AdminAddUserToGroupCommand",
                ]);
                expect(callInput(2)).to.deep.equal({ UserPoolId: POOL, Username: "alice", Password: PASSWORD, Permanent: true });
                expect(callInput(3).UserAttributes).to.deep.equal([
                    { Name: "email", Value: "new@example.com" },
                    { Name: "email_verified", Value: "true" },
                ]);
                expect(callInput(4).GroupName).to.equal("admins");
                expect(result.id).to.equal(`${POOL}/alice`);
                expect(result.outs!.adopted).to.equal(true);
                expect(result.outs!.status).to.equal("CONFIRMED");
                expect(result.outs!.sub).to.equal("existing-sub");
                expect(undefinedPaths(result.outs)).to.deep.equal([]);
            });

            it("adopting does not delete the existing user when converging fails", async () => {
                mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserStatus: "CONFIRMED", Enabled: true, UserAttributes: [] });
                mock.on(AdminSetUserPasswordCommand).rejects(new InvalidPasswordException({ message: `bad ${PASSWORD}`, $metadata: meta }));
                const err = await expectSafeRejection(provider.create!(inputs({ adoptExisting: true, attributes: {} })));
                expect(err.message).to.include('"alice"').and.include("could not be adopted").and.include("not deleted");
                expect(mock.commandCalls(AdminDeleteUserCommand)).to.have.length(0);
                expect(mock.commandCalls(AdminCreateUserCommand)).to.have.length(0);
            });

            it("with adoptExisting, a user someone else made during our create is adopted, not deleted on failure", async () => {
                appearsDuringCreate(1, halfMade());
                mock.on(AdminSetUserPasswordCommand).rejects(new InvalidPasswordException({ message: "no", $metadata: meta }));
                const err = await expectSafeRejection(provider.create!(inputs({ adoptExisting: true })));
                expect(err.message).to.include("could not be adopted");
                expect(mock.commandCalls(AdminDeleteUserCommand)).to.have.length(0);
            });

            it("completes the user its own retried create made (lost response) as not adopted", async () => {
                appearsDuringCreate(2, halfMade());
                const result = await provider.create!(inputs());

                expect(callNames()).to.deep.equal([
                    "AdminGetUserCommand",
                    "AdminCreateUserCommand",
                    "AdminGetUserCommand",
                    "AdminSetUserPasswordCommand",
                ]);
                expect(callInput(3)).to.include({ Password: PASSWORD, Permanent: true });
                expect(result.outs!.adopted).to.equal(false);
                expect(result.outs!.status).to.equal("CONFIRMED");
                expect(result.outs!.sub).to.equal(SUB);
            });

            it("rolls back the user its own retried create made when the password step fails", async () => {
                appearsDuringCreate(2, halfMade());
                mock.on(AdminSetUserPasswordCommand).rejects(new InvalidPasswordException({ message: "no", $metadata: meta }));
                const err = await expectSafeRejection(provider.create!(inputs()));
                expect(err.message).to.match(/deleted again/);
                expect(callNames()).to.deep.equal([
                    "AdminGetUserCommand",
                    "AdminCreateUserCommand",
                    "AdminGetUserCommand",
                    "AdminSetUserPasswordCommand",
                    "AdminDeleteUserCommand",
                ]);
            });
        });

        describe("a user that appears during AdminCreateUser", function () {
            const callNames = () => cognito.callNames().map((name) => name.replace(/Command$/, ""));
            const rejection = cognito.rejection;

            /** The user as our own lost AdminCreateUser call would have left it, made now (not when the file loads). */
            const ours = (over: Record<string, unknown> = {}) => ({
                Username: "alice",
                UserStatus: "FORCE_CHANGE_PASSWORD",
                Enabled: true,
                UserCreateDate: new Date(),
                UserAttributes: [
                    { Name: "sub", Value: SUB },
                    { Name: "email", Value: "alice@example.com" },
                    { Name: "email_verified", Value: "true" },
                ],
                ...over,
            });
            const exists = (attempts: number) =>
                new UsernameExistsException({ message: "User account already exists", $metadata: { httpStatusCode: 400, attempts } });
            const appears = (user: object, err: Error = exists(2)) => {
                mock.on(AdminGetUserCommand).rejectsOnce(notFound()).resolves(user);
                mock.on(AdminCreateUserCommand).rejects(err);
            };

            it("is taken as ours when the SDK retried and it is as our call leaves it: the password is set, no error", async function () {
                appears(ours());
                const result = await provider.create!(inputs());
                expect(callNames()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminGetUser", "AdminSetUserPassword"]);
                expect(result.outs!.sub).to.equal(SUB);
                expect(result.outs!.adopted).to.equal(false);
            });

            // Each condition alone makes it someone else's: the error, and nothing sent after the look-up.
            const notOurs: [string, Record<string, unknown>][] = [
                ["CONFIRMED", { UserStatus: "CONFIRMED" }],
                ["disabled", { Enabled: false }],
                ["created more than a minute before the look-up", { UserCreateDate: new Date(Date.now() - 61_000) }],
                ["without a creation date", { UserCreateDate: undefined }],
            ];
            for (const [what, over] of notOurs) {
                it(`is not taken when it is ${what}, though the SDK retried`, async function () {
                    appears(ours(over));
                    const err = await rejection(provider.create!(inputs()));
                    expect(err.message).to.match(/^Cognito user "alice" already exists in user pool eu-west-1_AbCdEf123 \(status /);
                    expect(callNames()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminGetUser"]);
                });
            }

            it("the clock-skew allowance is one minute, inclusive", async function () {
                const realNow = Date.now;
                const now = realNow();
                Date.now = () => now;
                try {
                    appears(ours({ UserCreateDate: new Date(now - 60_000) }));
                    await provider.create!(inputs());
                    expect(callNames()).to.include("AdminSetUserPassword");
                    mock.resetHistory();
                    appears(ours({ UserCreateDate: new Date(now - 60_001) }));
                    await rejection(provider.create!(inputs()));
                } finally {
                    Date.now = realNow;
                }
            });

            it("an error without SDK metadata counts as one attempt: not ours", async function () {
                appears(ours(), Object.assign(new Error("User account already exists"), { name: "UsernameExistsException" }));
                const err = await rejection(provider.create!(inputs()));
                expect(err.message).to.include("already exists").and.include("adoptExistingUsers");
            });

            it("the error names the status and creation time of the user that appeared", async function () {
                const created = new Date();
                appears(ours({ UserStatus: "CONFIRMED", UserCreateDate: created }), exists(1));
                const err = await rejection(provider.create!(inputs()));
                expect(err.message).to.include(`(status CONFIRMED, created ${created.toISOString()})`);
            });

            it("gone again by the second look-up: 'could not be created', with the cause", async function () {
                mock.on(AdminGetUserCommand).rejects(notFound());
                mock.on(AdminCreateUserCommand).rejects(exists(2));
                const err = await rejection(provider.create!(inputs()));
                expect(err.message).to.equal(
                    'Cognito user "alice" in pool eu-west-1_AbCdEf123 could not be created: UsernameExistsException: User account already exists',
                );
            });

            it("the second look-up fails: 'already exists and could not be read'", async function () {
                mock.on(AdminGetUserCommand).rejectsOnce(notFound()).rejects(echoing());
                mock.on(AdminCreateUserCommand).rejects(exists(2));
                const err = await rejection(provider.create!(inputs()));
                expect(err.message).to.match(/^Cognito user "alice" in pool eu-west-1_AbCdEf123 already exists and could not be read: /);
            });

            it("adopting a user whose Enabled flag is missing: taken as enabled, no AdminEnableUser", async function () {
                mock.on(AdminGetUserCommand).resolves({
                    Username: "alice",
                    UserStatus: "CONFIRMED",
                    UserAttributes: [
                        { Name: "email", Value: "alice@example.com" },
                        { Name: "email_verified", Value: "true" },
                    ],
                });
                await provider.create!(inputs({ adoptExisting: true }));
                expect(callNames()).to.deep.equal(["AdminGetUser", "AdminListGroupsForUser", "AdminSetUserPassword"]);
            });

            it("'already exists' quoting the password, the user then gone: redacted", async function () {
                mock.on(AdminGetUserCommand).rejects(notFound());
                mock.on(AdminCreateUserCommand).rejects(
                    new UsernameExistsException({
                        message: `User account already exists (Password=${PASSWORD})`,
                        $metadata: { httpStatusCode: 400, attempts: 2 },
                    }),
                );
                expect((await rejection(provider.create!(inputs()))).message).to.match(/could not be created: UsernameExistsException/);
            });
        });
    });

    describe("with the real SDK's retries against a scripted fake of Cognito", function () {
        const scripted = scriptedCognito();
        let fake: ReturnType<typeof scriptedCognito>["fake"];
        beforeEach(() => ({ fake } = scripted));
        const rejection = (promise: Promise<unknown>) => rejectionWithoutLeak(promise, [PASSWORD]);

        // A user made by hand moments before, adoption off, and our calls are throttled / answered
        // with a 5xx / lose their connection or their answer, so the SDK retries: the user must never
        // be modified or deleted, whatever happens to our password step.
        const faults = ["throttle", "503", "drop", "lose-response"] as const;
        const handMadeAttributes = { sub: "hand-made", email: "alice@example.com", email_verified: "true" };
        const expectUntouched = (err: Error, snapshot: string) => {
            expect(err.message).to.include("already exists").and.include("left untouched");
            expect(JSON.stringify(fake.users.get("alice"))).to.equal(snapshot);
            // AdminCreateUser of a taken name fails without effect (the snapshot shows it); nothing else may write.
            const writes = fake.actions().filter((a) => !["AdminGetUser", "AdminListGroupsForUser", "AdminCreateUser"].includes(a));
            expect(writes, "no call that changes a user").to.deep.equal([]);
        };
        for (const fault of faults) {
            for (const passwordStep of ["succeeds", "fails"] as const) {
                it(`never touches a user made just before the create: look-up ${fault}, password step ${passwordStep}`, async () => {
                    const snapshot = JSON.stringify(fake.addUser("alice", { Attributes: { ...handMadeAttributes } }));
                    fake.faultFor = (action, _body, count) =>
                        action === "AdminGetUser" && count === 0
                            ? fault
                            : action === "AdminSetUserPassword" && passwordStep === "fails"
                              ? "reject"
                              : undefined;
                    const err = await rejection(createCognitoUserProvider().create!(inputs()));
                    expectUntouched(err, snapshot);
                    expect(fake.requests[0]).to.include({ action: "AdminGetUser", fault });
                });

                it(`never touches a user made (with other attributes) during the create: create ${fault}, password step ${passwordStep}`, async () => {
                    let snapshot = "";
                    fake.faultFor = (action, _body, count) => {
                        if (action === "AdminCreateUser" && count === 0) {
                            snapshot = JSON.stringify(
                                fake.addUser("alice", { Attributes: { ...handMadeAttributes, email: "someone@example.com" } }),
                            );
                            return fault;
                        }
                        return action === "AdminSetUserPassword" && passwordStep === "fails" ? "reject" : undefined;
                    };
                    const err = await rejection(createCognitoUserProvider().create!(inputs()));
                    expectUntouched(err, snapshot);
                    expect(fake.actions().filter((a) => a === "AdminCreateUser").length, "the SDK retried the create").to.be.greaterThan(1);
                });
            }
        }

        it("a user made by someone else during our create call (sent once) is left alone, even with our attributes", async () => {
            // The look-up finds nothing; the other party's user lands just before our AdminCreateUser.
            fake.faultFor = (action, body, count) => {
                if (action === "AdminCreateUser" && count === 0) fake.addUser(body.Username, { Attributes: { ...handMadeAttributes } });
                return undefined;
            };
            const err = await rejection(createCognitoUserProvider().create!(inputs()));
            expect(err.message).to.include("already exists");
            expect(fake.users.get("alice")).to.include({ UserStatus: "FORCE_CHANGE_PASSWORD" });
            expect(fake.users.get("alice")!.Password).to.equal(undefined);
            expect(fake.actions()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminGetUser"]);
        });

        it("the window that remains: a user with exactly our attributes, made while the SDK retried our create, is taken as ours", async () => {
            // Indistinguishable from our own lost response: created after our look-up, FORCE_CHANGE_PASSWORD,
            // enabled, the same attributes, and our create was sent more than once. The README names this window.
            fake.faultFor = (action, body, count) => {
                if (action === "AdminCreateUser" && count === 0) {
                    fake.addUser(body.Username, { Attributes: { ...handMadeAttributes } });
                    return "throttle";
                }
                return undefined;
            };
            const result = await createCognitoUserProvider().create!(inputs());
            expect(result.outs).to.include({ adopted: false, sub: "hand-made" });
        });

        it("adopts a hand-made user only with adoptExisting, and never deletes it when the password step fails", async () => {
            fake.addUser("alice", { UserStatus: "CONFIRMED", Attributes: { sub: "hand-made", email: "old@example.com" } });
            fake.faultFor = (action) => (action === "AdminSetUserPassword" ? "reject" : undefined);
            const err = await rejection(createCognitoUserProvider().create!(inputs({ adoptExisting: true })));
            expect(err.message).to.include("could not be adopted");
            expect(fake.users.get("alice")!.Attributes.sub).to.equal("hand-made");

            fake.faultFor = () => undefined;
            const result = await createCognitoUserProvider().create!(inputs({ adoptExisting: true }));
            expect(result.outs).to.include({ adopted: true, sub: "hand-made", status: "CONFIRMED" });
            expect(fake.users.get("alice")!.Attributes.email).to.equal("alice@example.com");
        });
    });
});
