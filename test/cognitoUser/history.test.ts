// The pool's password history (passwordPolicy.passwordHistorySize): Cognito refuses
// AdminSetUserPassword with PasswordHistoryPolicyViolationException when a new password is one of
// the user's recent ones. The error names the user and the rule and says how to set another, with
// no password; the password goes first, so a refusal changes nothing and the old state stays
// right; and an update that fails after its password went through records that in its state, so
// the next `pulumi up` does not set the same password again (which the history would refuse).
// Against the scripted fake (harness/fakeCognito.ts, real SDK) that holds the pool's users, and a
// mocked client for the text alone. The same under the real engine: test/engine.history.test.ts.

import { expect } from "chai";
import {
    AdminGetUserCommand,
    AdminSetUserPasswordCommand,
    PasswordHistoryPolicyViolationException,
} from "@aws-sdk/client-cognito-identity-provider";
import { createCognitoUserProvider } from "../../providers/cognitoUser/provider";
import { CognitoUserOutputs } from "../../providers/cognitoUser/plan";
import { scriptedCognito } from "../../harness/fakeCognito";
import { rejectionWithoutLeak } from "../../harness/leaks";
import { meta, mockedCognito, newPassword as NEW_PASSWORD } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, userInputs as inputs, userOutputs as outputs } from "../../harness/users";

/** What the error says after the user's name and pool, for user `name` (set with `--path`). */
const refusal = (path: string) =>
    "Cognito refuses the new password (PasswordHistoryPolicyViolationException): it is one of the user's recent passwords, " +
    "which the user pool's password history forbids (passwordPolicy.passwordHistorySize). Choose a password the user has not " +
    `had recently; set it with: pulumi config set --secret --path '${path}' -- '<password>', then run \`pulumi up\` again.`;

/** The attributes of the fixture user in the pool, sub included. */
const poolAttributes = { sub: "sub-alice", email: "alice@example.com", email_verified: "true", given_name: "Alice" };

describe("password history (PasswordHistoryPolicyViolationException)", function () {
    describe("against a scripted Cognito that holds the users", function () {
        const scripted = scriptedCognito();
        const rejection = (promise: Promise<unknown>) => rejectionWithoutLeak(promise, [PASSWORD, NEW_PASSWORD]);
        /** The user as stored after its last `up`, and as the pool holds it. */
        const stored = (over: Partial<CognitoUserOutputs> = {}) =>
            outputs({ attributes: { email: "alice@example.com", email_verified: "true", given_name: "Alice" }, sub: "sub-alice", ...over });
        /** A rotation that changes everything else too: an attribute, a group, enabled. */
        const rotation = inputs({
            password: NEW_PASSWORD,
            attributes: { email: "alice@new.example.com", email_verified: "true", given_name: "Alicia" },
            groups: ["admins"],
            enabled: false,
        });
        const addAlice = () =>
            scripted.fake.addUser("alice", { UserStatus: "CONFIRMED", Password: PASSWORD, Attributes: { ...poolAttributes } });
        /** The fake refuses to set any of `recent` as alice's password again (the history). */
        const history = (...recent: string[]) =>
            (scripted.fake.faultFor = (action, body) =>
                action === "AdminSetUserPassword" && recent.includes(body.Password) ? "history" : undefined);

        it("update: a refused rotation names the user and the rule, changes nothing in the pool, and leaves the old state in place", async () => {
            const before = JSON.stringify(addAlice());
            history(NEW_PASSWORD);
            const err = await rejection(createCognitoUserProvider().update!(`${POOL}/alice`, stored(), rotation));
            expect(err.message).to.equal(
                `Cognito user "alice" in pool ${POOL} could not be updated, and nothing was changed: ${refusal("passwords.alice")}`,
            );
            expect(JSON.stringify(scripted.fake.users.get("alice")), "the user in the pool, byte for byte").to.equal(before);
            expect(scripted.fake.actions(), "the password went first, and nothing after it").to.deep.equal([
                "AdminGetUser",
                "AdminSetUserPassword",
            ]);
            // No partial state: the engine keeps the stored outputs, old password included, so the next `up` tries again.
            expect(err).to.not.have.property("properties");
            expect(err).to.not.have.property("id");
        });

        it("update: a call that fails after the password went through records exactly what was applied; the next update does not set the password again", async () => {
            addAlice();
            // A non-retryable refusal of the group call, after the password and the attributes went through.
            scripted.fake.faultFor = (action, body) =>
                action === "AdminAddUserToGroup"
                    ? "reject"
                    : action === "AdminSetUserPassword" && body.Password === PASSWORD
                      ? "history"
                      : undefined;
            const olds = stored();
            const news = { ...rotation, __provider: "loader text" } as typeof rotation;
            const err = await rejection(createCognitoUserProvider().update!(`${POOL}/alice`, olds, news));
            expect(err.message)
                .to.match(new RegExp(`^Cognito user "alice" in pool ${POOL} was updated only in part: InvalidPasswordException`))
                .and.include(
                    "(sent before it failed: AdminSetUserPassword, AdminUpdateUserAttributes; the stack's state records exactly that, so the next `pulumi up` sends the rest)",
                );
            const partial = err as Error & { id?: string; properties?: Record<string, unknown>; reasons?: string[] };
            expect(partial.id).to.equal(`${POOL}/alice`);
            // The CLI prints the reasons of a partial failure, not its message.
            expect(partial.reasons).to.deep.equal([err.message]);
            expect(partial.properties).to.deep.equal({
                ...stored(),
                password: NEW_PASSWORD,
                attributes: rotation.attributes,
                status: "CONFIRMED",
                __provider: "loader text",
            });
            const inPool = scripted.fake.users.get("alice")!;
            expect(inPool.Password).to.equal(NEW_PASSWORD);
            expect(inPool.Attributes).to.deep.equal({ ...poolAttributes, email: "alice@new.example.com", given_name: "Alicia" });
            expect([inPool.Groups, inPool.Enabled]).to.deep.equal([[], true]);

            // The next `up`, from the recorded state: only the rest, never the password (now one of the recent ones).
            history(PASSWORD, NEW_PASSWORD);
            const { __provider: _p, ...recorded } = partial.properties!;
            scripted.fake.requests.length = 0;
            const result = await createCognitoUserProvider().update!(`${POOL}/alice`, recorded as unknown as CognitoUserOutputs, rotation);
            expect(scripted.fake.actions()).to.deep.equal(["AdminGetUser", "AdminAddUserToGroup", "AdminDisableUser"]);
            expect([inPool.Groups, inPool.Enabled]).to.deep.equal([["admins"], false]);
            expect(result.outs).to.deep.include({ password: NEW_PASSWORD, groups: ["admins"], enabled: false, status: "CONFIRMED" });
        });

        it("create: a refused password deletes the user it made again and says why", async () => {
            scripted.fake.faultFor = (action) => (action === "AdminSetUserPassword" ? "history" : undefined);
            const err = await rejection(createCognitoUserProvider().create!(inputs({ username: "john.doe" })));
            expect(err.message).to.equal(
                `Cognito user "john.doe" in pool ${POOL} was created but could not be completed; the user was deleted again: ` +
                    refusal('passwords["john.doe"]'),
            );
            expect([...scripted.fake.users.keys()], "no half-made user").to.deep.equal([]);
        });

        it("adopt: a refused password leaves the existing user as it was", async () => {
            const before = JSON.stringify(addAlice());
            history(PASSWORD);
            const err = await rejection(
                createCognitoUserProvider().create!(inputs({ adoptExisting: true, attributes: rotation.attributes, groups: ["admins"] })),
            );
            expect(err.message).to.equal(
                `Cognito user "alice" in pool ${POOL} exists and could not be adopted (it was not deleted): ${refusal("passwords.alice")}`,
            );
            expect(JSON.stringify(scripted.fake.users.get("alice")), "the user in the pool, byte for byte").to.equal(before);
        });
    });

    describe("with a mocked client", function () {
        const cognito = mockedCognito();
        beforeEach(() =>
            cognito.mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserAttributes: [{ Name: "sub", Value: outputs().sub }] }),
        );

        it("uses none of Cognito's text (which could quote the password), and a name no --path addresses gets the rename advice", async () => {
            cognito.mock.on(AdminSetUserPasswordCommand).rejects(
                new PasswordHistoryPolicyViolationException({
                    message: `recent: ${NEW_PASSWORD} / ${PASSWORD} quoted`,
                    $metadata: meta,
                }),
            );
            const err = await cognito.rejection(cognito.provider.update!(`${POOL}/alice`, outputs(), inputs({ password: NEW_PASSWORD })));
            expect(err.message).to.not.include("recent:").and.not.include("quoted").and.not.include("[secret]");

            const name = "back\\";
            const odd = await cognito.rejection(
                cognito.provider.update!(
                    `${POOL}/${name}`,
                    outputs({ username: name }),
                    inputs({ username: name, password: NEW_PASSWORD }),
                ),
            );
            expect(odd.message)
                .to.include("it is one of the user's recent passwords")
                .and.include("its name ends in a backslash, which `pulumi config --path` cannot address")
                .and.not.include("pulumi config set");
        });
    });
});
