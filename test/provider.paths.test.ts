// Provider paths that mutation testing (docs/mutation-testing.md) showed no other test pins: the
// conditions under which create takes a user that appeared during its own call for the one it made,
// responses that lack optional fields, failures of the look-ups, errors that carry a password, and
// the process-wide client sharing. The SDK is stubbed with aws-sdk-client-mock, as in
// provider.unit.test.ts; every error is checked for the password.

import { expect } from "chai";
import { dummyAwsEnv } from "../harness/awsEnv";
import { mockClient, AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
    UserNotFoundException,
    UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserProvider, createCognitoUserProvider } from "../providers/cognitoUser/provider";
import { dropSharedClients, operationClient } from "../providers/cognitoUser/client";
import { expectNoLeak } from "../harness/leaks";
import {
    testPassword as PASSWORD,
    testPoolId as POOL,
    testSub as SUB,
    unknownValue as UNKNOWN,
    userInputs as inputs,
} from "../harness/users";

const meta = { httpStatusCode: 400, attempts: 1 };
const notFound = () => new UserNotFoundException({ message: "User does not exist.", $metadata: meta });
/** A service error whose text quotes the password, as a misbehaving endpoint might. */
const echoing = () => new InternalErrorException({ message: `internal error for request with Password=${PASSWORD}`, $metadata: meta });

/** The rejection of `promise`, checked to be an Error without the password. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
    const outcome = await promise.then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(outcome, "expected the call to fail").to.be.instanceOf(Error);
    const err = outcome as Error;
    expectNoLeak(`${err.message}\n${err.stack}`, new Set([PASSWORD]), "error");
    return err;
}

describe("Cognito user provider: paths found by mutation testing", function () {
    dummyAwsEnv();

    describe("with a mocked Cognito client", function () {
        let mock: AwsClientStub<CognitoIdentityProviderClient>;
        let provider: CognitoUserProvider;
        const callNames = () => mock.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));

        beforeEach(() => {
            mock = mockClient(CognitoIdentityProviderClient);
            mock.reset();
            mock.onAnyCommand().resolves({});
            mock.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
            mock.on(AdminGetUserCommand).rejects(notFound());
            provider = createCognitoUserProvider();
        });
        afterEach(() => mock.restore());

        describe("a user that appears during AdminCreateUser", function () {
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
        });

        describe("responses without optional fields", function () {
            it("AdminCreateUser answers without the user: created, sub unknown to the outputs", async function () {
                mock.on(AdminCreateUserCommand).resolves({});
                const result = await provider.create!(inputs());
                expect(result.id).to.equal(`${POOL}/alice`);
                expect(callNames()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminSetUserPassword"]);
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
        });

        describe("failures without stored outputs, and errors that quote the password", function () {
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

            it("a password quoted in any call's error is redacted: look-up, create, read, delete", async function () {
                const stored = { password: PASSWORD } as never;
                mock.on(AdminGetUserCommand).rejects(echoing());
                await rejection(provider.create!(inputs()));
                await rejection(provider.read!(`${POOL}/alice`, stored));
                mock.on(AdminGetUserCommand).rejects(notFound());
                mock.on(AdminCreateUserCommand).rejects(echoing());
                await rejection(provider.create!(inputs()));
                mock.on(AdminGetUserCommand).resolves({ Username: "alice" });
                mock.on(AdminDeleteUserCommand).rejects(echoing());
                await rejection(provider.delete!(`${POOL}/alice`, stored));
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

            it("check names a user whose username is not known yet as <unknown>", async function () {
                const result = await provider.check!({} as never, inputs({ username: UNKNOWN, password: "short" }));
                expect(result.failures!.map((f) => f.reason)).to.deep.equal([
                    'Cognito user "<unknown>": password must be at least 8 characters long',
                    'Cognito user "<unknown>": password must contain an uppercase letter (A-Z)',
                    'Cognito user "<unknown>": password must contain a number (0-9)',
                    `Cognito user "<unknown>": password must contain a symbol, one of ^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+-`,
                ]);
            });
        });
    });

    describe("shared clients (one connection pool and credential resolution per region, profile and endpoint)", function () {
        const handlerOf = (client: CognitoIdentityProviderClient) => client.config.requestHandler;
        afterEach(() => {
            delete process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
            delete process.env.AWS_ENDPOINT_URL;
            dropSharedClients("http://127.0.0.1:1");
            dropSharedClients("http://127.0.0.1:2");
        });

        it("shares per endpoint, a new one for another endpoint, and a dropped endpoint's afresh", function () {
            process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = "http://127.0.0.1:1";
            const a1 = operationClient({ region: "eu-west-1" });
            const a2 = operationClient({ region: "eu-west-1" });
            expect(handlerOf(a2), "the same endpoint shares").to.equal(handlerOf(a1));
            expect(a2, "each operation has a client of its own").to.not.equal(a1);
            process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = "http://127.0.0.1:2";
            const b = operationClient({ region: "eu-west-1" });
            expect(handlerOf(b), "another endpoint does not share").to.not.equal(handlerOf(a1));
            delete process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
            process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:1";
            expect(handlerOf(operationClient({ region: "eu-west-1" })), "AWS_ENDPOINT_URL is the fallback").to.equal(handlerOf(a1));
            dropSharedClients("http://127.0.0.1:1");
            expect(handlerOf(operationClient({ region: "eu-west-1" })), "dropped: made afresh").to.not.equal(handlerOf(a1));
            process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = "http://127.0.0.1:2";
            expect(handlerOf(operationClient({ region: "eu-west-1" })), "another endpoint's is kept").to.equal(handlerOf(b));
        });
    });
});
