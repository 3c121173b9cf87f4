// The provider's `check` and its plain counter `passwordRevision` (providers/cognitoUser/plan.ts),
// called directly. What the CLI prints with it is in engine.passwords.test.ts.

import { expect } from "chai";
import { checkUser, normalize, passwordRevision } from "../providers/cognitoUser/plan";
import { unknownValue, userInputs } from "../harness/users";

const user = (password: string, passwordRevision?: number) =>
    userInputs({ password, ...(passwordRevision === undefined ? {} : { passwordRevision }) });

describe("passwordRevision (the provider's check)", () => {
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
