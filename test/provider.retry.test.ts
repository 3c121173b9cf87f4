// The user provider with the real AWS SDK (its adaptive retry strategy included) against a
// scripted fake of Cognito (harness/fakeCognito.ts): throttling, 5xx, lost responses and
// dropped connections, and what create does when a username is taken while that happens.

import { expect } from "chai";
import { createCognitoUserProvider } from "../providers/cognitoUser/provider";
import { dropSharedClients } from "../providers/cognitoUser/client";
import { FakeCognito, Fault, startFakeCognito } from "../harness/fakeCognito";
import { withEnv } from "../harness/cognitoLocal";
import { expectNoLeak } from "../harness/leaks";
import { testPassword as PASSWORD, userInputs as inputs } from "../harness/users";

async function rejection(promise: Promise<unknown>): Promise<Error> {
    const err = await promise.then(
        () => undefined,
        (e: Error) => e,
    );
    expect(err, "expected the call to fail").to.be.instanceOf(Error);
    expectNoLeak(`${err!.message}\n${err!.stack}`, [PASSWORD], "the error");
    return err!;
}

describe("user provider: retries and lost responses (real SDK, scripted fake Cognito)", function () {
    this.timeout(60_000);
    let fake: FakeCognito;
    let restoreEnv: () => void;

    beforeEach(async () => {
        fake = await startFakeCognito();
        restoreEnv = withEnv({
            AWS_REGION: "eu-west-1",
            AWS_ACCESS_KEY_ID: "AKIDRETRYTESTDUMMY",
            AWS_SECRET_ACCESS_KEY: "retry-test-dummy",
            AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: fake.endpoint,
        });
    });

    afterEach(async () => {
        restoreEnv();
        dropSharedClients(fake.endpoint);
        await fake.close();
    });

    /** Faults for the first `n` requests of `action`. */
    const first = (action: string, n: number, fault: Fault) => (a: string, _body: unknown, count: number) =>
        a === action && count < n ? fault : undefined;

    it("retries TooManyRequestsException until the create succeeds", async () => {
        fake.faultFor = first("AdminCreateUser", 2, "throttle");
        const result = await createCognitoUserProvider().create!(inputs());

        expect(result.outs!.status).to.equal("CONFIRMED");
        expect(fake.actions()).to.deep.equal([
            "AdminGetUser",
            "AdminCreateUser",
            "AdminCreateUser",
            "AdminCreateUser",
            "AdminSetUserPassword",
        ]);
        expect(fake.users.get("alice")).to.include({ UserStatus: "CONFIRMED", Password: PASSWORD });
        expect(result.outs!.sub).to.equal(fake.users.get("alice")!.Attributes.sub);
    });

    it("retries a throttled AdminSetUserPassword instead of rolling back", async () => {
        fake.faultFor = first("AdminSetUserPassword", 1, "throttle");
        const result = await createCognitoUserProvider().create!(inputs());
        expect(result.outs!.status).to.equal("CONFIRMED");
        expect(fake.actions()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminSetUserPassword", "AdminSetUserPassword"]);
        expect(fake.users.get("alice")!.UserStatus).to.equal("CONFIRMED");
    });

    it("retries a 503 and a dropped connection until the create succeeds", async () => {
        fake.faultFor = (action, _body, count) => (action === "AdminCreateUser" ? ([`503`, "drop"] as Fault[])[count] : undefined);
        const result = await createCognitoUserProvider().create!(inputs());
        expect(result.outs!.status).to.equal("CONFIRMED");
        expect(fake.actions()).to.deep.equal([
            "AdminGetUser",
            "AdminCreateUser",
            "AdminCreateUser",
            "AdminCreateUser",
            "AdminSetUserPassword",
        ]);
    });

    it("completes its own create when the SDK's retry meets the user its lost first attempt made", async () => {
        fake.faultFor = first("AdminCreateUser", 1, "lose-response");
        const result = await createCognitoUserProvider().create!(inputs());

        expect(fake.actions()).to.deep.equal([
            "AdminGetUser",
            "AdminCreateUser",
            "AdminCreateUser",
            "AdminGetUser",
            "AdminSetUserPassword",
        ]);
        expect(result.outs).to.include({ status: "CONFIRMED", adopted: false, sub: fake.users.get("alice")!.Attributes.sub });
        expect(fake.users.get("alice")).to.include({ UserStatus: "CONFIRMED", Password: PASSWORD });
    });

    it("deletes its own lost-response user again when the password step then fails", async () => {
        fake.faultFor = (action, _body, count) =>
            action === "AdminCreateUser" && count === 0 ? "lose-response" : action === "AdminSetUserPassword" ? "reject" : undefined;
        const err = await rejection(createCognitoUserProvider().create!(inputs()));
        expect(err.message).to.match(/deleted again/);
        expect(fake.users.has("alice")).to.equal(false);
    });

    // A user made by hand moments before, adoption off, and our calls are throttled / answered
    // with a 5xx / lose their connection or their answer, so the SDK retries: the user must never
    // be modified or deleted, whatever happens to our password step.
    const faults = ["throttle", "503", "drop", "lose-response"] as const;
    const handMadeAttributes = { sub: "hand-made", email: "alice@example.com", email_verified: "true" };
    const expectUntouched = (err: Error, snapshot: string) => {
        expect(err.message).to.include("already exists").and.include("left untouched");
        expect(JSON.stringify(fake.users.get("alice"))).to.equal(snapshot);
        // AdminCreateUser of a taken name fails without effect (the snapshot shows it); nothing else may write.
        const writes = fake.actions().filter((a) => !["AdminGetUser", "AdminListGroupsForUser", "AdminCreateUser"].includes(a));
        expect(writes, "no call that changes a user").to.deep.equal([]);
    };
    for (const fault of faults) {
        for (const passwordStep of ["succeeds", "fails"] as const) {
            it(`never touches a user made just before the create: look-up ${fault}, password step ${passwordStep}`, async () => {
                const snapshot = JSON.stringify(fake.addUser("alice", { Attributes: { ...handMadeAttributes } }));
                fake.faultFor = (action, _body, count) =>
                    action === "AdminGetUser" && count === 0
                        ? fault
                        : action === "AdminSetUserPassword" && passwordStep === "fails"
                          ? "reject"
                          : undefined;
                const err = await rejection(createCognitoUserProvider().create!(inputs()));
                expectUntouched(err, snapshot);
                expect(fake.requests[0]).to.include({ action: "AdminGetUser", fault });
            });

            it(`never touches a user made (with other attributes) during the create: create ${fault}, password step ${passwordStep}`, async () => {
                let snapshot = "";
                fake.faultFor = (action, _body, count) => {
                    if (action === "AdminCreateUser" && count === 0) {
                        snapshot = JSON.stringify(
                            fake.addUser("alice", { Attributes: { ...handMadeAttributes, email: "someone@example.com" } }),
                        );
                        return fault;
                    }
                    return action === "AdminSetUserPassword" && passwordStep === "fails" ? "reject" : undefined;
                };
                const err = await rejection(createCognitoUserProvider().create!(inputs()));
                expectUntouched(err, snapshot);
                expect(fake.actions().filter((a) => a === "AdminCreateUser").length, "the SDK retried the create").to.be.greaterThan(1);
            });
        }
    }

    it("a user made by someone else during our create call (sent once) is left alone, even with our attributes", async () => {
        // The look-up finds nothing; the other party's user lands just before our AdminCreateUser.
        fake.faultFor = (action, body, count) => {
            if (action === "AdminCreateUser" && count === 0) fake.addUser(body.Username, { Attributes: { ...handMadeAttributes } });
            return undefined;
        };
        const err = await rejection(createCognitoUserProvider().create!(inputs()));
        expect(err.message).to.include("already exists");
        expect(fake.users.get("alice")).to.include({ UserStatus: "FORCE_CHANGE_PASSWORD" });
        expect(fake.users.get("alice")!.Password).to.equal(undefined);
        expect(fake.actions()).to.deep.equal(["AdminGetUser", "AdminCreateUser", "AdminGetUser"]);
    });

    it("the window that remains: a user with exactly our attributes, made while the SDK retried our create, is taken as ours", async () => {
        // Indistinguishable from our own lost response: created after our look-up, FORCE_CHANGE_PASSWORD,
        // enabled, the same attributes, and our create was sent more than once. The README names this window.
        fake.faultFor = (action, body, count) => {
            if (action === "AdminCreateUser" && count === 0) {
                fake.addUser(body.Username, { Attributes: { ...handMadeAttributes } });
                return "throttle";
            }
            return undefined;
        };
        const result = await createCognitoUserProvider().create!(inputs());
        expect(result.outs).to.include({ adopted: false, sub: "hand-made" });
    });

    it("adopts a hand-made user only with adoptExisting, and never deletes it when the password step fails", async () => {
        fake.addUser("alice", { UserStatus: "CONFIRMED", Attributes: { sub: "hand-made", email: "old@example.com" } });
        fake.faultFor = (action) => (action === "AdminSetUserPassword" ? "reject" : undefined);
        const err = await rejection(createCognitoUserProvider().create!(inputs({ adoptExisting: true })));
        expect(err.message).to.include("could not be adopted");
        expect(fake.users.get("alice")!.Attributes.sub).to.equal("hand-made");

        fake.faultFor = () => undefined;
        const result = await createCognitoUserProvider().create!(inputs({ adoptExisting: true }));
        expect(result.outs).to.include({ adopted: true, sub: "hand-made", status: "CONFIRMED" });
        expect(fake.users.get("alice")!.Attributes.email).to.equal("alice@example.com");
    });

    // With one shared retry strategy, the SDK's retry quota (500 tokens per strategy, 5 per
    // throttled retry, 10-14 per 5xx/timeout retry, refunded only on success) is drained by a
    // burst of concurrent throttling, after which errors surface after a single attempt. The
    // provider gives each operation its own strategy (sharing the rate limiter).
    // Slow by nature: the SDK's adaptive limiter lowers the send rate by 30% for every throttled
    // response (150 here, one per user), down to 0.5 calls/s, and climbs back only as fast as the
    // calls it lets through. 45 s on an idle 2-core machine; the timeout is for a loaded CI host.
    it("converges when many users are created at once and each is throttled once", async function () {
        this.timeout(240_000);
        const throttled = new Set<string>();
        fake.faultFor = (action, body) => {
            if (action !== "AdminCreateUser" || throttled.has(body.Username)) return undefined;
            throttled.add(body.Username);
            return "throttle";
        };
        const provider = createCognitoUserProvider();
        const results = await Promise.allSettled(
            Array.from({ length: 150 }, (_, i) => provider.create!(inputs({ username: `user-${i}` }))),
        );
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => String(r.reason?.message));
        for (const message of failed) expect(message).to.not.include(PASSWORD);
        expect(failed.length, `${failed.length} of 150 creates failed, e.g. ${failed[0]}`).to.equal(0);
        expect(throttled.size).to.equal(150);
        expect([...fake.users.values()].filter((u) => u.UserStatus === "CONFIRMED")).to.have.length(150);
    });
});
