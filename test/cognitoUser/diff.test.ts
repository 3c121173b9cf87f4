// The user provider's diff (providers/cognitoUser/provider.ts): what replaces, what is an in-place
// change, and that it sends nothing (the SDK stubbed by aws-sdk-client-mock, harness/mockCognito.ts).
// The pure diffUser behind it, case by case: plan.test.ts.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserInputs, CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { mockedCognito, newPassword as NEW_PASSWORD } from "../../harness/mockCognito";
import { testPoolId as POOL, userInputs as inputs, userOutputs as outputs } from "../../harness/users";

describe("diff", function () {
    const cognito = mockedCognito();
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    beforeEach(() => ({ mock, provider } = cognito));
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
