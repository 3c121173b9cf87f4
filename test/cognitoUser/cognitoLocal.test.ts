import { AssertionError, expect } from "chai";
import * as net from "net";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    AdminListGroupsForUserCommand,
    AdminSetUserPasswordCommand,
    AdminUpdateUserAttributesCommand,
    CognitoIdentityProviderClient,
    CreateGroupCommand,
    InitiateAuthCommand,
    InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import {
    CognitoUserInputs,
    CognitoUserOutputs,
    CognitoUserProvider,
    createCognitoUserProvider,
} from "../../providers/cognitoUser/provider";
import { CognitoLocal, createPoolWithClient, startCognitoLocal } from "../../harness/cognitoLocal";
import { withEnv } from "../../harness/env";
import { startFaultProxy } from "../../harness/faultProxy";
import { dropSharedClients } from "../../providers/cognitoUser/client";
import { expectNoLeak } from "../../harness/leaks";
import { cognitoDefaultPasswordRules } from "../../providers/rules";
import { componentPasswordPolicy, userInputs } from "../../harness/users";

// Integration tests of the CognitoUser dynamic provider against the cognito-local emulator.
// The provider methods are called directly in the order the engine uses them: check, then
// create; on a change check, diff(id, olds = previous outputs, news) and update(id, previous
// outputs, news); refresh is read(id, previous outputs). Every test uses its own pool.

describe("CognitoUser provider against cognito-local", function () {
    this.timeout(20_000);

    let local: CognitoLocal | undefined;
    let restoreEnv: (() => void) | undefined;
    let provider: CognitoUserProvider;
    /** Every error a provider method threw in this suite (scanned for passwords at the end). */
    const thrown: unknown[] = [];
    /** Every check-failure reason the provider produced (scanned too). */
    const reasons: string[] = [];
    /** Every password handed to the provider in this suite. */
    const passwords = new Set<string>();
    let poolCounter = 0;

    before(async function () {
        this.timeout(40_000);
        local = await startCognitoLocal();
        restoreEnv = withEnv(local.env);
        provider = createCognitoUserProvider();
    });

    after(async function () {
        this.timeout(20_000);
        try {
            restoreEnv?.();
        } finally {
            await local?.stop();
        }
        if (local) expect(await portAcceptsConnections(local.port), "cognito-local still listening after stop()").to.equal(false);
    });

    // ---- helpers -------------------------------------------------------------------------

    function emulator(): CognitoLocal {
        if (!local) throw new Error("cognito-local did not start");
        return local;
    }

    async function newPool(): Promise<{ userPoolId: string; clientId: string }> {
        return createPoolWithClient(emulator(), `it-pool-${++poolCounter}`);
    }

    /** The shared user fixture for `username` in `userPoolId`, with the component's default policy; its password is recorded. */
    function inputs(userPoolId: string, username: string, overrides: Partial<CognitoUserInputs> = {}): CognitoUserInputs {
        const result = userInputs({
            userPoolId,
            username,
            password: "Initial-Passw0rd!",
            attributes: { email: `${username}@example.com`, email_verified: "true" },
            passwordPolicy: { ...componentPasswordPolicy },
            ...overrides,
        });
        passwords.add(result.password);
        return result;
    }

    /** Runs a provider call and records what it throws. */
    async function recorded<T>(call: () => Promise<T>): Promise<T> {
        try {
            return await call();
        } catch (err) {
            thrown.push(err);
            throw err;
        }
    }

    /**
     * Expects `call` to fail because a provider method threw (not because an assertion on the way
     * failed, e.g. a check failure in `create`), and returns that error.
     */
    async function failure(call: () => Promise<unknown>): Promise<Error> {
        const before = thrown.length;
        let result: unknown;
        try {
            result = await call();
        } catch (err) {
            if (err instanceof AssertionError) throw err;
            expect(err).to.be.instanceOf(Error);
            expect(thrown.slice(before), "the error was thrown by a provider method").to.include(err);
            return err as Error;
        }
        throw new Error(
            `expected the provider call to fail, it returned ${JSON.stringify(result, (k, v) => (k === "password" ? "[secret]" : v))}`,
        );
    }

    async function check(olds: Partial<CognitoUserInputs>, news: CognitoUserInputs) {
        const result = await recorded(() => provider.check!(olds as CognitoUserInputs, news));
        for (const f of result.failures ?? []) reasons.push(f.reason);
        return result;
    }

    /** check + create, as the engine does for a new resource. */
    async function create(news: CognitoUserInputs): Promise<{ id: string; outs: CognitoUserOutputs }> {
        const checked = await check({}, news);
        expect(checked.failures ?? [], "check failures").to.deep.equal([]);
        const result = await recorded(() => provider.create(checked.inputs as CognitoUserInputs));
        expect(result.outs, "create outputs").to.not.equal(undefined);
        return { id: result.id, outs: result.outs! };
    }

    /** check + diff + update, as the engine does for a changed resource; returns the new outputs. */
    async function update(id: string, olds: CognitoUserOutputs, news: CognitoUserInputs): Promise<CognitoUserOutputs> {
        const checked = await check(olds, news);
        expect(checked.failures ?? [], "check failures").to.deep.equal([]);
        const diff = await recorded(() => provider.diff!(id, olds, checked.inputs as CognitoUserInputs));
        expect(diff.changes, "diff.changes before update").to.equal(true);
        expect(diff.replaces ?? [], "diff.replaces before update").to.deep.equal([]);
        const result = await recorded(() => provider.update!(id, olds, checked.inputs as CognitoUserInputs));
        expect(result.outs, "update outputs").to.not.equal(undefined);
        return result.outs!;
    }

    async function read(id: string, props: CognitoUserOutputs) {
        return recorded(() => provider.read!(id, props));
    }

    async function getUser(userPoolId: string, username: string): Promise<AdminGetUserCommandOutput> {
        return emulator().client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    }

    function attributesOf(user: AdminGetUserCommandOutput): Record<string, string> {
        return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
    }

    async function groupsOf(userPoolId: string, username: string): Promise<string[]> {
        const page = await emulator().client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }));
        return (page.Groups ?? []).map((g) => g.GroupName!).sort();
    }

    async function signIn(clientId: string, username: string, password: string): Promise<InitiateAuthCommandOutput> {
        return emulator().client.send(
            new InitiateAuthCommand({
                ClientId: clientId,
                AuthFlow: "USER_PASSWORD_AUTH",
                AuthParameters: { USERNAME: username, PASSWORD: password },
            }),
        );
    }

    async function expectSignInWorks(clientId: string, username: string, password: string): Promise<void> {
        const auth = await signIn(clientId, username, password);
        expect(auth.ChallengeName, "sign-in challenge").to.equal(undefined);
        expect(auth.AuthenticationResult?.AccessToken, "access token").to.be.a("string").and.not.equal("");
    }

    /** Real Cognito answers a wrong password with NotAuthorizedException, cognito-local with InvalidPasswordException. */
    async function expectSignInRefused(clientId: string, username: string, password: string): Promise<void> {
        let auth: InitiateAuthCommandOutput | undefined;
        try {
            auth = await signIn(clientId, username, password);
        } catch (err) {
            expect((err as Error).name).to.be.oneOf(["InvalidPasswordException", "NotAuthorizedException"]);
            return;
        }
        expect.fail(
            `sign-in of ${username} succeeded (token: ${Boolean(auth?.AuthenticationResult?.AccessToken)}, challenge: ${auth?.ChallengeName})`,
        );
    }

    async function expectUserGone(userPoolId: string, username: string): Promise<void> {
        const err = await getUser(userPoolId, username).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err, `user ${username} still exists`).to.not.equal(undefined);
        expect(err!.name).to.equal("UserNotFoundException");
    }

    // ---- tests ---------------------------------------------------------------------------

    it("create makes a CONFIRMED user that signs in with the configured password", async () => {
        const { userPoolId, clientId } = await newPool();
        const news = inputs(userPoolId, "alice");
        const { id, outs } = await create(news);

        expect(id).to.equal(`${userPoolId}/alice`);
        const user = await getUser(userPoolId, "alice");
        expect(user.UserStatus).to.equal("CONFIRMED");
        expect(user.Enabled).to.equal(true);
        expect(attributesOf(user)).to.include({ email: "alice@example.com", email_verified: "true" });
        await expectSignInWorks(clientId, "alice", news.password);

        expect(outs).to.include({ status: "CONFIRMED", adopted: false, password: news.password, enabled: true });
        expect(outs.sub).to.equal(attributesOf(user).sub).and.not.equal("");
        // Nothing undefined in outputs (the host's Struct encoding would throw).
        for (const [key, value] of Object.entries(outs)) expect(value, `outs.${key}`).to.not.equal(undefined);

        // A refresh and a re-run with the same inputs show no change; a rename is a replacement.
        const refreshed = await read(id, outs);
        expect(refreshed.id).to.equal(id);
        const same = await provider.diff!(id, refreshed.props!, (await check(outs, news)).inputs as CognitoUserInputs);
        expect(same.changes).to.equal(false);
        const renamed = await provider.diff!(id, outs, { ...news, username: "alice2" });
        expect(renamed).to.include({ changes: true });
        expect(renamed.replaces).to.deep.equal(["username"]);
    });

    it("a password change via update: the new password signs in, the old one does not", async () => {
        const { userPoolId, clientId } = await newPool();
        const first = inputs(userPoolId, "bob", { password: "First-Passw0rd!" });
        const { id, outs } = await create(first);
        await expectSignInWorks(clientId, "bob", first.password);

        const second = inputs(userPoolId, "bob", { password: "Second-Passw0rd?" });
        const newOuts = await update(id, outs, second);
        expect(newOuts).to.include({ password: second.password, status: "CONFIRMED" });

        expect((await getUser(userPoolId, "bob")).UserStatus).to.equal("CONFIRMED");
        await expectSignInWorks(clientId, "bob", second.password);
        await expectSignInRefused(clientId, "bob", first.password);
    });

    it("attribute change and removal are applied; read reports managed attributes only", async () => {
        const { userPoolId } = await newPool();
        const first = inputs(userPoolId, "carol", {
            attributes: { email: "carol@example.com", email_verified: "true", name: "Carol" },
        });
        const { id, outs } = await create(first);
        expect(attributesOf(await getUser(userPoolId, "carol"))).to.include({ name: "Carol", email: "carol@example.com" });

        const second = inputs(userPoolId, "carol", { attributes: { email: "carol.new@example.com", email_verified: "true" } });
        const newOuts = await update(id, outs, second);
        expect(newOuts.attributes).to.deep.equal(second.attributes);

        const after = attributesOf(await getUser(userPoolId, "carol"));
        expect(after.email).to.equal("carol.new@example.com");
        // Changing email resets email_verified unless the same call sets it again.
        expect(after.email_verified).to.equal("true");
        expect(after).to.not.have.property("name");

        // An attribute set outside Pulumi that the user does not manage stays out of read();
        // a managed attribute changed outside shows as drift.
        await emulator().client.send(
            new AdminUpdateUserAttributesCommand({
                UserPoolId: userPoolId,
                Username: "carol",
                UserAttributes: [{ Name: "given_name", Value: "Caz" }],
            }),
        );
        const refreshed = await read(id, newOuts);
        expect(refreshed.props!.attributes).to.deep.equal({ email: "carol.new@example.com", email_verified: "true" });

        await emulator().client.send(
            new AdminUpdateUserAttributesCommand({
                UserPoolId: userPoolId,
                Username: "carol",
                UserAttributes: [
                    { Name: "email", Value: "hijacked@example.com" },
                    { Name: "email_verified", Value: "true" },
                ],
            }),
        );
        const drifted = await read(id, newOuts);
        expect(drifted.props!.attributes.email).to.equal("hijacked@example.com");
        const diff = await provider.diff!(id, drifted.props!, second);
        expect(diff.changes).to.equal(true);
        await update(id, drifted.props!, second);
        expect(attributesOf(await getUser(userPoolId, "carol"))).to.include({
            email: "carol.new@example.com",
            email_verified: "true",
            given_name: "Caz",
        });
    });

    it("disable and enable are applied in place, also after a disable outside Pulumi", async () => {
        const { userPoolId, clientId } = await newPool();
        const news = inputs(userPoolId, "dave");
        const { id, outs } = await create(news);

        const disabledOuts = await update(id, outs, { ...news, enabled: false });
        expect(disabledOuts.enabled).to.equal(false);
        // Cognito refuses sign-in ("User is disabled.") to a user whose Enabled flag is false, and
        // that flag is what the provider sets. cognito-local 5.x does not enforce it (its
        // InitiateAuth never reads Enabled), so the proof here is the user's state: disabled, and
        // otherwise untouched (still CONFIRMED, same sub, same attributes).
        const disabled = await getUser(userPoolId, "dave");
        expect({ enabled: disabled.Enabled, status: disabled.UserStatus }).to.deep.equal({ enabled: false, status: "CONFIRMED" });
        expect(attributesOf(disabled)).to.deep.equal({ ...news.attributes, sub: outs.sub });
        expect((await read(id, disabledOuts)).props!).to.include({ enabled: false, status: "CONFIRMED" });

        const enabledOuts = await update(id, disabledOuts, news);
        expect(enabledOuts.enabled).to.equal(true);
        expect((await getUser(userPoolId, "dave")).Enabled).to.equal(true);
        await expectSignInWorks(clientId, "dave", news.password);

        // Disabled outside Pulumi: refresh shows it, diff sees it, update re-enables.
        await emulator().client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "dave" }));
        const drifted = await read(id, enabledOuts);
        expect(drifted.props!.enabled).to.equal(false);
        await update(id, drifted.props!, news);
        expect((await getUser(userPoolId, "dave")).Enabled).to.equal(true);
    });

    it("groups are joined and left", async () => {
        const { userPoolId } = await newPool();
        for (const GroupName of ["admins", "editors", "viewers"]) {
            await emulator().client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName }));
        }
        const first = inputs(userPoolId, "erin", { groups: ["editors", "admins"] });
        const { id, outs } = await create(first);
        expect(await groupsOf(userPoolId, "erin")).to.deep.equal(["admins", "editors"]);
        expect(outs.groups).to.deep.equal(["admins", "editors"]);

        const second = inputs(userPoolId, "erin", { groups: ["viewers", "editors"] });
        const newOuts = await update(id, outs, second);
        expect(await groupsOf(userPoolId, "erin")).to.deep.equal(["editors", "viewers"]);
        expect(newOuts.groups).to.deep.equal(["editors", "viewers"]);
        expect((await read(id, newOuts)).props!.groups).to.deep.equal(["editors", "viewers"]);
    });

    it("a user deleted outside Pulumi reads as gone", async () => {
        const { userPoolId } = await newPool();
        const { id, outs } = await create(inputs(userPoolId, "frank"));
        expect((await read(id, outs)).id).to.equal(id);

        await emulator().client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "frank" }));
        const gone = await read(id, outs);
        expect(gone.id).to.equal("");
        expect(gone.props).to.equal(undefined);
        // Read with only the id (as after an import of the id) also works.
        expect((await read(id, undefined as unknown as CognitoUserOutputs)).id).to.equal("");
    });

    it("status drift (admin reset to a temporary password) is repaired by update", async () => {
        const { userPoolId, clientId } = await newPool();
        const news = inputs(userPoolId, "grace");
        const { id, outs } = await create(news);

        const temporary = "Temp-Passw0rd!x";
        await emulator().client.send(
            new AdminSetUserPasswordCommand({
                UserPoolId: userPoolId,
                Username: "grace",
                Password: temporary,
                Permanent: false,
            }),
        );
        expect((await getUser(userPoolId, "grace")).UserStatus).to.equal("FORCE_CHANGE_PASSWORD");

        const refreshed = await read(id, outs);
        expect(refreshed.props!.status).to.equal("FORCE_CHANGE_PASSWORD");
        const checked = await check(refreshed.props!, news);
        const diff = await provider.diff!(id, refreshed.props!, checked.inputs as CognitoUserInputs);
        expect(diff.changes).to.equal(true);
        expect(diff.replaces ?? []).to.deep.equal([]);

        const repaired = await update(id, refreshed.props!, news);
        expect(repaired.status).to.equal("CONFIRMED");
        expect((await getUser(userPoolId, "grace")).UserStatus).to.equal("CONFIRMED");
        await expectSignInWorks(clientId, "grace", news.password);
        await expectSignInRefused(clientId, "grace", temporary);
        expect((await read(id, repaired)).props!.status).to.equal("CONFIRMED");
    });

    it("delete removes the user; deleting again is not an error", async () => {
        const { userPoolId } = await newPool();
        const { id, outs } = await create(inputs(userPoolId, "heidi"));
        await recorded(() => provider.delete!(id, outs));
        await expectUserGone(userPoolId, "heidi");
        expect((await read(id, outs)).id).to.equal("");
        await recorded(() => provider.delete!(id, outs));
    });

    it("an existing user is adopted only when asked", async () => {
        const { userPoolId, clientId } = await newPool();
        await emulator().client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "staff" }));
        await emulator().client.send(
            new AdminCreateUserCommand({
                UserPoolId: userPoolId,
                Username: "ivan",
                MessageAction: "SUPPRESS",
                TemporaryPassword: "Hand-Made-Temp1!",
                UserAttributes: [
                    { Name: "email", Value: "ivan.old@example.com" },
                    { Name: "nickname", Value: "iv" },
                ],
            }),
        );
        const before = await getUser(userPoolId, "ivan");
        const news = inputs(userPoolId, "ivan", { groups: ["staff"] });

        const refused = await failure(() => create(news));
        expect(refused.message).to.contain("adoptExistingUsers");
        expect(refused.message).to.contain("ivan");
        const untouched = await getUser(userPoolId, "ivan");
        expect(untouched.UserStatus).to.equal(before.UserStatus).and.equal("FORCE_CHANGE_PASSWORD");
        expect(untouched.Enabled).to.equal(before.Enabled);
        expect(attributesOf(untouched)).to.deep.equal(attributesOf(before));
        expect(untouched.UserLastModifiedDate?.getTime()).to.equal(before.UserLastModifiedDate?.getTime());
        expect(await groupsOf(userPoolId, "ivan")).to.deep.equal([]);

        const adopting = inputs(userPoolId, "ivan", { groups: ["staff"], adoptExisting: true });
        const { id, outs } = await create(adopting);
        expect(id).to.equal(`${userPoolId}/ivan`);
        expect(outs).to.include({ adopted: true, status: "CONFIRMED" });
        expect(outs.sub).to.equal(attributesOf(before).sub);
        const adopted = await getUser(userPoolId, "ivan");
        expect(adopted.UserStatus).to.equal("CONFIRMED");
        // Managed attributes converge; an attribute the stack does not manage is left alone.
        expect(attributesOf(adopted)).to.include({ email: "ivan@example.com", email_verified: "true", nickname: "iv" });
        expect(await groupsOf(userPoolId, "ivan")).to.deep.equal(["staff"]);
        await expectSignInWorks(clientId, "ivan", adopting.password);
        expect((await read(id, outs)).props!.adopted).to.equal(true);
    });

    it("check rejects a password that violates the given policy (cognito-local would accept it)", async () => {
        const { userPoolId } = await newPool();
        const policy = { ...cognitoDefaultPasswordRules, minimumLength: 16 };
        const weak = "Short-Pass1";
        const noSymbol = "LongEnoughPassword123";
        for (const password of [weak, noSymbol]) {
            const result = await check({}, inputs(userPoolId, "judy", { password, passwordPolicy: policy }));
            const failures = result.failures ?? [];
            expect(failures, `check of a policy-violating password`).to.have.length.greaterThan(0);
            for (const f of failures) {
                expect(f.property).to.equal("password");
                expect(f.reason).to.contain("judy");
                expect(f.reason).to.not.contain(password);
            }
            expect(failures.map((f) => f.reason).join("\n")).to.match(password === weak ? /at least 16 characters/ : /symbol/);
        }
        const good = await check({}, inputs(userPoolId, "judy", { password: "Long-Enough-Passw0rd", passwordPolicy: policy }));
        expect(good.failures ?? []).to.deep.equal([]);
        // Check alone decides (cognito-local does not enforce pool password policies; DESIGN.md 5):
        // nothing was sent to the emulator, so judy does not exist.
        await expectUserGone(userPoolId, "judy");
    });

    it("no error or check failure of this suite (these failures and the earlier tests' ones) contains a password, as it is, JSON-escaped or URL-encoded", async () => {
        // Provoke a few more failures on top of those collected by the tests above.
        const { userPoolId } = await newPool();
        await emulator().client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "real" }));

        // Create that fails after AdminCreateUser (unknown group): rolled back, nothing half-made.
        const halfMade = inputs(userPoolId, "mallory", { password: "Mallory-Secret-9!", groups: ["no-such-group"] });
        const rolledBack = await failure(() => create(halfMade));
        expect(rolledBack.message).to.contain("mallory").and.contain("deleted again");
        await expectUserGone(userPoolId, "mallory");

        // Create in a pool that does not exist.
        const noPoolErr = await failure(() => create(inputs("us-east-1_doesnotexist", "nobody", { password: "Nobody-Secret-9!" })));
        expect(noPoolErr.message).to.contain("nobody");

        // Update that fails (unknown group) after its password went through: partial state, recorded.
        const { id, outs } = await create(inputs(userPoolId, "oscar", { password: "Oscar-Secret-9!", groups: ["real"] }));
        const updateErr = await failure(() =>
            update(id, outs, inputs(userPoolId, "oscar", { password: "Oscar-Rotated-9!", groups: ["real", "missing"] })),
        );
        expect(updateErr.message).to.contain("oscar").and.contain("was updated only in part");
        expect((updateErr as Error & { properties?: { groups: string[] } }).properties?.groups).to.deep.equal(["real"]);

        // Refused adoption.
        await emulator().client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "peggy", MessageAction: "SUPPRESS" }));
        await failure(() => create(inputs(userPoolId, "peggy", { password: "Peggy-Secret-9!" })));

        // A failing check names the rule, never the password.
        await check({}, inputs(userPoolId, "trent", { password: "trent-secret" }));

        // Neither cognito-local nor Cognito's usual answers quote a password back, so the errors
        // above cannot show that redaction works. Here a proxy answers the password step with the
        // request quoted: its JSON body (the password JSON-escaped) and its values as they are.
        const echoed = `Echo"Quoted\\Secret-9!`; // a quote and a backslash: the JSON-escaped form differs
        const rotated = `Rot"ated\\Secret-9!`;
        const { id: walterId, outs: walterOuts } = await create(inputs(userPoolId, "walter", { password: "Walter-Secret-9!" }));
        const proxy = await startFaultProxy({ upstreamPort: emulator().port, echoOperations: ["AdminSetUserPassword"] });
        const restore = withEnv({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.endpoint });
        try {
            // Control: the proxy really quotes the password, in both forms.
            const direct = new CognitoIdentityProviderClient({
                endpoint: proxy.endpoint,
                region: "us-east-1",
                credentials: { accessKeyId: "local", secretAccessKey: "local" },
            });
            const quoted = await direct
                .send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "walter", Password: echoed, Permanent: true }))
                .then(
                    () => undefined,
                    (e: Error) => e,
                );
            direct.destroy();
            expect(quoted?.name).to.equal("InvalidPasswordException");
            expect(quoted!.message).to.include(echoed).and.include(JSON.stringify(echoed).slice(1, -1));

            // create: the password step fails with the echo; the user is removed again, the password cut out.
            const createErr = await failure(() => create(inputs(userPoolId, "victor", { password: echoed })));
            expect(createErr.message)
                .to.contain('"victor"')
                .and.contain("deleted again")
                .and.contain("InvalidPasswordException")
                .and.contain("Request rejected:")
                .and.contain("[secret]");
            await expectUserGone(userPoolId, "victor");

            // update: a rotation whose password step fails with the echo.
            const updateErr = await failure(() => update(walterId, walterOuts, inputs(userPoolId, "walter", { password: rotated })));
            expect(updateErr.message)
                .to.contain('"walter"')
                .and.contain("could not be updated")
                .and.contain("Request rejected:")
                .and.contain("[secret]");
            expect(proxy.counts.echoed, "answers that quoted the request").to.equal(3);
        } finally {
            restore();
            dropSharedClients(proxy.endpoint);
            await proxy.close();
        }

        expect(thrown.length, "errors collected").to.be.at.least(6);
        expect(reasons.length, "check failures collected").to.be.at.least(1);
        const texts = [
            ...thrown.map((err) => `${(err as Error)?.message ?? ""}\n${(err as Error)?.stack ?? ""}\n${String(err)}`),
            ...reasons,
        ];
        texts.forEach((text, i) => expectNoLeak(text, passwords, `collected message #${i + 1}`, { encoded: true }));
        // And no output other than `password` holds it.
        const { password, ...rest } = outs;
        expectNoLeak(JSON.stringify(rest), [password], "oscar's outputs other than password");
    });
});

/** True if something accepts TCP connections on 127.0.0.1:port. */
function portAcceptsConnections(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host: "127.0.0.1", port });
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}
