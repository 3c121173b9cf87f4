// The pure half of the user provider's plan (providers/cognitoUser/plan.ts), called directly:
// diffUser (what diff answers), planChanges (the calls an update sends), and checkUser's plain
// counter passwordRevision. What the CLI prints with the counter is in engine.passwords.test.ts.

import { expect } from "chai";
import {
    CognitoUserInputs,
    CognitoUserOutputs,
    checkUser,
    diffUser,
    normalize,
    passwordRevision,
    planChanges,
    stateVersion,
    storedState,
} from "../../providers/cognitoUser/plan";
import { cognitoDefaultPasswordRules } from "../../providers/rules";
import { encodedFormsPassword as PASSWORD, unknownValue, userInputs, userOutputs } from "../../harness/users";

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
const user = (password: string, passwordRevision?: number) =>
    userInputs({ password, ...(passwordRevision === undefined ? {} : { passwordRevision }) });

describe("plan (pure)", () => {
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
        it("orders password, attributes, removals, groups, then enabled; re-sends email_verified with a new email", () => {
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
            // Password first: a password Cognito refuses then leaves the user as it was.
            expect(plan).to.deep.equal([
                { action: "AdminSetUserPassword" },
                { action: "AdminUpdateUserAttributes", attributes: { email: "b@example.com", email_verified: "true" } },
                { action: "AdminDeleteUserAttributes", names: ["nickname"] },
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

    describe("checkUser's passwordRevision", () => {
        it("is 1 for a new user (no old inputs), whatever the password", () => {
            expect(passwordRevision({}, user("Aa1#aaaa"))).to.equal(1);
            expect(passwordRevision({}, user("A much longer password 1#"))).to.equal(1);
            expect(checkUser(user("Aa1#aaaa")).inputs.passwordRevision).to.equal(1);
        });

        it("stays while the password stays, and goes up by one when it changes, whatever the values", () => {
            expect(passwordRevision(user("Old-Pa55word#", 4), user("Old-Pa55word#"))).to.equal(4);
            expect(passwordRevision(user("Old-Pa55word#", 4), user("New-Pa55word#"))).to.equal(5);
            expect(passwordRevision(user("x", 4), user("A much longer password 1#"))).to.equal(5);
            expect(checkUser(user("New-Pa55word#"), user("Old-Pa55word#", 4)).inputs.passwordRevision).to.equal(5);
        });

        it("old inputs without a counter (an earlier version): none while the password stays, so upgrading changes no input; 2 after a change", () => {
            const { inputs } = checkUser(user("Old-Pa55word#"), user("Old-Pa55word#"));
            expect(inputs).to.not.have.property("passwordRevision");
            expect(passwordRevision(user("Old-Pa55word#"), user("New-Pa55word#"))).to.equal(2);
        });

        it("a password not known yet (preview) keeps the old counter; the check at `pulumi up` counts it", () => {
            expect(passwordRevision(user("Old-Pa55word#", 3), user(unknownValue))).to.equal(3);
            expect(checkUser(user(unknownValue), user("Old-Pa55word#")).inputs).to.not.have.property("passwordRevision");
        });

        it("a counter in the new inputs is not taken: only the old inputs and the passwords decide", () => {
            expect(checkUser(user("Old-Pa55word#", 99), user("Old-Pa55word#", 2)).inputs.passwordRevision).to.equal(2);
        });

        it("normalize keeps the counter, and leaves it out when absent (the engine cannot encode undefined)", () => {
            expect(normalize(user("p", 7)).passwordRevision).to.equal(7);
            expect(normalize(user("p"))).to.not.have.property("passwordRevision");
        });
    });
});
