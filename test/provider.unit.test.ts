// Unit tests of the Cognito user dynamic provider (providers/cognitoUser.ts).
//
// The SDK is stubbed with aws-sdk-client-mock; the tests assert the exact Cognito API calls, their
// order and their inputs. Retries need the real SDK: see provider.retry.test.ts.
//
// Every error and everything written to the console is scanned for the passwords used.

import { expect } from "chai";
import { dummyAwsEnv } from "../harness/awsEnv";
import { mockClient, AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
    InvalidPasswordException,
    ResourceNotFoundException,
    UserNotFoundException,
    UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserInputs, CognitoUserProvider, createCognitoUserProvider } from "../providers/cognitoUser/provider";
import { cognitoDefaultPasswordRules } from "../providers/rules";
import { dropSharedClients } from "../providers/cognitoUser/client";
import { expectNoLeak } from "../harness/leaks";
import {
    testPassword as PASSWORD,
    testPoolId as POOL,
    testSub as SUB,
    unknownValue as UNKNOWN,
    userInputs as inputs,
    userOutputs as outputs,
} from "../harness/users";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// ---------------------------------------------------------------------------------------------
// Fixtures and shared assertions
// ---------------------------------------------------------------------------------------------

const NEW_PASSWORD = "N3w!Rotated-Secret";
const meta = { httpStatusCode: 400, attempts: 1 };

/** Every password any test hands the provider; none may appear in errors or console output. */
const secrets = new Set<string>([PASSWORD, NEW_PASSWORD]);

function assertNoSecret(text: string, where: string): void {
    expectNoLeak(text, secrets, where);
}

/** Console output captured while a test runs (console is stubbed in beforeEach). */
let consoleOutput: string[] = [];
const consoleMethods = ["log", "error", "warn", "info", "debug"] as const;
let savedConsole: Partial<Record<(typeof consoleMethods)[number], (...args: unknown[]) => void>> = {};

function captureConsole(): void {
    consoleOutput = [];
    savedConsole = {};
    for (const method of consoleMethods) {
        savedConsole[method] = console[method];
        console[method] = (...args: unknown[]) => {
            consoleOutput.push(
                args
                    .map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a)))
                    .join(" "),
            );
        };
    }
}

function releaseConsole(): string {
    for (const method of consoleMethods) if (savedConsole[method]) console[method] = savedConsole[method]!;
    return consoleOutput.join("\n");
}

/**
 * The shared assertion for error paths: the promise rejects with an Error whose message (and
 * stack) holds no password, and nothing written to the console so far holds one either.
 */
async function expectSafeRejection(promise: Promise<unknown>): Promise<Error> {
    let caught: unknown;
    let resolved = false;
    try {
        await promise;
        resolved = true;
    } catch (err) {
        caught = err;
    }
    expect(resolved, "expected the call to fail").to.equal(false);
    expect(caught).to.be.instanceOf(Error);
    const err = caught as Error;
    assertNoSecret(err.message, "error message");
    assertNoSecret(String(err.stack), "error stack");
    assertNoSecret(String(err), "error string");
    assertNoSecret(consoleOutput.join("\n"), "console output");
    return err;
}

/** Paths of all `undefined` values anywhere inside a value. */
function undefinedPaths(value: unknown, path = "$"): string[] {
    if (value === undefined) return [path];
    if (Array.isArray(value)) return value.flatMap((v, i) => undefinedPaths(v, `${path}[${i}]`));
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => undefinedPaths(v, `${path}.${k}`));
    }
    return [];
}

const notFound = () => new UserNotFoundException({ message: "User does not exist.", $metadata: meta });

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

// ---------------------------------------------------------------------------------------------
// Environment: region and dummy credentials, restored afterwards
// ---------------------------------------------------------------------------------------------

describe("Cognito user provider (unit)", function () {
    dummyAwsEnv();

    beforeEach(() => captureConsole());
    afterEach(() => {
        const output = releaseConsole();
        assertNoSecret(output, "console output");
    });

    // -----------------------------------------------------------------------------------------
    // With aws-sdk-client-mock
    // -----------------------------------------------------------------------------------------
    describe("with a mocked Cognito client", () => {
        let mock: AwsClientStub<CognitoIdentityProviderClient>;
        let provider: CognitoUserProvider;

        const callNames = () => mock.calls().map((c) => (c.args[0] as object).constructor.name);
        const callInput = (i: number) => (mock.call(i).args[0] as { input: any }).input;

        beforeEach(() => {
            mock = mockClient(CognitoIdentityProviderClient);
            mock.reset();
            // Anything not set up explicitly succeeds with an empty response.
            mock.onAnyCommand().resolves({});
            mock.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
            // The look-up before a create finds no user unless a test says otherwise.
            mock.on(AdminGetUserCommand).rejects(notFound());
            provider = createCognitoUserProvider();
        });

        afterEach(() => mock.restore());

        // ------------------------------------------------------------------------------- create
        describe("create", () => {
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

        // ----------------------------------------------------------------------------- rollback
        describe("create rollback", () => {
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

        // ------------------------------------------------------------------- existing usernames
        describe("an existing username", () => {
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
                    "AdminUpdateUserAttributesCommand",
                    "AdminSetUserPasswordCommand",
                    "AdminAddUserToGroupCommand",
                ]);
                expect(callInput(2).UserAttributes).to.deep.equal([
                    { Name: "email", Value: "new@example.com" },
                    { Name: "email_verified", Value: "true" },
                ]);
                expect(callInput(3)).to.deep.equal({ UserPoolId: POOL, Username: "alice", Password: PASSWORD, Permanent: true });
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
        // ------------------------------------------------------------------------------- update
        describe("update", () => {
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
                mock.on(AdminAddUserToGroupCommand).rejects(
                    new ResourceNotFoundException({ message: "Group not found.", $metadata: meta }),
                );
                mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserStatus: "CONFIRMED", Enabled: true });
                const err = await expectSafeRejection(provider.update!(id, outputs(), inputs({ groups: ["missing"] })));
                expect(err.message).to.include("could not be updated").and.include("Group not found").and.not.include("no longer exists");
            });
        });

        // --------------------------------------------------------------------------------- diff
        describe("diff", () => {
            const id = `${POOL}/alice`;

            it("a pool change replaces", async () => {
                const d = await provider.diff!(id, outputs(), inputs({ userPoolId: "eu-west-1_Other" }));
                expect(d.changes).to.equal(true);
                expect(d.replaces).to.deep.equal(["userPoolId"]);
                expect(d.deleteBeforeReplace).to.equal(false);
            });

            it("a username change replaces (create before delete)", async () => {
                const d = await provider.diff!(id, outputs(), inputs({ username: "bob" }));
                expect(d.changes).to.equal(true);
                expect(d.replaces).to.deep.equal(["username"]);
                expect(d.deleteBeforeReplace).to.equal(false);
            });

            it("a case-only username change is an update, not a replace", async () => {
                const d = await provider.diff!(id, outputs(), inputs({ username: "Alice" }));
                expect(d).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
            });

            const inPlace: Array<[string, Partial<CognitoUserInputs>]> = [
                ["password", { password: NEW_PASSWORD }],
                ["attributes (changed value)", { attributes: { email: "alice@new.example.com", email_verified: "true" } }],
                ["attributes (removed)", { attributes: { email: "alice@example.com" } }],
                ["enabled", { enabled: false }],
                ["groups", { groups: ["admins"] }],
            ];
            for (const [what, change] of inPlace) {
                it(`${what} -> in-place change`, async () => {
                    const d = await provider.diff!(id, outputs(), inputs(change));
                    expect(d.changes).to.equal(true);
                    expect(d.replaces).to.deep.equal([]);
                    expect(d.deleteBeforeReplace).to.equal(false);
                });
            }

            it("status drift (an admin reset) -> change", async () => {
                const d = await provider.diff!(id, outputs({ status: "RESET_REQUIRED" }), inputs());
                expect(d.changes).to.equal(true);
                expect(d.replaces).to.deep.equal([]);
            });

            it("identical (groups in another order) -> no change", async () => {
                const d = await provider.diff!(id, outputs({ groups: ["a", "b"] }), inputs({ groups: ["b", "a", "a"] }));
                expect(d.changes).to.equal(false);
                expect(d.replaces).to.deep.equal([]);
            });

            it("makes no API calls", async () => {
                await provider.diff!(id, outputs(), inputs({ password: NEW_PASSWORD }));
                expect(mock.calls()).to.have.length(0);
            });
        });

        // --------------------------------------------------------------------------------- read
        describe("read", () => {
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
                mock.on(AdminGetUserCommand).rejects(
                    new ResourceNotFoundException({ message: "User pool does not exist.", $metadata: meta }),
                );
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
        });

        // ------------------------------------------------------------------------------- delete
        describe("delete", () => {
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
                mock.on(AdminDeleteUserCommand).rejects(
                    new InternalErrorException({ message: `failed near ${PASSWORD}`, $metadata: meta }),
                );
                const err = await expectSafeRejection(provider.delete!(id, outputs()));
                expect(err.message)
                    .to.include('"alice"')
                    .and.include(POOL)
                    .and.include("could not be deleted")
                    .and.include("InternalErrorException");
            });
        });

        // ---------------------------------------------------------------------------- configure
        describe("configure", () => {
            const config = (values: Record<string, string>) => ({
                get: (key: string) => values[key],
                require: (key: string) => {
                    if (!(key in values)) throw new Error(`missing ${key}`);
                    return values[key];
                },
            });

            it("uses aws:region from the stack config over AWS_REGION", async () => {
                await provider.configure!({ config: config({ "aws:region": "ap-northeast-1" }) });
                await provider.delete!(`${POOL}/alice`, outputs());
                const client = mock.call(0).thisValue as CognitoIdentityProviderClient;
                expect(await client.config.region()).to.equal("ap-northeast-1");
            });

            it("falls back to AWS_REGION without stack config", async () => {
                await provider.configure!({ config: config({}) });
                await provider.delete!(`${POOL}/alice`, outputs());
                const client = mock.call(0).thisValue as CognitoIdentityProviderClient;
                expect(await client.config.region()).to.equal("eu-west-1");
            });

            it("falls back to AWS_DEFAULT_REGION without stack config or AWS_REGION", async () => {
                const region = process.env.AWS_REGION;
                delete process.env.AWS_REGION;
                process.env.AWS_DEFAULT_REGION = "sa-east-1";
                try {
                    await provider.configure!({ config: config({}) });
                    await provider.delete!(`${POOL}/alice`, outputs());
                    const client = mock.call(0).thisValue as CognitoIdentityProviderClient;
                    expect(await client.config.region()).to.equal("sa-east-1");
                } finally {
                    process.env.AWS_REGION = region;
                    delete process.env.AWS_DEFAULT_REGION;
                }
            });

            describe("aws:profile", () => {
                let dir: string;
                const profileKey = "AKIDFROMPROFILETEST";
                before(() => {
                    // A shared credentials file with one profile, whose keys differ from the environment's.
                    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-auth-profile-"));
                    fs.writeFileSync(
                        path.join(dir, "credentials"),
                        `[cognito-auth-test]\naws_access_key_id = ${profileKey}\naws_secret_access_key = profile-test-secret\n`,
                    );
                    fs.writeFileSync(path.join(dir, "config"), "");
                    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, "credentials");
                    process.env.AWS_CONFIG_FILE = path.join(dir, "config");
                });
                after(() => {
                    delete process.env.AWS_SHARED_CREDENTIALS_FILE;
                    delete process.env.AWS_CONFIG_FILE;
                    dropSharedClients("");
                    fs.rmSync(dir, { recursive: true, force: true });
                });
                const credentialsOf = async (call: number) => {
                    const client = mock.call(call).thisValue as CognitoIdentityProviderClient;
                    return (await client.config.credentials()).accessKeyId;
                };

                it("signs with the credentials of aws:profile from the stack config, not the environment's", async () => {
                    await provider.configure!({ config: config({ "aws:region": "eu-west-1", "aws:profile": "cognito-auth-test" }) });
                    await provider.delete!(`${POOL}/alice`, outputs());
                    expect(await credentialsOf(0)).to.equal(profileKey);

                    // Another provider in the same process without aws:profile: the environment's credentials,
                    // not the profile's shared client.
                    const other = createCognitoUserProvider();
                    await other.configure!({ config: config({ "aws:region": "eu-west-1" }) });
                    await other.delete!(`${POOL}/alice`, outputs());
                    expect(await credentialsOf(1)).to.equal("AKIDUNITTESTDUMMY");

                    // And back: the profile's client is still the one for the profile.
                    await provider.read!(`${POOL}/alice`, outputs()).catch(() => undefined);
                    expect(await credentialsOf(2)).to.equal(profileKey);
                });

                it("a profile that does not exist fails to give credentials instead of falling back to the environment's", async () => {
                    await provider.configure!({ config: config({ "aws:region": "eu-west-1", "aws:profile": "no-such-profile" }) });
                    await provider.delete!(`${POOL}/alice`, outputs());
                    const key = await credentialsOf(0).then(
                        (k) => `resolved ${k}`,
                        (e: Error) => `failed: ${e.name}`,
                    );
                    expect(key).to.match(/^failed: /);
                });
            });
        });

        // -------------------------------------------------------------------------------- check
        describe("check", () => {
            const policy12 = { ...cognitoDefaultPasswordRules, minimumLength: 12 };
            const rows: Array<{ name: string; change: Partial<CognitoUserInputs>; property: string; reason: RegExp; user?: string }> = [
                { name: "empty username", change: { username: "" }, property: "username", reason: /non-empty/, user: "" },
                {
                    name: "129-character username",
                    change: { username: "u".repeat(129) },
                    property: "username",
                    reason: /at most 128/,
                    user: "u".repeat(129),
                },
                {
                    name: "username with a space",
                    change: { username: "al ice" },
                    property: "username",
                    reason: /no spaces or control characters/,
                    user: "al ice",
                },
                {
                    name: "username with a control character",
                    change: { username: "al\u0007ice" },
                    property: "username",
                    reason: /no spaces or control characters/,
                    user: "al\u0007ice",
                },
                {
                    name: "missing password",
                    change: { password: undefined as unknown as string },
                    property: "password",
                    reason: /password is required/,
                },
                { name: "empty password", change: { password: "" }, property: "password", reason: /password is required/ },
                {
                    name: "password shorter than the policy's minimumLength",
                    change: { password: "Sh0rt#Pass1", passwordPolicy: policy12 },
                    property: "password",
                    reason: /at least 12 characters/,
                },
                {
                    name: "password without a lowercase letter",
                    change: { password: "NOLOWER#1234" },
                    property: "password",
                    reason: /lowercase/,
                },
                {
                    name: "password without an uppercase letter",
                    change: { password: "noupper#1234" },
                    property: "password",
                    reason: /uppercase/,
                },
                { name: "password without a number", change: { password: "NoNumber#abcd" }, property: "password", reason: /number/ },
                { name: "password without a symbol", change: { password: "NoSymbol1234" }, property: "password", reason: /symbol/ },
                {
                    name: "password with leading whitespace",
                    change: { password: " Lead#1234ab" },
                    property: "password",
                    reason: /begin or end with/,
                },
                {
                    name: "password with trailing whitespace",
                    change: { password: "Trail#1234ab " },
                    property: "password",
                    reason: /begin or end with/,
                },
                {
                    name: "password over 256 characters",
                    change: { password: "Aa1#" + "x".repeat(253) },
                    property: "password",
                    reason: /at most 256/,
                },
                {
                    name: "bad email",
                    change: { attributes: { email: "not-an-email" } },
                    property: "attributes",
                    reason: /"email" is not a valid email/,
                },
                {
                    name: "bad phone_number",
                    change: { attributes: { phone_number: "0312345678" } },
                    property: "attributes",
                    reason: /phone_number.*E\.164/,
                },
                {
                    name: "unknown attribute",
                    change: { attributes: { favourite_colour: "blue" } },
                    property: "attributes",
                    reason: /favourite_colour.*not a Cognito standard attribute/,
                },
                {
                    name: "non-boolean enabled",
                    change: { enabled: "yes" as unknown as boolean },
                    property: "enabled",
                    reason: /enabled must be true or false/,
                },
                { name: "bad group name", change: { groups: ["bad group"] }, property: "groups", reason: /group "bad group"/ },
            ];
            for (const row of rows) {
                it(`flags ${row.name}`, async () => {
                    if (typeof row.change.password === "string" && row.change.password) secrets.add(row.change.password);
                    const result = await provider.check!(inputs(), inputs(row.change));
                    const failures = result.failures ?? [];
                    expect(failures.length, "expected a failure").to.be.above(0);
                    expect(failures.map((f) => f.property)).to.satisfy(
                        (ps: string[]) => ps.every((p) => p === row.property),
                        `only ${row.property} should fail: ${JSON.stringify(failures)}`,
                    );
                    expect(
                        failures.some((f) => row.reason.test(f.reason)),
                        JSON.stringify(failures),
                    ).to.equal(true);
                    for (const f of failures) {
                        expect(f.reason).to.include(`Cognito user "${row.user ?? "alice"}"`);
                        assertNoSecret(f.reason, "check failure reason");
                    }
                    expect(mock.calls()).to.have.length(0);
                });
            }

            it("flags a password that breaks the policy without ever quoting it", async () => {
                const weak = "weakpassword";
                secrets.add(weak);
                const result = await provider.check!(inputs(), inputs({ password: weak }));
                expect(result.failures!.length).to.be.greaterThan(1);
                for (const f of result.failures!) assertNoSecret(f.reason, "check failure reason");
            });

            it("accepts a password meeting a relaxed policy", async () => {
                const relaxed = {
                    minimumLength: 6,
                    requireLowercase: true,
                    requireUppercase: false,
                    requireNumbers: false,
                    requireSymbols: false,
                };
                const result = await provider.check!(inputs(), inputs({ password: "simple", passwordPolicy: relaxed }));
                expect(result.failures).to.deep.equal([]);
            });

            it("does not flag unknown values (preview)", async () => {
                const result = await provider.check!(
                    {} as CognitoUserInputs,
                    {
                        userPoolId: UNKNOWN,
                        username: UNKNOWN,
                        password: UNKNOWN,
                        attributes: UNKNOWN,
                        enabled: UNKNOWN,
                        groups: UNKNOWN,
                        passwordPolicy: UNKNOWN,
                        adoptExisting: UNKNOWN,
                    } as unknown as CognitoUserInputs,
                );
                expect(result.failures).to.deep.equal([]);
            });

            it("does not flag an unknown pool id or password alone", async () => {
                const result = await provider.check!({} as CognitoUserInputs, inputs({ userPoolId: UNKNOWN, password: UNKNOWN }));
                expect(result.failures).to.deep.equal([]);
                expect(result.inputs!.userPoolId).to.equal(UNKNOWN);
            });

            // An unknown attribute *value* (e.g. an email from another resource's output during
            // preview) must not be validated as if it were the value.
            it("does not flag unknown attribute values or group names (preview)", async () => {
                const result = await provider.check!(
                    {} as CognitoUserInputs,
                    inputs({
                        attributes: { email: UNKNOWN, email_verified: UNKNOWN, phone_number: UNKNOWN },
                        groups: [UNKNOWN],
                    }),
                );
                expect(result.failures).to.deep.equal([]);
            });

            // Spreading an unknown (string) attributes map / group list would turn it into
            // per-character entries, and the preview would show bogus attributes and groups.
            it("passes whole unknown attributes and groups through unchanged (preview)", async () => {
                const result = await provider.check!(
                    {} as CognitoUserInputs,
                    inputs({
                        attributes: UNKNOWN as unknown as Record<string, string>,
                        groups: UNKNOWN as unknown as string[],
                    }),
                );
                expect(result.inputs!.attributes).to.equal(UNKNOWN);
                expect(result.inputs!.groups).to.equal(UNKNOWN);
            });

            it("a valid input gives no failures and normalized inputs (a new user: passwordRevision 1)", async () => {
                const news = {
                    userPoolId: POOL,
                    username: "alice",
                    password: PASSWORD,
                    attributes: { email: "alice@example.com", email_verified: "true", "custom:team": "blue" },
                    groups: ["editors", "admins", "editors"],
                } as unknown as CognitoUserInputs;
                const result = await provider.check!({} as CognitoUserInputs, news);
                expect(result.failures).to.deep.equal([]);
                expect(result.inputs).to.deep.equal({
                    userPoolId: POOL,
                    username: "alice",
                    password: PASSWORD,
                    attributes: { email: "alice@example.com", email_verified: "true", "custom:team": "blue" },
                    enabled: true,
                    groups: ["admins", "editors"],
                    passwordPolicy: cognitoDefaultPasswordRules,
                    adoptExisting: false,
                    passwordRevision: 1,
                });
                expect(undefinedPaths(result.inputs)).to.deep.equal([]);
                expect(mock.calls()).to.have.length(0);
            });
        });
    });
});
