// The user provider's errors (providers/cognitoUser/errors.ts, lib/redact.ts): redaction of a
// password in every form, the texts of each message, called directly; and a password quoted in any
// Cognito call's error, redacted by the provider (the SDK stubbed by aws-sdk-client-mock).

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
} from "@aws-sdk/client-cognito-identity-provider";
import { redact } from "../../lib/redact";
import { alreadyExistsError, describe as describeError, goneError, isNotFound, userError } from "../../providers/cognitoUser/errors";
import { CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { meta, mockedCognito, notFound } from "../../harness/mockCognito";
import { encodedFormsPassword, testPassword, testPoolId as POOL, userInputs as inputs } from "../../harness/users";

describe("errors", () => {
    describe("pure (errors.ts, redact)", () => {
        const PASSWORD = encodedFormsPassword;
        describe("redact", () => {
            const forms: [string, string][] = [
                ["as it is", PASSWORD],
                ["upper-cased", PASSWORD.toUpperCase()],
                ["JSON-escaped", JSON.stringify(PASSWORD).slice(1, -1)],
                ["URL-encoded", encodeURIComponent(PASSWORD)],
                ["form-encoded", encodeURIComponent(PASSWORD).replace(/%20/g, "+")],
                ["escape()-encoded (Latin-1 %XX, as older libraries do)", escape(PASSWORD)],
            ];
            for (const [name, form] of forms) {
                it(`cuts a password ${name}, for each secret given`, () => {
                    expect(redact(`before ${form} after`, ["other-secret", PASSWORD])).to.equal("before [secret] after");
                });
            }

            it("cuts every secret given (old and new password) and leaves other text alone", () => {
                expect(redact("old=Old#Pass1 new=New#Pass2 user=alice", ["New#Pass2", undefined, "", "Old#Pass1"])).to.equal(
                    "old=[secret] new=[secret] user=alice",
                );
            });

            it("treats regular-expression characters in a password literally", () => {
                expect(redact("a.b*c a-b-c", ["a.b*c"])).to.equal("[secret] a-b-c");
            });

            it("cuts a form that contains another form whole (longest first), leaving no part of it", () => {
                // "100%" URL-encoded is "100%25", which contains "100%" itself.
                expect(redact("sent 100%25 and 100%", ["100%"])).to.equal("sent [secret] and [secret]");
            });

            it("leaves text alone when there is no secret", () => {
                expect(redact("nothing to cut", [])).to.equal("nothing to cut");
                expect(redact("nothing to cut", [undefined, ""])).to.equal("nothing to cut");
            });
        });

        describe("describe", () => {
            it("is the error's name and message, redacted", () => {
                const err = Object.assign(new Error(`bad password ${PASSWORD}`), { name: "InvalidPasswordException" });
                expect(describeError(err, [PASSWORD])).to.equal("InvalidPasswordException: bad password [secret]");
            });

            it("says Error for a thrown value without a name, and uses its text", () => {
                expect(describeError(`plain text ${PASSWORD}`, [PASSWORD])).to.equal("Error: plain text [secret]");
                expect(describeError({ message: "no name" }, [])).to.equal("Error: no name");
                expect(describeError(Object.assign(new Error("empty name"), { name: "" }), [])).to.equal("Error: empty name");
                expect(describeError(undefined, [])).to.equal("Error: undefined");
            });
        });

        describe("messages", () => {
            const user = { userPoolId: POOL, username: "alice" };

            it("userError names the user, the pool, what failed and the redacted cause", () => {
                const err = userError(user, "could not be updated", new Error(`echo ${PASSWORD}`), [PASSWORD]);
                expect(err.message).to.equal(`Cognito user "alice" in pool ${POOL} could not be updated: Error: echo [secret]`);
            });

            it("goneError says the user was deleted outside Pulumi, and how to recreate it", () => {
                expect(goneError(user).message).to.equal(
                    `Cognito user "alice" no longer exists in user pool ${POOL} (deleted outside Pulumi), so it cannot be updated. ` +
                        "Run `pulumi refresh` and then `pulumi up` (or `pulumi up --refresh`) to create it again.",
                );
            });

            it("alreadyExistsError says what is known of the user: status, creation time, and a half-made user's missing password", () => {
                const unknown = alreadyExistsError(user, {}).message;
                expect(unknown).to.include(
                    `Cognito user "alice" already exists in user pool ${POOL} (status unknown) and this stack does not manage it`,
                );
                expect(unknown).to.not.include("created").and.not.include("no permanent password");
                const halfMade = alreadyExistsError(user, {
                    status: "FORCE_CHANGE_PASSWORD",
                    createdAt: new Date("2024-05-06T07:08:09Z"),
                }).message;
                expect(halfMade)
                    .to.include("(status FORCE_CHANGE_PASSWORD, created 2024-05-06T07:08:09.000Z)")
                    .and.include("It has no permanent password yet");
                expect(halfMade).to.include(`aws cognito-idp admin-delete-user --user-pool-id ${POOL} --username alice`);
                expect(alreadyExistsError(user, { status: "CONFIRMED" }).message)
                    .to.include("(status CONFIRMED)")
                    .and.not.include("no permanent password");
            });

            it("alreadyExistsError, the whole text for a confirmed user: how to take it over, or remove it if it is someone else's", () => {
                expect(alreadyExistsError(user, { status: "CONFIRMED" }).message).to.equal(
                    `Cognito user "alice" already exists in user pool ${POOL} (status CONFIRMED) and this stack does not manage it, so it was left untouched. ` +
                        "If an earlier `pulumi up` of this stack was interrupted, the user is this stack's own but missing from its state: " +
                        "take it over with `pulumi config set cognito-auth:adoptExistingUsers true` and `pulumi up` (then set it back to false); " +
                        "this sets the configured password and attributes. If the user is someone else's, stop managing it here:\n" +
                        "    pulumi config rm --path 'users.alice'\n" +
                        "    pulumi config rm --path 'passwords.alice'\n" +
                        "or delete it from the pool, then run `pulumi up` again:\n" +
                        `    aws cognito-idp admin-delete-user --user-pool-id ${POOL} --username alice`,
                );
            });

            it("isNotFound is true for a missing user or pool only", () => {
                expect(
                    ["UserNotFoundException", "ResourceNotFoundException", "InternalErrorException", ""].map((name) =>
                        isNotFound({ name }),
                    ),
                ).to.deep.equal([true, true, false, false]);
                expect(isNotFound(undefined)).to.equal(false);
                expect(isNotFound(new Error("UserNotFoundException"))).to.equal(false);
            });
        });
    });

    describe("a password quoted in a Cognito call's error (mocked client)", function () {
        const cognito = mockedCognito();
        let mock: AwsClientStub<CognitoIdentityProviderClient>;
        let provider: CognitoUserProvider;
        beforeEach(() => ({ mock, provider } = cognito));
        const PASSWORD = testPassword;
        const rejection = cognito.rejection;
        /** A service error whose text quotes the password, as a misbehaving endpoint might. */
        const echoing = () =>
            new InternalErrorException({ message: `internal error for request with Password=${PASSWORD}`, $metadata: meta });

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
    });
});
