// The pure half of the user provider (providers/cognitoUser/plan.ts, errors.ts), called directly.

import { expect } from "chai";
import { CognitoUserInputs, CognitoUserOutputs, diffUser, planChanges, stateVersion, storedState } from "../providers/cognitoUser/plan";
import { redact } from "../providers/cognitoUser/errors";
import { cognitoDefaultPasswordRules } from "../providers/rules";

const POOL = "eu-west-1_AbCdEf123";
const PASSWORD = "Corr3ct#Horse Battery/+é";

const desired = (over: Partial<CognitoUserInputs> = {}): CognitoUserInputs => ({
    userPoolId: POOL, username: "alice", password: PASSWORD, attributes: { email: "a@example.com", email_verified: "true" },
    enabled: true, groups: ["admins"], passwordPolicy: cognitoDefaultPasswordRules, adoptExisting: false, ...over,
});
const stored = (over: Partial<CognitoUserOutputs> = {}): CognitoUserOutputs => ({
    userPoolId: POOL, username: "alice", password: PASSWORD, attributes: { email: "a@example.com", email_verified: "true" },
    enabled: true, groups: ["admins"], sub: "s", status: "CONFIRMED", adopted: false, stateVersion, ...over,
});
/** Outputs as cognito-auth 0.1 (the provider serialized by value) wrote them: no stateVersion, inputs copied in. */
const storedByVersion1 = () => {
    const { stateVersion: _v, ...rest } = stored();
    return { ...rest, passwordPolicy: cognitoDefaultPasswordRules, adoptExisting: false, __provider: "exports.handler = ..." };
};

describe("user provider plan (pure)", () => {
    describe("diffUser", () => {
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

        it("a new pool or username replaces; a case-only rename deletes first", () => {
            expect(diffUser(stored(), desired({ userPoolId: "eu-west-1_Other" }))).to.deep.equal({ changes: true, replaces: ["userPoolId"], deleteBeforeReplace: false });
            expect(diffUser(stored(), desired({ username: "bob" }))).to.deep.equal({ changes: true, replaces: ["username"], deleteBeforeReplace: false });
            expect(diffUser(stored(), desired({ username: "Alice" }))).to.deep.equal({ changes: true, replaces: ["username"], deleteBeforeReplace: true });
        });
    });

    describe("planChanges", () => {
        it("orders attributes, removals, password, groups, then enabled; re-sends email_verified with a new email", () => {
            const current = { attributes: { email: "a@example.com", email_verified: "true", nickname: "al" }, enabled: true, groups: ["old"] };
            const plan = planChanges(current, desired({ attributes: { email: "b@example.com", email_verified: "true" }, groups: ["new"], enabled: false }), true);
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

        it("a user created just now needs only its password and what creation does not set", () => {
            const user = desired({ groups: [] });
            expect(planChanges({ attributes: user.attributes, enabled: true, groups: [] }, user, true)).to.deep.equal([{ action: "AdminSetUserPassword" }]);
        });
    });

    describe("redact", () => {
        const forms: [string, string][] = [
            ["as it is", PASSWORD],
            ["upper-cased", PASSWORD.toUpperCase()],
            ["JSON-escaped", JSON.stringify(PASSWORD).slice(1, -1)],
            ["URL-encoded", encodeURIComponent(PASSWORD)],
            ["form-encoded", encodeURIComponent(PASSWORD).replace(/%20/g, "+")],
        ];
        for (const [name, form] of forms) {
            it(`cuts a password ${name}, for each secret given`, () => {
                expect(redact(`before ${form} after`, ["other-secret", PASSWORD])).to.equal("before [secret] after");
            });
        }

        it("cuts every secret given (old and new password) and leaves other text alone", () => {
            expect(redact("old=Old#Pass1 new=New#Pass2 user=alice", ["New#Pass2", undefined, "", "Old#Pass1"])).to.equal("old=[secret] new=[secret] user=alice");
        });

        it("treats regular-expression characters in a password literally", () => {
            expect(redact("a.b*c a-b-c", ["a.b*c"])).to.equal("[secret] a-b-c");
        });
    });
});
