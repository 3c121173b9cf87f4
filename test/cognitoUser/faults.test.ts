import { expect } from "chai";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoLocal, createPoolWithClient, listUsers, signIn, startCognitoLocal } from "../../harness/cognitoLocal";
import { FaultProxy, describeCounts, startFaultProxy } from "../../harness/faultProxy";
import { runProgram, plain } from "../../harness/program";
import { ProviderHost, Props, userUrn } from "../../harness/providerHost";
import { expectNoLeak } from "../../harness/leaks";
import { pool } from "../../harness/pool";
import { userType } from "../../harness/users";

// Fault injection on the engine's own path: the SDK's dynamic-provider host runs the serialized
// provider from index.ts and talks to cognito-local through a proxy that throttles, fails and
// drops connections (DESIGN section 4: hundreds of users converge without manual reruns).

// Test-only password; never printed (messages below name users, never inputs or outputs).
const password = "Fault-Test-Pw-2024#";

/** The inputs the real program gives one user, with its `__provider` text; secrets unwrapped. */
async function programUserInputs(): Promise<Props> {
    const run = await runProgram({ users: { template: { email: "template@example.com" } }, passwords: { template: password } });
    const user = run.byType(userType)[0];
    return Object.fromEntries(Object.entries(user.inputs).map(([k, v]) => [k, plain(v)]));
}

function inputsFor(template: Props, userPoolId: string, username: string, extra: Props = {}): Props {
    return { ...template, userPoolId, username, attributes: { email: `${username}@example.com` }, ...extra };
}

/** Configure, Check, Create: what the engine sends for a new user. */
async function createThroughHost(host: ProviderHost, inputs: Props): Promise<{ id: string; props: Props }> {
    const urn = userUrn(`cognito-auth-user-${inputs.username}`);
    const checked = await host.check(urn, {}, inputs);
    if (checked.failures.length > 0)
        throw new Error(`check failed for ${inputs.username}: ${checked.failures.map((f) => f.property).join(", ")}`);
    return host.create(urn, checked.inputs);
}

/** Polls `condition` every 10 ms until it holds; fails after `ms`, naming what it waited for. */
async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

/** gRPC error text as the engine shows it; the password is masked should it ever appear. */
function errorText(err: any): string {
    return String(err?.details ?? err?.message ?? err)
        .split(password)
        .join("[secret]");
}

describe("fault injection through the provider host", function () {
    this.timeout(120_000);
    let local: CognitoLocal;
    let template: Props;

    before(async () => {
        [local, template] = await Promise.all([startCognitoLocal(), programUserInputs()]);
    });
    after(async () => {
        await local?.stop();
    });

    it("creates 300 users at 25% injected faults with 10 in flight: all CONFIRMED, none duplicated or missing, no errors", async () => {
        const { userPoolId } = await createPoolWithClient(local, "faults-pool");
        // Throttles make the adaptive retry mode slow itself down (CUBIC, down to 0.5 req/s), so
        // they are a smaller share of the 25%; the rest are 5xx and dropped connections, a third
        // of them dropped after cognito-local acted (AdminCreateUser then meets its own user).
        const proxy: FaultProxy = await startFaultProxy({
            upstreamPort: local.port,
            faultRate: 0.25,
            seed: 20240601,
            mix: { throttle: 1, status500: 2, status503: 2, dropBefore: 2, dropAfter: 3 },
        });
        const host = await ProviderHost.start({ ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.endpoint });
        const names = Array.from({ length: 300 }, (_, i) => `fault-user-${String(i).padStart(3, "0")}`);
        const started = Date.now();
        try {
            await host.configure({ "aws:region": "us-east-1" });
            const results = await pool(names, 10, (name) => createThroughHost(host, inputsFor(template, userPoolId, name)));
            const seconds = (Date.now() - started) / 1000;
            console.log(`      300 creates in ${seconds.toFixed(1)} s; proxy: ${describeCounts(proxy.counts)}`);

            const failed = results.map((r, i) => (r.ok ? undefined : `${names[i]}: ${errorText(r.error)}`)).filter(Boolean);
            expect(failed, `Create errors surfaced:\n${failed.slice(0, 10).join("\n")}`).to.deep.equal([]);
            expect(proxy.counts.byKind.dropAfter, "some responses were lost after cognito-local acted").to.be.greaterThan(0);

            for (const [i, r] of results.entries()) {
                if (!r.ok) continue;
                expect(r.value.id, names[i]).to.equal(`${userPoolId}/${names[i]}`);
                expect(r.value.props.status, names[i]).to.equal("CONFIRMED");
                expect(r.value.props.adopted, `${names[i]} is our own create, not an adoption`).to.equal(false);
            }

            const users = await listUsers(local, userPoolId);
            const listed = users.map((u) => u.Username!);
            const duplicates = listed.filter((name, i) => listed.indexOf(name) !== i);
            const missing = names.filter((name) => !listed.includes(name));
            const extra = listed.filter((name) => !names.includes(name));
            expect({ duplicates, missing, extra }).to.deep.equal({ duplicates: [], missing: [], extra: [] });
            const notConfirmed = users.filter((u) => u.UserStatus !== "CONFIRMED").map((u) => `${u.Username}: ${u.UserStatus}`);
            expect(notConfirmed, "users not CONFIRMED").to.deep.equal([]);
            // The sub each Create reported is the one in the pool: no user was deleted and made again.
            const subs = new Map(users.map((u) => [u.Username!, u.Attributes?.find((a) => a.Name === "sub")?.Value]));
            const wrongSub = results.flatMap((r, i) => (r.ok && r.value.props.sub !== subs.get(names[i]) ? [names[i]] : []));
            expect(wrongSub, "reported sub differs from the pool's").to.deep.equal([]);
            // Spot check with AdminGetUser, again directly against the emulator.
            for (const name of [names[0], names[149], names[299]]) {
                const got = await local.client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: name }));
                expect(got.UserStatus, name).to.equal("CONFIRMED");
            }
            expectNoLeak(host.stderr, [password], "host stderr");
        } finally {
            await host.kill();
            await proxy.close();
        }
    });

    it("a host killed with 10 users between AdminCreateUser and AdminSetUserPassword leaves exactly those 10 half-made; a re-run without adoption refuses the 50 users the killed host made ('already exists', naming the half-made ones) and creates the other 100 CONFIRMED; a re-run with adoption confirms the 50", async () => {
        const { userPoolId, clientId } = await createPoolWithClient(local, "kill-pool");
        // No faults here. The proxy lets the first 40 password steps through and then parks the
        // next ones, so every one of the 10 workers stops with its user made (FORCE_CHANGE_PASSWORD)
        // and its password step not yet sent: the window a kill must not turn into a silent success.
        const confirmedFirst = 40;
        const inFlightLimit = 10;
        const proxy = await startFaultProxy({
            upstreamPort: local.port,
            hold: { operations: ["AdminSetUserPassword"], after: confirmedFirst },
        });
        const env = { ...local.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.endpoint };
        const names = Array.from({ length: 150 }, (_, i) => `kill-user-${String(i).padStart(3, "0")}`);
        const first = await ProviderHost.start(env);
        const second = await ProviderHost.start(env).catch(async (err) => {
            await first.kill();
            throw err;
        });
        let third: ProviderHost | undefined;
        try {
            await first.configure({ "aws:region": "us-east-1" });
            let killed = false;
            const firstRunDone = pool(names, inFlightLimit, async (name) => {
                if (killed) throw new Error("not started: host was killed");
                return createThroughHost(first, inputsFor(template, userPoolId, name));
            });
            // Every worker waits on a parked password step: kill the host there.
            await waitFor(() => proxy.held().length === inFlightLimit, 60_000, `${inFlightLimit} parked AdminSetUserPassword requests`);
            const parked = proxy
                .held()
                .map((request) => String(request.body?.Username))
                .sort();
            killed = true;
            await first.kill();
            // The killed host's password steps never reach cognito-local, and nothing else is on its way there.
            proxy.dropHeld();
            const firstRun = await firstRunDone;
            await proxy.whenIdle();
            const firstOk = firstRun.filter((r) => r.ok).length;
            expect(firstOk, "creates answered before the kill").to.equal(confirmedFirst);
            const before = new Map((await listUsers(local, userPoolId)).map((u) => [u.Username!, u.UserStatus!]));
            const halfMade = [...before]
                .filter(([, status]) => status !== "CONFIRMED")
                .map(([name]) => name)
                .sort();
            expect(halfMade, "half-made users: exactly those whose password step was parked").to.deep.equal(parked);
            expect(halfMade).to.have.lengthOf(inFlightLimit);
            expect(halfMade.map((name) => before.get(name))).to.deep.equal(Array(inFlightLimit).fill("FORCE_CHANGE_PASSWORD"));
            expect(before.size, "users in the pool after the kill").to.equal(confirmedFirst + inFlightLimit);

            // The same batch again on a new host, adoption off (adoptExisting false from the program).
            await second.configure({ "aws:region": "us-east-1" });
            expect(template.adoptExisting).to.equal(false);
            const rerun = await pool(names, 10, (name) => createThroughHost(second, inputsFor(template, userPoolId, name)));
            const created: string[] = [];
            const alreadyExists: string[] = [];
            const otherErrors: string[] = [];
            rerun.forEach((r, i) => {
                if (r.ok) created.push(names[i]);
                else if (/already exists/.test(errorText(r.error)) && /adoptExistingUsers/.test(errorText(r.error)))
                    alreadyExists.push(names[i]);
                else otherErrors.push(`${names[i]}: ${errorText(r.error)}`);
            });
            const existedBefore = (name: string) => before.has(name);
            console.log(
                `      first host: ${firstOk} creates answered before SIGKILL; ${before.size} users in the pool after the kill, ` +
                    `${halfMade.length} half-made (${halfMade.join(", ")})`,
            );
            console.log(
                `      re-run: created ${created.length} (${created[0]} .. ${created[created.length - 1]}); ` +
                    `"already exists" ${alreadyExists.length}: ${alreadyExists.map((n) => `${n}${before.get(n) === "CONFIRMED" ? "" : "(half-made)"}`).join(", ")}`,
            );
            expect(otherErrors, "unexpected errors").to.deep.equal([]);
            // Exactly the users the killed host touched are reported as existing; the rest are made now.
            expect(alreadyExists).to.deep.equal(names.filter(existedBefore));
            expect(created).to.deep.equal(names.filter((n) => !existedBefore(n)));
            expect(alreadyExists.length, "the kill left users behind").to.equal(confirmedFirst + inFlightLimit);
            // The error says which users the interrupted run left without a password.
            const halfMadeNote = (name: string) =>
                /no permanent password yet/.test(errorText((rerun[names.indexOf(name)] as { error: unknown }).error));
            expect(alreadyExists.filter(halfMadeNote), "errors that name a half-made user").to.deep.equal(halfMade);

            const after = await listUsers(local, userPoolId);
            const listed = after.map((u) => u.Username!);
            expect(
                listed.filter((n, i) => listed.indexOf(n) !== i),
                "duplicates",
            ).to.deep.equal([]);
            const status = new Map(after.map((u) => [u.Username!, u.UserStatus!]));
            // Every success is a complete user: never a silent half-made success.
            expect(
                created.filter((n) => status.get(n) !== "CONFIRMED"),
                "created but not CONFIRMED",
            ).to.deep.equal([]);
            for (const name of [created[0], created[created.length - 1]]) {
                expect(await signIn(local, clientId, name, password), `${name} signs in`).to.equal(true);
            }
            // Half-made users stay as they were: the re-run without adoption did not touch them.
            expect(
                halfMade.filter((n) => status.get(n) !== "FORCE_CHANGE_PASSWORD"),
                "half-made users changed",
            ).to.deep.equal([]);

            // "Already exists" users, re-run with adoption on, converge to CONFIRMED.
            third = await ProviderHost.start(env);
            await third.configure({ "aws:region": "us-east-1" });
            const adopt = await pool(alreadyExists, 10, (name) =>
                createThroughHost(third!, inputsFor(template, userPoolId, name, { adoptExisting: true })),
            );
            const adoptFailed = adopt.map((r, i) => (r.ok ? undefined : `${alreadyExists[i]}: ${errorText(r.error)}`)).filter(Boolean);
            expect(adoptFailed, "adoption errors").to.deep.equal([]);
            adopt.forEach((r) => {
                if (r.ok) expect(r.value.props.adopted).to.equal(true);
            });
            const final = await listUsers(local, userPoolId);
            expect(final.length).to.equal(names.length);
            expect(
                final.filter((u) => u.UserStatus !== "CONFIRMED").map((u) => u.Username),
                "not CONFIRMED at the end",
            ).to.deep.equal([]);
            // A formerly half-made user now signs in with the configured password.
            expect(await signIn(local, clientId, halfMade[0], password), `${halfMade[0]} signs in after adoption`).to.equal(true);
            for (const h of [first, second, third]) expectNoLeak(h.stderr, [password], "host stderr");
        } finally {
            await Promise.all([first.kill(), second.kill(), third?.kill()]);
            await proxy.close();
        }
    });
});
