import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    AdminListGroupsForUserCommand,
    AdminSetUserPasswordCommand,
    CreateGroupCommand,
    DeleteUserPoolCommand,
    ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as grpc from "@grpc/grpc-js";
import { CognitoLocal, createPoolWithClient, signIn as signInAs, startCognitoLocal } from "../../harness/cognitoLocal";
import { startFaultProxy } from "../../harness/faultProxy";
import { expectNoLeak } from "../../harness/leaks";
import { unknownValue, userType } from "../../harness/users";
import { HostError, ProviderHost, Props, userUrn, withHost } from "../../harness/providerHost";
import { ProgramRun, isSecretValue, plain, runProgram } from "../../harness/program";
import loader = require("@cognito-auth/user-provider-loader");
import { serializeProvider } from "../../lib/pulumiInternals";

// The engine's own path for the CognitoUser dynamic resource: the `__provider` text and the
// inputs that index.ts really produces (evaluated under mocks), sent to the SDK's
// dynamic-provider host over gRPC exactly as `pulumi up` / `preview` / `refresh` / `destroy`
// would, against cognito-local. Passwords are random per run and never compared with
// `equal` (mocha would print them in a diff); every failure is redacted before mocha sees it.

const region = "us-east-1";

/** Every password this file uses, so that any text can be checked for (and redacted of) all of them. */
const passwords: string[] = [];
function newPassword(tag: string): string {
    const password = `Tp${tag}-${crypto.randomBytes(6).toString("hex")}-Zq9!`;
    passwords.push(password);
    return password;
}
const pw = { alice: newPassword("Alice"), bob: newPassword("Bob") };

function redact(text: string): string {
    return passwords.reduce((result, password) => result.split(password).join("[test-password]"), text);
}
function expectNoPassword(text: string, what: string): void {
    expectNoLeak(text, passwords, what);
}

/** Wraps a test body so that whatever it throws reaches mocha without any password in it. */
function guarded(fn: () => Promise<void>): () => Promise<void> {
    return async () => {
        try {
            await fn();
        } catch (err: any) {
            const extra =
                err && ("actual" in err || "expected" in err)
                    ? `\n  actual: ${safeJson(err.actual)}\n  expected: ${safeJson(err.expected)}`
                    : "";
            const clean = new Error(redact(`${err?.message ?? String(err)}${extra}`));
            clean.name = err?.name ?? "Error";
            clean.stack = `${clean.name}: ${clean.message}\n${redact(String(err?.stack ?? ""))
                .split("\n")
                .slice(1)
                .join("\n")}`;
            throw clean;
        }
    };
}
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(what)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
function safeJson(value: unknown): string {
    try {
        return JSON.stringify(value)?.slice(0, 2000) ?? String(value);
    } catch {
        return String(value);
    }
}

/** Everything the engine would see of a failed gRPC call, as one text. */
function errorText(err: HostError): string {
    const metadata = err.metadata
        ? Object.entries(err.metadata.getMap()).map(
              ([key, value]) => `${key}=${Buffer.isBuffer(value) ? value.toString("latin1") : String(value)}`,
          )
        : [];
    return [err.message, err.details ?? "", err.stack ?? "", ...metadata].join("\n");
}
/**
 * Expects a host call to fail as the engine sees a provider error: a gRPC status UNKNOWN with the
 * provider's message in its details. Anything else (a failed assertion, a host that is not
 * reachable, a timeout) is not the expected failure and is rethrown.
 */
async function expectHostError(call: Promise<unknown>, what: string): Promise<HostError> {
    try {
        await call;
    } catch (err) {
        const hostError = err as HostError;
        if (hostError?.code !== grpc.status.UNKNOWN || typeof hostError.details !== "string") {
            throw new Error(
                `${what} failed, but not with a provider error (gRPC status ${hostError?.code}): ${hostError?.name}: ${hostError?.message}`,
            );
        }
        return hostError;
    }
    throw new Error(`${what} should have failed`);
}

/** Converts a recorded mock input to what the engine puts on the wire: secrets plain, unknowns as the sentinel. */
function toWire(value: any): any {
    value = plain(value);
    if (Array.isArray(value)) return value.map(toWire);
    if (value && typeof value === "object") {
        if ((value as any).__pulumiUnknown === true) return unknownValue;
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWire(item)]));
    }
    return value;
}

function userResource(run: ProgramRun, username: string) {
    const found = run.byType(userType).filter((r) => plain(r.inputs.username) === username);
    expect(found.length, `one user resource for ${username}`).to.equal(1);
    return found[0];
}

describe("CognitoUser through the engine's dynamic-provider host (cognito-local)", function () {
    this.timeout(60_000);

    const config = {
        users: {
            alice: { email: "alice@example.com", groups: ["admins", "ops"] },
            bob: { email: "bob@example.com", attributes: { name: "Bob B" } },
        },
        passwords: pw,
    };
    let local: CognitoLocal;
    let run: ProgramRun;
    let adoptRun: ProgramRun;
    let previewRun: ProgramRun;
    let programs: Promise<void>;
    const hosts: ProviderHost[] = [];

    before(async () => {
        local = await startCognitoLocal();
        // Evaluated once, awaited by each test: a provider that cannot be serialized makes the
        // mocked program hang, so give up after a while and let every test report it.
        programs = withTimeout(
            (async () => {
                run = await runProgram(config);
                adoptRun = await runProgram({ ...config, adoptExistingUsers: true });
                previewRun = await runProgram(config, { preview: true, unknownComputed: true });
            })(),
            15_000,
            "evaluating index.ts under mocks did not finish (is the provider serializable?)",
        );
        programs.catch(() => undefined);
    });
    after(async () => {
        await local?.stop();
    });
    afterEach(() => {
        // Whatever the host printed (the engine shows it to the user) must never hold a password.
        for (const host of hosts.splice(0)) expectNoPassword(host.stderr, "host stderr");
    });

    /** Runs `fn` with a host pointed at cognito-local (or `env`), Configure'd like the engine does first. */
    function host<T>(fn: (h: ProviderHost) => Promise<T>, env: Record<string, string> = local.env): Promise<T> {
        return withHost(env, async (h) => {
            hosts.push(h);
            await h.configure({ "aws:region": region });
            return fn(h);
        });
    }

    /** A fresh pool (with the groups the component would create) and the program's inputs pointed at it. */
    async function freshPool() {
        await programs;
        const { userPoolId, clientId } = await createPoolWithClient(local, `pool-${crypto.randomBytes(3).toString("hex")}`);
        for (const group of run.byType("aws:cognito/userGroup:UserGroup")) {
            await local.client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: plain(group.inputs.name) }));
        }
        return { userPoolId, clientId, ...programInputs(userPoolId, run) };
    }

    /** The inputs a program run gave each user, pointed at `userPoolId`, and their URNs. */
    function programInputs(userPoolId: string, from: ProgramRun) {
        return {
            inputsOf: (username: string): Props => ({ ...toWire(userResource(from, username).inputs), userPoolId }),
            urnOf: (username: string) => userResource(from, username).urn ?? userUrn(userResource(from, username).name),
        };
    }

    /** True when the user signs in, false when the password is refused; throws for anything else, a missing user included. */
    function signIn(clientId: string, username: string, password: string): Promise<boolean> {
        return signInAs(local, clientId, username, password);
    }

    function getUser(userPoolId: string, username: string): Promise<AdminGetUserCommandOutput> {
        return local.client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    }
    async function userExists(userPoolId: string, username: string): Promise<boolean> {
        try {
            await getUser(userPoolId, username);
            return true;
        } catch (err: any) {
            if (err?.name === "UserNotFoundException") return false;
            throw err;
        }
    }
    async function groupsOf(userPoolId: string, username: string): Promise<string[]> {
        const result = await local.client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }));
        return (result.Groups ?? []).map((g) => g.GroupName!).sort();
    }
    function attributesOf(user: AdminGetUserCommandOutput): Record<string, string> {
        return Object.fromEntries((user.UserAttributes ?? []).filter((a) => a.Name !== "sub").map((a) => [a.Name!, a.Value!]));
    }

    /** Outputs as the engine stores them: only `password` may hold the password, and it must hold the right one. */
    function expectOutputs(props: Props, password: string, what: string): void {
        expect(props.password === password, `${what}: outputs keep the current password under "password"`).to.equal(true);
        for (const [key, value] of Object.entries(props)) {
            if (key !== "password") expectNoPassword(JSON.stringify(value), `${what}: output "${key}"`);
        }
        expect(Object.keys(props), `${what}: output keys`).to.include.members([
            "userPoolId",
            "username",
            "attributes",
            "enabled",
            "groups",
            "sub",
            "status",
            "adopted",
            "stateVersion",
            "__provider",
        ]);
    }

    /** Check(olds, news) as the engine does before create and update; fails the test on check failures. */
    async function check(h: ProviderHost, urn: string, olds: Props, news: Props): Promise<Props> {
        const result = await h.check(urn, olds, news);
        for (const failure of result.failures) expectNoPassword(failure.reason, "check failure");
        expect(
            result.failures.map((f) => `${f.property}: ${f.reason}`),
            "check failures",
        ).to.deep.equal([]);
        return result.inputs;
    }

    it(
        "serializes the provider small, without secrets, passwords or SDK client state",
        guarded(async () => {
            // The same serialization dynamic.Resource performs, on the provider object every user shares.
            const serialized = await serializeProvider(loader);
            expect(serialized.containsSecrets, "serializeFunction(() => provider).containsSecrets").to.equal(false);
            expect(serialized.text, "stored as a require of the installed loader package, not as code")
                .to.include('require("@cognito-auth/user-provider-loader/index.js")')
                .and.not.include("AdminCreateUser");

            // The text the program really stores in every user's state.
            await programs;
            const texts = run.byType(userType).map((r) => r.inputs.__provider);
            expect(texts.length).to.equal(2);
            for (const value of texts) expect(isSecretValue(value), "__provider is not flagged as capturing secrets").to.equal(false);
            const text: string = plain(texts[0]);
            expect(typeof text).to.equal("string");
            expect(plain(texts[1]) === text, "all users share one provider text").to.equal(true);
            expectNoPassword(text, "__provider");
            for (const clientState of [
                "credentialDefaultProvider",
                "CognitoIdentityProviderClient {",
                "middlewareStack",
                "secretAccessKey",
                "accessKeyId",
            ]) {
                expect(text.includes(clientState), `__provider must not contain SDK client state ("${clientState}")`).to.equal(false);
            }
            const bytes = Buffer.byteLength(text);
            console.log(`      __provider: ${bytes} bytes`);
            // docs/design.md and docs/benchmarks.md quote 283 bytes (the loader's require, as SDK 3.248 writes it).
            expect(bytes, "__provider bytes").to.be.within(270, 300);
        }),
    );

    // The lifecycle of the program's two users as successive engine runs see it. An ordered
    // fixture: one pool and one host for the whole block, each test one step that starts from the
    // state the step before left (alice's outputs and inputs below). After a failed step the rest
    // are skipped, since their starting state is unknown.
    describe("the lifecycle of the program's users, step by step like the engine (ordered)", () => {
        let h: ProviderHost;
        let userPoolId: string;
        let clientId: string;
        let inputsOf: (username: string) => Props;
        let urnOf: (username: string) => string;
        /** What Create returned for each user, and the inputs it was given. */
        const created: Record<string, { id: string; props: Props; inputs: Props }> = {};
        /** Alice's outputs and inputs after the last update. */
        let olds: Props;
        let oldInputs: Props;
        /** Alice's password since the rotation. */
        let rotated: string;
        /** The user that replaced alice on the rename, and its inputs. */
        let replacement: { id: string; props: Props };
        let renamed: Props;
        let failed = false;

        before(async () => {
            ({ userPoolId, clientId, inputsOf, urnOf } = await freshPool());
            h = await ProviderHost.start(local.env);
            await h.configure({ "aws:region": region });
        });
        after(async () => {
            if (!h) return;
            await h.kill();
            expectNoPassword(h.stderr, "host stderr");
        });
        beforeEach(function () {
            if (failed) this.skip();
        });
        afterEach(function () {
            if (this.currentTest?.state === "failed") failed = true;
        });

        /** A step of `pulumi up` for alice: Check(old inputs, new) -> Diff(old outputs) -> Update. */
        async function step(news: Props, what: string): Promise<Props> {
            const alice = created.alice;
            const inputs = await check(h, urnOf("alice"), oldInputs, news);
            const diff = await h.diff(alice.id, urnOf("alice"), olds, inputs);
            expect(diff.changes, `${what}: diff`).to.equal("some");
            expect(diff.replaces, `${what}: no replacement`).to.deep.equal([]);
            const outs = await h.update(alice.id, urnOf("alice"), olds, inputs);
            expectOutputs(outs, inputs.password, `update (${what})`);
            expect(outs.status).to.equal("CONFIRMED");
            expect(outs.sub, "sub survives updates").to.equal(alice.props.sub);
            olds = outs;
            oldInputs = inputs;
            return outs;
        }

        it(
            "up: Check then Create makes both users CONFIRMED and able to sign in, with their groups and attributes",
            guarded(async () => {
                for (const name of ["alice", "bob"] as const) {
                    const inputs = await check(h, urnOf(name), {}, inputsOf(name));
                    expect(inputs.password === pw[name], "checked inputs keep the password").to.equal(true);
                    const { id, props } = await h.create(urnOf(name), inputs);
                    expect(id).to.equal(`${userPoolId}/${name}`);
                    expect(props.status).to.equal("CONFIRMED");
                    expect(props.adopted).to.equal(false);
                    expect(props.sub).to.be.a("string").and.not.equal("");
                    expectOutputs(props, pw[name], `create ${name}`);
                    const user = await getUser(userPoolId, name);
                    expect(user.UserStatus).to.equal("CONFIRMED");
                    expect(user.Enabled).to.equal(true);
                    expect(await signIn(clientId, name, pw[name]), `${name} signs in after create`).to.equal(true);
                    created[name] = { id, props, inputs };
                }
                expect(await groupsOf(userPoolId, "alice")).to.deep.equal(["admins", "ops"]);
                expect(await groupsOf(userPoolId, "bob")).to.deep.equal([]);
                expect(attributesOf(await getUser(userPoolId, "bob"))).to.deep.equal({
                    email: "bob@example.com",
                    email_verified: "true",
                    name: "Bob B",
                });
                olds = created.alice.props;
                oldInputs = created.alice.inputs;
            }),
        );

        it(
            "refresh right after up: Read finds no drift, so the next preview shows no change",
            guarded(async () => {
                const alice = created.alice;
                const refreshed = await h.read(alice.id, urnOf("alice"), alice.props, alice.inputs);
                expect(refreshed.id).to.equal(alice.id);
                expectOutputs(refreshed.props, pw.alice, "read alice");
                expect((await h.diff(alice.id, urnOf("alice"), refreshed.props, alice.inputs)).changes).to.equal("none");
            }),
        );

        it(
            "a password change is an in-place Update: the new password signs in, the old one no longer does",
            guarded(async () => {
                rotated = newPassword("Rotated");
                await step({ ...oldInputs, password: rotated }, "password change");
                expect(await signIn(clientId, "alice", rotated), "new password signs in").to.equal(true);
                expect(await signIn(clientId, "alice", pw.alice), "old password no longer signs in").to.equal(false);
            }),
        );

        it(
            "an attribute change and an added attribute, then the added one's removal, are in-place Updates",
            guarded(async () => {
                await step(
                    { ...oldInputs, attributes: { ...oldInputs.attributes, email: "alice2@example.com", name: "Alice A" } },
                    "attributes change",
                );
                let attributes = attributesOf(await getUser(userPoolId, "alice"));
                expect(attributes).to.include({ email: "alice2@example.com", name: "Alice A", email_verified: "true" });
                const { name: _removed, ...withoutName } = oldInputs.attributes;
                await step({ ...oldInputs, attributes: withoutName }, "attribute removal");
                attributes = attributesOf(await getUser(userPoolId, "alice"));
                expect(attributes).to.deep.equal({ email: "alice2@example.com", email_verified: "true" });
            }),
        );

        it(
            "disable, then enable, are in-place Updates; after all of them alice signs in with the rotated password and keeps her groups",
            guarded(async () => {
                await step({ ...oldInputs, enabled: false }, "disable");
                expect((await getUser(userPoolId, "alice")).Enabled).to.equal(false);
                await step({ ...oldInputs, enabled: true }, "enable");
                expect((await getUser(userPoolId, "alice")).Enabled).to.equal(true);
                expect(await signIn(clientId, "alice", rotated), "still signs in after all updates").to.equal(true);
                expect(await groupsOf(userPoolId, "alice"), "groups untouched by updates").to.deep.equal(["admins", "ops"]);
            }),
        );

        it(
            "a rename is a replacement: the engine creates the new user, then deletes the old one",
            guarded(async () => {
                const alice = created.alice;
                renamed = await check(h, urnOf("alice"), oldInputs, { ...oldInputs, username: "alice.new" });
                const renameDiff = await h.diff(alice.id, urnOf("alice"), olds, renamed);
                expect(renameDiff.changes).to.equal("some");
                expect(renameDiff.replaces).to.deep.equal(["username"]);
                expect(renameDiff.deleteBeforeReplace).to.equal(false);
                replacement = await h.create(urnOf("alice"), renamed);
                expect(replacement.id).to.equal(`${userPoolId}/alice.new`);
                await h.delete(alice.id, urnOf("alice"), olds);
                expect(await userExists(userPoolId, "alice")).to.equal(false);
                expect(await signIn(clientId, "alice.new", rotated), "the replacement signs in").to.equal(true);
            }),
        );

        it(
            'a user deleted outside Pulumi: refresh reports it gone (id ""), so the next up recreates it',
            guarded(async () => {
                await local.client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "alice.new" }));
                const gone = await h.read(replacement.id, urnOf("alice"), replacement.props, renamed);
                expect(gone.id).to.equal("");
            }),
        );

        it(
            "status drift (an admin reset outside Pulumi) shows in refresh and diff; the Update restores CONFIRMED and the configured password",
            guarded(async () => {
                const bob = created.bob;
                await local.client.send(
                    new AdminSetUserPasswordCommand({
                        UserPoolId: userPoolId,
                        Username: "bob",
                        Password: newPassword("Reset"),
                        Permanent: false,
                    }),
                );
                expect((await getUser(userPoolId, "bob")).UserStatus).to.equal("FORCE_CHANGE_PASSWORD");
                const drifted = await h.read(bob.id, urnOf("bob"), bob.props, bob.inputs);
                expect(drifted.id).to.equal(bob.id);
                expect(drifted.props.status).to.equal("FORCE_CHANGE_PASSWORD");
                expectOutputs(drifted.props, pw.bob, "read drifted bob");
                const bobInputs = await check(h, urnOf("bob"), bob.inputs, bob.inputs);
                const driftDiff = await h.diff(bob.id, urnOf("bob"), drifted.props, bobInputs);
                expect(driftDiff.changes, "drifted status shows a diff").to.equal("some");
                expect(driftDiff.replaces).to.deep.equal([]);
                const repaired = await h.update(bob.id, urnOf("bob"), drifted.props, bobInputs);
                expect(repaired.status).to.equal("CONFIRMED");
                expectOutputs(repaired, pw.bob, "update repaired bob");
                expect((await getUser(userPoolId, "bob")).UserStatus).to.equal("CONFIRMED");
                expect(await signIn(clientId, "bob", pw.bob), "bob signs in with the configured password again").to.equal(true);
                created.bob = { ...bob, props: repaired, inputs: bobInputs };
            }),
        );

        it(
            "destroy: Delete removes bob; a second Delete, and one of the user deleted outside Pulumi, find nothing and still succeed",
            guarded(async () => {
                const bob = created.bob;
                await h.delete(bob.id, urnOf("bob"), bob.props);
                expect(await userExists(userPoolId, "bob")).to.equal(false);
                await h.delete(bob.id, urnOf("bob"), bob.props);
                await h.delete(replacement.id, urnOf("alice"), replacement.props);
            }),
        );
    });

    it(
        "adopts a user created outside Pulumi only when adoptExistingUsers is on",
        guarded(async () => {
            const { userPoolId, clientId, inputsOf, urnOf } = await freshPool();
            const outside = newPassword("Outside");
            await local.client.send(
                new AdminCreateUserCommand({
                    UserPoolId: userPoolId,
                    Username: "alice",
                    TemporaryPassword: outside,
                    MessageAction: "SUPPRESS",
                    UserAttributes: [{ Name: "email", Value: "old@example.com" }],
                }),
            );
            const before = await getUser(userPoolId, "alice");
            await host(async (h) => {
                const inputs = await check(h, urnOf("alice"), {}, inputsOf("alice"));
                expect(inputs.adoptExisting).to.equal(false);
                const err = await expectHostError(h.create(urnOf("alice"), inputs), "create of an existing user without adoption");
                expectNoPassword(errorText(err), "already-exists error");
                expect(err.details).to.include('Cognito user "alice" already exists').and.include("adoptExistingUsers");
                const after = await getUser(userPoolId, "alice");
                expect(after.UserStatus, "the outside user is left alone").to.equal(before.UserStatus);
                expect(after.UserLastModifiedDate?.getTime()).to.equal(before.UserLastModifiedDate?.getTime());

                // The same user with cognito-auth:adoptExistingUsers true in the program's config.
                const adopt = programInputs(userPoolId, adoptRun);
                const adoptInputs = await check(h, adopt.urnOf("alice"), {}, adopt.inputsOf("alice"));
                expect(adoptInputs.adoptExisting, "adoptExistingUsers reaches the user's inputs").to.equal(true);
                const { id, props } = await h.create(adopt.urnOf("alice"), adoptInputs);
                expect(id).to.equal(`${userPoolId}/alice`);
                expect(props.adopted).to.equal(true);
                expect(props.status).to.equal("CONFIRMED");
                expect(props.sub).to.equal(before.UserAttributes?.find((a) => a.Name === "sub")?.Value);
                expectOutputs(props, pw.alice, "adopt alice");
                expect(await signIn(clientId, "alice", pw.alice), "adopted user signs in with the configured password").to.equal(true);
                expect(await signIn(clientId, "alice", outside), "the outside password no longer works").to.equal(false);
                expect(attributesOf(await getUser(userPoolId, "alice"))).to.deep.equal({
                    email: "alice@example.com",
                    email_verified: "true",
                });
                expect(await groupsOf(userPoolId, "alice")).to.deep.equal(["admins", "ops"]);
            });
        }),
    );

    it(
        "migrates users written by version 1 (provider stored as code): one update each, nothing sent to Cognito, state shrinks",
        guarded(async () => {
            // test/fixtures/provider-v1.js.txt is the exact __provider text cognito-auth 0.1 stored in every user's state.
            const v1Provider = fs.readFileSync(path.join(__dirname, "..", "fixtures", "provider-v1.js.txt"), "utf8");
            const { userPoolId, clientId, inputsOf, urnOf } = await freshPool();
            const proxy = await startFaultProxy({ upstreamPort: local.port });
            try {
                await host(
                    async (h) => {
                        // Version 1 creates alice and bob; its outputs copy the inputs (policy, adoptExisting, __provider).
                        const v1 = new Map<string, { id: string; props: Props; inputs: Props }>();
                        for (const name of ["alice", "bob"]) {
                            const inputs = await check(h, urnOf(name), {}, { ...inputsOf(name), __provider: v1Provider });
                            v1.set(name, { ...(await h.create(urnOf(name), inputs)), inputs });
                        }
                        const alice = v1.get("alice")!;
                        expect(alice.props.__provider).to.equal(v1Provider);
                        expect(alice.props).to.not.have.property("stateVersion");
                        const v1Bytes = Buffer.byteLength(JSON.stringify(alice.props)) + Buffer.byteLength(JSON.stringify(alice.inputs));

                        // A refresh before upgrading runs version 1's own stored code and keeps working.
                        expect((await h.read(alice.id, urnOf("alice"), alice.props, alice.inputs)).props.status).to.equal("CONFIRMED");

                        // The upgrade: today's program sends today's inputs (the loader's __provider).
                        const before = proxy.counts.requests;
                        for (const [name, old] of v1) {
                            const news = await check(h, urnOf(name), old.inputs, inputsOf(name));
                            expect(news.__provider).to.not.equal(v1Provider);
                            expect(await h.diff(old.id, urnOf(name), old.props, news), `${name}: diff`).to.deep.equal({
                                changes: "some",
                                replaces: [],
                                deleteBeforeReplace: false,
                            });
                            const migrated = await h.update(old.id, urnOf(name), old.props, news);
                            expect(migrated).to.include({
                                stateVersion: 2,
                                status: "CONFIRMED",
                                sub: old.props.sub,
                                __provider: news.__provider,
                            });
                            expect(migrated).to.not.have.any.keys("passwordPolicy", "adoptExisting");
                            expectOutputs(migrated, name === "alice" ? pw.alice : pw.bob, `${name} migrated`);
                            const bytes = Buffer.byteLength(JSON.stringify(migrated)) + Buffer.byteLength(JSON.stringify(news));
                            if (name === "alice")
                                console.log(`      state per user (inputs + outputs): ${v1Bytes} bytes before, ${bytes} after`);
                            // docs/testing.md: 41 KB -> 1.3-1.5 KB per user (the engine adds its own share, test/engine.test.ts).
                            if (name === "alice") expect(v1Bytes, "version 1's state per user").to.be.within(40_000, 42_000);
                            expect(bytes, `${name}: inputs + outputs after migration`).to.be.within(1_100, 1_500);
                            // Then nothing more to do, and refresh and delete run today's code through the loader.
                            expect((await h.diff(old.id, urnOf(name), migrated, news)).changes).to.equal("none");
                            v1.set(name, { id: old.id, props: migrated, inputs: news });
                        }
                        expect(proxy.counts.requests - before, "Cognito requests during the migrating update").to.equal(0);

                        expect(await signIn(clientId, "alice", pw.alice)).to.equal(true);
                        const refreshed = await h.read(alice.id, urnOf("alice"), v1.get("alice")!.props, v1.get("alice")!.inputs);
                        expect(refreshed.props).to.include({ status: "CONFIRMED", stateVersion: 2 });
                        await h.delete(alice.id, urnOf("alice"), v1.get("alice")!.props);
                        expect(await userExists(userPoolId, "alice")).to.equal(false);
                    },
                    { ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.endpoint },
                );
            } finally {
                await proxy.close();
            }
        }),
    );

    it(
        "writes nothing to Cognito during a preview (Check + Diff only)",
        guarded(async () => {
            const { userPoolId, clientId, inputsOf, urnOf } = await freshPool();
            const snapshot = async () => ({
                users: (await local.client.send(new ListUsersCommand({ UserPoolId: userPoolId }))).Users ?? [],
                bob: await getUser(userPoolId, "bob").then(({ $metadata: _m, ...rest }) => rest),
                groups: await groupsOf(userPoolId, "bob"),
            });
            await host(async (h) => {
                const bobInputs = await check(h, urnOf("bob"), {}, inputsOf("bob"));
                const bob = await h.create(urnOf("bob"), bobInputs);
                const before = await snapshot();

                // preview of a new user: Check only (the engine does not diff a create).
                await check(h, urnOf("alice"), {}, inputsOf("alice"));
                // preview of a changed user: Check + Diff, with every kind of in-place change.
                const news = {
                    ...bobInputs,
                    password: newPassword("Preview"),
                    attributes: { email: "bob2@example.com", email_verified: "true" },
                    enabled: false,
                    groups: ["admins"],
                };
                const checked = await check(h, urnOf("bob"), bobInputs, news);
                const diff = await h.diff(bob.id, urnOf("bob"), bob.props, checked);
                expect(diff.changes).to.equal("some");
                expect(diff.replaces).to.deep.equal([]);
                // and a preview that would replace.
                const rename = await h.diff(
                    bob.id,
                    urnOf("bob"),
                    bob.props,
                    await check(h, urnOf("bob"), bobInputs, { ...bobInputs, username: "bob2" }),
                );
                expect(rename.replaces).to.deep.equal(["username"]);

                const after = await snapshot();
                expect(after, "Cognito unchanged by preview").to.deep.equal(before);
                expect(after.users.map((u) => u.Username)).to.deep.equal(["bob"]);
                expect(await signIn(clientId, "bob", pw.bob), "bob's password unchanged by preview").to.equal(true);

                // A preview where the pool itself is new: its id is the engine's unknown sentinel.
                for (const name of ["alice", "bob"]) {
                    const resource = userResource(previewRun, name);
                    const wire = toWire(resource.inputs);
                    expect(wire.userPoolId, "the preview program leaves the pool id unknown").to.equal(unknownValue);
                    const inputs = await check(h, resource.urn ?? userUrn(resource.name), {}, wire);
                    expect(inputs.userPoolId).to.equal(unknownValue);
                }
            });
            expect((await local.client.send(new ListUsersCommand({ UserPoolId: userPoolId }))).Users?.length).to.equal(1);
        }),
    );

    it(
        "keeps passwords out of check failures, errors, metadata and host output",
        guarded(async () => {
            const { userPoolId, inputsOf, urnOf } = await freshPool();
            // The host talks to cognito-local through a pass-through proxy that can be told to reject
            // AdminSetUserPassword (as Cognito rejects a password), quoting the request and so the password.
            const proxy = await startFaultProxy({ upstreamPort: local.port });
            try {
                await host(
                    async (h) => {
                        // Check fails on a password that breaks the pool policy: the reason names the user and the rule only.
                        const weak = `weak${Array.from({ length: 4 }, () => "abcdefghjkmnpqrstuvwxyz"[crypto.randomInt(23)]).join("")}`; // short, lowercase only
                        passwords.push(weak);
                        const result = await h.check(urnOf("bob"), {}, { ...inputsOf("bob"), password: weak });
                        expect(result.failures.length, "a weak password fails check").to.be.above(0);
                        for (const failure of result.failures) {
                            expect(failure.property).to.equal("password");
                            expect(failure.reason).to.include('Cognito user "bob"');
                            expectNoPassword(failure.reason, "check failure reason");
                        }

                        // Create fails at the first call: the pool was deleted between Check (preview) and Create.
                        const doomed = await createPoolWithClient(local, "doomed");
                        const inputs = await check(h, urnOf("bob"), {}, { ...inputsOf("bob"), userPoolId: doomed.userPoolId });
                        await local.client.send(new DeleteUserPoolCommand({ UserPoolId: doomed.userPoolId }));
                        const err = await expectHostError(h.create(urnOf("bob"), inputs), "create in a deleted pool");
                        expectNoPassword(errorText(err), "create error (deleted pool)");
                        expect(err.details)
                            .to.include('Cognito user "bob"')
                            .and.include("could not be looked up before creating it")
                            .and.include("ResourceNotFoundException");

                        // Read, Update and Delete against the deleted pool: each a redacted error naming the pool (never "gone").
                        const props = { ...inputs, sub: "x", status: "CONFIRMED", adopted: false };
                        const calls: [string, Promise<unknown>][] = [
                            ["read", h.read(`${doomed.userPoolId}/bob`, urnOf("bob"), props, inputs)],
                            [
                                "update",
                                h.update(`${doomed.userPoolId}/bob`, urnOf("bob"), props, { ...inputs, password: newPassword("Upd") }),
                            ],
                            ["delete", h.delete(`${doomed.userPoolId}/bob`, urnOf("bob"), props)],
                        ];
                        for (const [what, call] of calls) {
                            const poolErr = await expectHostError(call, `${what} in a deleted pool`);
                            expectNoPassword(errorText(poolErr), `${what} error (deleted pool)`);
                            expect(poolErr.details, what).to.include(`user pool ${doomed.userPoolId} was not found in region`);
                        }

                        // A user to rotate later, created while the proxy still passes everything through.
                        const bobInputs = await check(h, urnOf("bob"), {}, inputsOf("bob"));
                        const bob = await h.create(urnOf("bob"), bobInputs);
                        expect(proxy.counts.echoed).to.equal(0);

                        // Create fails at the password step: the error is redacted and the half-made user removed again.
                        proxy.setEchoOperations(["AdminSetUserPassword"]);
                        const aliceInputs = await check(h, urnOf("alice"), {}, inputsOf("alice"));
                        const createErr = await expectHostError(h.create(urnOf("alice"), aliceInputs), "create whose password step fails");
                        expect(proxy.counts.echoed, "the password step was reached and rejected").to.be.above(0);
                        expectNoPassword(errorText(createErr), "create error (password step)");
                        expect(createErr.details)
                            .to.include('Cognito user "alice"')
                            .and.include("InvalidPasswordException")
                            .and.include("deleted again");
                        expect(await userExists(userPoolId, "alice"), "no half-made user remains").to.equal(false);

                        // The same on an update that rotates the password.
                        const news = await check(h, urnOf("bob"), bobInputs, { ...bobInputs, password: newPassword("Rot") });
                        const rotateErr = await expectHostError(
                            h.update(bob.id, urnOf("bob"), bob.props, news),
                            "update whose password step fails",
                        );
                        expectNoPassword(errorText(rotateErr), "update error (password step)");
                        expect(rotateErr.details).to.include('Cognito user "bob"').and.include("could not be updated");
                        proxy.setEchoOperations([]);
                        await h.delete(bob.id, urnOf("bob"), bob.props);
                    },
                    { ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.endpoint },
                );
            } finally {
                await proxy.close();
            }
        }),
    );
});
