// The pure half of the user provider (providers/cognitoUser/plan.ts, errors.ts), called directly.

import { expect } from "chai";
import {
    CognitoUserInputs,
    CognitoUserOutputs,
    diffUser,
    normalize,
    planChanges,
    stateVersion,
    storedState,
} from "../providers/cognitoUser/plan";
import { redact } from "../lib/redact";
import { alreadyExistsError, describe as describeError, goneError, isNotFound, userError } from "../providers/cognitoUser/errors";
import { cognitoDefaultPasswordRules } from "../providers/rules";
import { testPoolId as POOL, unknownValue, userInputs, userOutputs } from "../harness/users";

/** Characters that JSON and URL encoding change, for the redaction tests. */
const PASSWORD = "Corr3ct#Horse Battery/+é";
/** The shared user fixture with this password, an email and a group (new objects each call). */
const fields = () => ({ password: PASSWORD, attributes: { email: "a@example.com", email_verified: "true" }, groups: ["admins"] });

const desired = (over: Partial<CognitoUserInputs> = {}): CognitoUserInputs => userInputs({ ...fields(), ...over });
const stored = (over: Partial<CognitoUserOutputs> = {}): CognitoUserOutputs =>
    userOutputs({ ...fields(), sub: "s", stateVersion, ...over });
/** Outputs as cognito-auth 0.1 (the provider serialized by value) wrote them: no stateVersion, inputs copied in. */
const storedByVersion1 = () => {
    const { stateVersion: _v, ...rest } = stored();
    return { ...rest, passwordPolicy: cognitoDefaultPasswordRules, adoptExisting: false, __provider: "exports.handler = ..." };
};

describe("user provider plan (pure)", () => {
    describe("diffUser", () => {
        it("stored outputs or inputs without a username (a damaged state): a replacement, not a crash", () => {
            const { username: _old, ...olds } = stored();
            expect(diffUser(olds as CognitoUserOutputs, desired())).to.deep.equal({
                changes: true,
                replaces: ["username"],
                deleteBeforeReplace: false,
            });
            const { username: _new, ...news } = desired();
            expect(diffUser(stored(), news as CognitoUserInputs)).to.deep.equal({
                changes: true,
                replaces: ["username"],
                deleteBeforeReplace: false,
            });
        });

        it("normalize fills an absent password with an empty one (never undefined in the outputs)", () => {
            const { password: _password, ...inputs } = desired();
            expect(normalize(inputs as CognitoUserInputs).password).to.equal("");
        });

        it("nothing changed -> no change", () => {
            expect(diffUser(stored(), desired())).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
        });

        for (const [what, olds, news] of [
            ["password", stored(), desired({ password: "An0ther#Password" })],
            ["status drift", stored({ status: "RESET_REQUIRED" }), desired()],
            ["attribute value", stored(), desired({ attributes: { email: "b@example.com", email_verified: "true" } })],
            ["attribute removed", stored(), desired({ attributes: { email: "a@example.com" } })],
            ["enabled", stored(), desired({ enabled: false })],
            ["groups", stored(), desired({ groups: [] })],
        ] as const) {
            it(`${what} -> in-place change`, () => {
                expect(diffUser(olds, news)).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
            });
        }

        it("outputs written by version 1 count as a change (so the next up rewrites them small) and plan no Cognito call", () => {
            const olds = storedByVersion1();
            expect(diffUser(olds, desired())).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
            expect(planChanges(storedState(olds), desired(), false)).to.deep.equal([]);
        });

        it("outputs without attributes, enabled or groups are read as none, enabled and none", () => {
            expect(storedState({})).to.deep.equal({ attributes: {}, enabled: true, groups: [] });
            const { attributes: _a, enabled: _e, groups: _g, ...bare } = stored();
            expect(diffUser(bare, desired({ attributes: {}, groups: [] }))).to.deep.equal({
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
            expect(diffUser(bare, desired({ attributes: {}, groups: [], enabled: false })).changes).to.equal(true);
        });

        for (const field of ["attributes", "groups", "enabled", "password"] as const) {
            it(`an input not known yet (${field}, during preview) counts as a change`, () => {
                expect(diffUser(stored(), desired({ [field]: unknownValue } as Partial<CognitoUserInputs>))).to.deep.equal({
                    changes: true,
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            });
        }

        it("a new pool or username replaces; a case-only rename is an update", () => {
            expect(diffUser(stored(), desired({ userPoolId: "eu-west-1_Other" }))).to.deep.equal({
                changes: true,
                replaces: ["userPoolId"],
                deleteBeforeReplace: false,
            });
            expect(diffUser(stored(), desired({ username: "bob" }))).to.deep.equal({
                changes: true,
                replaces: ["username"],
                deleteBeforeReplace: false,
            });
            expect(diffUser(stored(), desired({ username: "Alice" }))).to.deep.equal({
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            expect(diffUser(stored(), desired({ userPoolId: "eu-west-1_Other", username: "Alice" })), "in another pool").to.deep.equal({
                changes: true,
                replaces: ["userPoolId", "username"],
                deleteBeforeReplace: false,
            });
        });
    });

    describe("planChanges", () => {
        it("orders attributes, removals, password, groups, then enabled; re-sends email_verified with a new email", () => {
            const current = {
                attributes: { email: "a@example.com", email_verified: "true", nickname: "al" },
                enabled: true,
                groups: ["old"],
            };
            const plan = planChanges(
                current,
                desired({ attributes: { email: "b@example.com", email_verified: "true" }, groups: ["new"], enabled: false }),
                true,
            );
            expect(plan).to.deep.equal([
                { action: "AdminUpdateUserAttributes", attributes: { email: "b@example.com", email_verified: "true" } },
                { action: "AdminDeleteUserAttributes", names: ["nickname"] },
                { action: "AdminSetUserPassword" },
                { action: "AdminAddUserToGroup", group: "new" },
                { action: "AdminRemoveUserFromGroup", group: "old" },
                { action: "AdminDisableUser" },
            ]);
            expect(JSON.stringify(plan)).to.not.include(PASSWORD);
        });

        it("re-sends phone_number_verified with a new phone number, and no flag the inputs do not set", () => {
            const current = {
                attributes: { email: "a@example.com", phone_number: "+81312345678", phone_number_verified: "true" },
                enabled: true,
                groups: [],
            };
            expect(
                planChanges(
                    current,
                    desired({
                        attributes: { email: "a@example.com", phone_number: "+81399999999", phone_number_verified: "true" },
                        groups: [],
                    }),
                    false,
                ),
            ).to.deep.equal([
                { action: "AdminUpdateUserAttributes", attributes: { phone_number: "+81399999999", phone_number_verified: "true" } },
            ]);
            // Without the flag in the inputs it is not sent (and it is no managed attribute to remove).
            const unflagged = { attributes: { email: "a@example.com" }, enabled: true, groups: [] };
            expect(planChanges(unflagged, desired({ attributes: { email: "b@example.com" }, groups: [] }), false)).to.deep.equal([
                { action: "AdminUpdateUserAttributes", attributes: { email: "b@example.com" } },
            ]);
            // A flag that changes itself is sent once.
            const both = planChanges(
                current,
                desired({
                    attributes: { email: "a@example.com", phone_number: "+81399999999", phone_number_verified: "false" },
                    groups: [],
                }),
                false,
            );
            expect(both).to.deep.equal([
                { action: "AdminUpdateUserAttributes", attributes: { phone_number: "+81399999999", phone_number_verified: "false" } },
            ]);
        });

        it("enables a disabled user, last", () => {
            expect(
                planChanges({ attributes: {}, enabled: false, groups: [] }, desired({ attributes: {}, groups: [] }), true),
            ).to.deep.equal([{ action: "AdminSetUserPassword" }, { action: "AdminEnableUser" }]);
        });

        it("a user created just now needs only its password and what creation does not set", () => {
            const user = desired({ groups: [] });
            expect(planChanges({ attributes: user.attributes, enabled: true, groups: [] }, user, true)).to.deep.equal([
                { action: "AdminSetUserPassword" },
            ]);
        });
    });

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
                ["UserNotFoundException", "ResourceNotFoundException", "InternalErrorException", ""].map((name) => isNotFound({ name })),
            ).to.deep.equal([true, true, false, false]);
            expect(isNotFound(undefined)).to.equal(false);
            expect(isNotFound(new Error("UserNotFoundException"))).to.equal(false);
        });
    });
});
