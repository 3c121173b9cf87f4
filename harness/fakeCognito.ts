import * as http from "http";
import { AddressInfo } from "net";
import { dropSharedClients } from "../providers/cognitoUser/client";
import { withEnv } from "./env";

// A stateful, in-memory fake of the part of the Cognito user-pool API the provider calls, served
// over HTTP on 127.0.0.1 so that the real AWS SDK (with its retry strategy) talks to it. Unlike
// aws-sdk-client-mock, which replaces `send` and with it the SDK's retries, this lets tests script
// what the network does to each request:
// - "throttle" / "503": answered with an error; the request never reaches the pool.
// - "lose-response": the pool acts on the request, then the client gets a 503 (a lost answer),
//   so the SDK's retry meets the effect of its own first attempt.
// - "drop": the connection is closed before the request reaches the pool.
// - "reject": a non-retryable InvalidPasswordException after nothing was done.
// - "history": PasswordHistoryPolicyViolationException after nothing was done (a new password
//   that is one of the user's recent ones; the fake keeps no history, a test says when).

export type Fault = "throttle" | "503" | "lose-response" | "drop" | "reject" | "history" | undefined;

export interface FakeUser {
    Username: string;
    UserStatus: string;
    Enabled: boolean;
    UserCreateDate: number;
    Attributes: Record<string, string>;
    Groups: string[];
    Password?: string;
}

export interface FakeRequest {
    /** The operation, e.g. "AdminCreateUser". */
    action: string;
    body: any;
    fault: Fault;
}

export interface FakeCognito {
    endpoint: string;
    users: Map<string, FakeUser>;
    requests: FakeRequest[];
    /** Decides the fault for each request; `count` is how many requests of that action came before. */
    faultFor: (action: string, body: any, count: number) => Fault;
    /** Puts a user in the pool as someone else would (status FORCE_CHANGE_PASSWORD unless given). */
    addUser(username: string, over?: Partial<FakeUser>): FakeUser;
    actions(): string[];
    close(): Promise<void>;
}

export async function startFakeCognito(): Promise<FakeCognito> {
    const users = new Map<string, FakeUser>();
    const requests: FakeRequest[] = [];
    let nextSub = 1;
    const addUser = (username: string, over: Partial<FakeUser> = {}): FakeUser => {
        const user: FakeUser = {
            Username: username,
            UserStatus: "FORCE_CHANGE_PASSWORD",
            Enabled: true,
            UserCreateDate: Date.now() / 1000,
            Attributes: { sub: `sub-${nextSub++}` },
            Groups: [],
            ...over,
        };
        users.set(username.toLowerCase(), user);
        return user;
    };
    const userType = (user: FakeUser) => ({
        Username: user.Username,
        UserStatus: user.UserStatus,
        Enabled: user.Enabled,
        UserCreateDate: user.UserCreateDate,
        UserAttributes: Object.entries(user.Attributes).map(([Name, Value]) => ({ Name, Value })),
    });

    /** Acts on a request as the pool would: [status, payload]. */
    const act = (action: string, body: any): [number, unknown] => {
        const user = users.get(String(body.Username ?? "").toLowerCase());
        const missing: [number, unknown] = [400, { __type: "UserNotFoundException", message: "User does not exist." }];
        const attributes = (list: { Name: string; Value: string }[] = []) => Object.fromEntries(list.map((a) => [a.Name, a.Value]));
        switch (action) {
            case "AdminGetUser":
                return user ? [200, userType(user)] : missing;
            case "AdminCreateUser":
                if (user) return [400, { __type: "UsernameExistsException", message: "User account already exists" }];
                {
                    const { UserAttributes, ...created } = userType(
                        addUser(body.Username, { Attributes: { sub: `sub-${nextSub++}`, ...attributes(body.UserAttributes) } }),
                    );
                    return [200, { User: { ...created, Attributes: UserAttributes } }];
                }
            case "AdminSetUserPassword":
                if (!user) return missing;
                Object.assign(user, { Password: body.Password, UserStatus: body.Permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD" });
                return [200, {}];
            case "AdminUpdateUserAttributes":
                if (!user) return missing;
                Object.assign(user.Attributes, attributes(body.UserAttributes));
                return [200, {}];
            case "AdminListGroupsForUser":
                return user ? [200, { Groups: user.Groups.map((GroupName) => ({ GroupName })) }] : missing;
            case "AdminAddUserToGroup":
                if (!user) return missing;
                if (!user.Groups.includes(body.GroupName)) user.Groups.push(body.GroupName);
                return [200, {}];
            case "AdminDisableUser":
            case "AdminEnableUser":
                if (!user) return missing;
                user.Enabled = action === "AdminEnableUser";
                return [200, {}];
            case "AdminDeleteUser":
                if (!user) return missing;
                users.delete(user.Username.toLowerCase());
                return [200, {}];
            default:
                return [400, { __type: "InvalidParameterException", message: `the fake does not implement ${action}` }];
        }
    };

    const fake: FakeCognito = {
        endpoint: "",
        users,
        requests,
        faultFor: () => undefined,
        addUser,
        actions: () => requests.map((r) => r.action),
        close: async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
    const server = http.createServer((req, res) => {
        let raw = "";
        req.on("data", (chunk) => (raw += chunk));
        req.on("end", () => {
            const target = String(req.headers["x-amz-target"] ?? "");
            const action = target.slice(target.lastIndexOf(".") + 1);
            const body = raw ? JSON.parse(raw) : {};
            const fault = fake.faultFor(action, body, requests.filter((r) => r.action === action).length);
            requests.push({ action, body, fault });
            const reply = (status: number, payload: unknown) => {
                const type = (payload as { __type?: string }).__type;
                res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...(type ? { "x-amzn-errortype": type } : {}) });
                res.end(JSON.stringify(payload));
            };
            switch (fault) {
                case "throttle":
                    return reply(400, { __type: "TooManyRequestsException", message: "Rate exceeded" });
                case "503":
                    return reply(503, { __type: "ServiceUnavailableException", message: "Service Unavailable" });
                case "drop":
                    return void req.socket.destroy();
                case "reject":
                    return reply(400, { __type: "InvalidPasswordException", message: "Password does not conform to policy" });
                case "history":
                    return reply(400, {
                        __type: "PasswordHistoryPolicyViolationException",
                        message: "The password you entered doesn't meet the password history policy.",
                    });
                case "lose-response":
                    act(action, body);
                    return reply(503, { __type: "ServiceUnavailableException", message: "Service Unavailable" });
                default:
                    return reply(...act(action, body));
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
}

/**
 * For the enclosing `describe`: a fresh fake for each test, with the SDK pointed at it (region
 * eu-west-1, dummy credentials); after the test the environment is restored and the fake closed.
 */
export function scriptedCognito(): { readonly fake: FakeCognito } {
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
    return {
        get fake() {
            return fake;
        },
    };
}
