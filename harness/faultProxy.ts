import * as http from "http";
import * as net from "net";

// A small loopback HTTP proxy in front of cognito-local that injects the faults the real service
// (or the network in between) produces under load: throttling (HTTP 400 TooManyRequestsException,
// what Cognito answers when a quota is exceeded), 500 / 503, and dropped connections, either
// before the request reaches the emulator or after the emulator answered (the response is lost,
// so the SDK's retry meets the effect of its own first attempt). Decisions come from a seeded
// PRNG, so the same seed and the same request order give the same faults. Only 127.0.0.1.

export type FaultKind = "throttle" | "status500" | "status503" | "dropBefore" | "dropAfter";
export const faultKinds: FaultKind[] = ["throttle", "status500", "status503", "dropBefore", "dropAfter"];

export interface FaultProxyOptions {
    /** Port of the upstream (cognito-local) on 127.0.0.1. */
    upstreamPort: number;
    /** Share of requests that get a fault, 0..1. @default 0 */
    faultRate?: number;
    /** Relative weights of the fault kinds within `faultRate`. @default equal weights */
    mix?: Partial<Record<FaultKind, number>>;
    /** PRNG seed. @default 1 */
    seed?: number;
    /** Only requests whose X-Amz-Target operation is listed get faults (e.g. ["AdminCreateUser"]). @default all */
    operations?: string[];
    /** Extra latency added to every forwarded request, in ms (widens race windows). @default 0 */
    delayMs?: number;
    /** Largest request body accepted, in bytes. @default 1 MiB */
    maxBodyBytes?: number;
    /**
     * Operations answered, without reaching the upstream, with HTTP 400 InvalidPasswordException
     * whose message quotes the request: its body as received (JSON, so a password in it is
     * JSON-escaped) and each of its string values as they are. A service that echoes its input is
     * the worst case for redaction; neither Cognito's usual answers nor cognito-local do it.
     * @default none
     */
    echoOperations?: string[];
    /**
     * Requests of these operations are parked after the first `after` of them were forwarded: they
     * neither reach the upstream nor get an answer until `releaseHeld()` (forwarded then) or
     * `dropHeld()` (their connections closed, never forwarded). To stop a client at a known step.
     * @default none
     */
    hold?: { operations: string[]; after?: number };
    /**
     * Called for each request (its operation and parsed body); a request it returns an error for
     * is answered with HTTP 400 and that error (`__type` and `x-amzn-ErrorType` as Cognito sends
     * them) without reaching the upstream: an answer the emulator cannot give, e.g. a
     * PasswordHistoryPolicyViolationException (cognito-local keeps no password history).
     * @default none
     */
    refuse?: Refuser;
}

/** See `FaultProxyOptions.refuse`. */
export type Refuser = (operation: string, body: any) => { type: string; message: string } | undefined;

/** A request parked by `hold`. */
export interface HeldRequest {
    operation: string;
    /** The request body, parsed (undefined when it is not JSON). */
    body: any;
}

export interface FaultCounts {
    requests: number;
    forwarded: number;
    faults: number;
    byKind: Record<FaultKind, number>;
    /** Faults per operation (X-Amz-Target without the service prefix). */
    byOperation: Record<string, number>;
    /** Requests answered with an echo of themselves (`echoOperations`). */
    echoed: number;
}

export interface FaultProxy {
    port: number;
    endpoint: string;
    counts: FaultCounts;
    /** Changes the share of faulty requests from now on (e.g. 0 to quiesce). */
    setFaultRate(rate: number): void;
    /** Changes which operations are answered with an echo of the request from now on (`echoOperations`; [] to stop). */
    setEchoOperations(operations: string[]): void;
    /** Changes `refuse` from now on (undefined to stop). */
    setRefuse(refuse: Refuser | undefined): void;
    /** The requests parked by `hold` right now, in arrival order. */
    held(): HeldRequest[];
    /** Forwards the parked requests (and stops holding). */
    releaseHeld(): void;
    /** Closes the connections of the parked requests without forwarding them (and stops holding). */
    dropHeld(): void;
    /** Requests received and not yet answered, dropped or parked: on their way to or from the upstream. */
    inFlight(): number;
    /** Resolves once no request is in flight (parked ones do not count). */
    whenIdle(): Promise<void>;
    close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG with good enough spread for fault decisions. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
    const random = seededRandom(options.seed ?? 1);
    let faultRate = options.faultRate ?? 0;
    const weights = faultKinds.map((kind) => Math.max(0, options.mix ? (options.mix[kind] ?? 0) : 1));
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    if (totalWeight <= 0) throw new Error("fault mix has no positive weight");
    const maxBody = options.maxBodyBytes ?? 1024 * 1024;
    const delayMs = options.delayMs ?? 0;
    const counts: FaultCounts = {
        requests: 0,
        forwarded: 0,
        faults: 0,
        byKind: Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>,
        byOperation: {},
        echoed: 0,
    };
    let echoOperations = options.echoOperations ?? [];
    let refuse = options.refuse;
    const holdOperations = options.hold?.operations ?? [];
    const holdAfter = options.hold?.after ?? 0;
    let holding = holdOperations.length > 0;
    /** Requests of the held operations that were forwarded. */
    let passedHold = 0;
    const parked: { request: HeldRequest; release: () => void; drop: () => void }[] = [];
    let inFlight = 0;
    const idleWaiters: (() => void)[] = [];
    const settled = () => {
        inFlight--;
        if (inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const sockets = new Set<net.Socket>();
    const timers = new Set<NodeJS.Timeout>();
    let closing = false;

    const pickFault = (operation: string): FaultKind | undefined => {
        // Draw for every request, so the sequence of decisions does not depend on the filter.
        const roll = random();
        const which = random() * totalWeight;
        if (closing || roll >= faultRate) return undefined;
        if (options.operations && !options.operations.includes(operation)) return undefined;
        let acc = 0;
        for (let i = 0; i < faultKinds.length; i++) {
            acc += weights[i];
            if (which < acc) return faultKinds[i];
        }
        return faultKinds[faultKinds.length - 1];
    };

    const record = (kind: FaultKind, operation: string) => {
        counts.faults++;
        counts.byKind[kind]++;
        counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
    };

    const sendError = (res: http.ServerResponse, status: number, type: string, message: string) => {
        const body = JSON.stringify({ __type: type, message });
        res.writeHead(status, {
            "content-type": "application/x-amz-json-1.1",
            "content-length": Buffer.byteLength(body),
            "x-amzn-errortype": type,
            "x-amzn-requestid": `fault-${counts.requests}`,
        });
        res.end(body);
    };

    const forward = (
        req: http.IncomingMessage,
        body: Buffer,
    ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
        new Promise((resolve, reject) => {
            const headers = { ...req.headers, host: `127.0.0.1:${options.upstreamPort}`, "content-length": String(body.length) };
            const upstream = http.request(
                { host: "127.0.0.1", port: options.upstreamPort, method: req.method, path: req.url, headers, agent },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
                    res.on("error", reject);
                },
            );
            upstream.setTimeout(30_000, () => upstream.destroy(new Error("upstream timeout")));
            upstream.on("error", reject);
            upstream.end(body);
        });

    const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
                timers.delete(timer);
                resolve();
            }, ms);
            timers.add(timer);
        });

    /** The answer of `echoOperations`: the request quoted back, as text and value by value. */
    const echo = (res: http.ServerResponse, body: Buffer) => {
        counts.echoed++;
        const text = body.toString("utf8");
        let values: string[] = [];
        try {
            values = Object.values(JSON.parse(text) as Record<string, unknown>).filter((v): v is string => typeof v === "string");
        } catch {
            /* not JSON: the text alone */
        }
        sendError(res, 400, "InvalidPasswordException", `Request rejected: ${text}; values: ${values.join(", ")}`);
    };

    /** Parks the request when `hold` says so; resolves true once released, false when dropped. */
    const parkIfHeld = (operation: string, body: Buffer, req: http.IncomingMessage): Promise<boolean> | undefined => {
        if (!holding || closing || !holdOperations.includes(operation)) return undefined;
        if (passedHold < holdAfter) {
            passedHold++;
            return undefined;
        }
        let parsed: any;
        try {
            parsed = JSON.parse(body.toString("utf8"));
        } catch {
            parsed = undefined;
        }
        return new Promise<boolean>((resolve) => {
            parked.push({
                request: { operation, body: parsed },
                release: () => resolve(true),
                drop: () => {
                    req.socket.destroy();
                    resolve(false);
                },
            });
        });
    };

    const server = http.createServer((req, res) => {
        counts.requests++;
        // In flight from now until the answer is sent or the connection closes (`settle`, once).
        let counted = true;
        inFlight++;
        const settle = () => {
            if (!counted) return;
            counted = false;
            settled();
        };
        res.once("close", settle);
        const chunks: Buffer[] = [];
        let size = 0;
        let tooBig = false;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > maxBody) {
                tooBig = true;
                return;
            }
            chunks.push(c);
        });
        req.on("error", () => res.destroy());
        req.on("end", async () => {
            if (tooBig) return sendError(res, 413, "RequestEntityTooLarge", "request body too large for the fault proxy");
            const target = String(req.headers["x-amz-target"] ?? "");
            const operation = target.slice(target.lastIndexOf(".") + 1) || "unknown";
            const fault = pickFault(operation);
            if (fault) record(fault, operation);
            if (echoOperations.includes(operation)) return echo(res, Buffer.concat(chunks));
            if (refuse) {
                let parsed: any;
                try {
                    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
                } catch {
                    parsed = undefined;
                }
                const refusal = refuse(operation, parsed);
                if (refusal) return sendError(res, 400, refusal.type, refusal.message);
            }
            const parking = fault ? undefined : parkIfHeld(operation, Buffer.concat(chunks), req);
            if (parking) {
                // Parked requests are not in flight: nothing happens to them until the test says so.
                settle();
                const released = await parking;
                if (!released || req.socket.destroyed) return;
                counted = true;
                inFlight++;
            }
            try {
                switch (fault) {
                    case "throttle":
                        return sendError(res, 400, "TooManyRequestsException", "Rate exceeded");
                    case "status500":
                        return sendError(res, 500, "InternalErrorException", "injected internal error");
                    case "status503":
                        return sendError(res, 503, "ServiceUnavailableException", "injected service unavailable");
                    case "dropBefore":
                        return void req.socket.destroy();
                    default:
                        break;
                }
                if (delayMs > 0) await sleep(delayMs);
                const answer = await forward(req, Buffer.concat(chunks));
                counts.forwarded++;
                // The emulator acted on the request; the client never learns it.
                if (fault === "dropAfter") return void req.socket.destroy();
                const headers = { ...answer.headers };
                delete headers["transfer-encoding"];
                delete headers.connection;
                headers["content-length"] = String(answer.body.length);
                res.writeHead(answer.status, headers);
                res.end(answer.body);
            } catch (err) {
                if (!res.headersSent && !res.destroyed) sendError(res, 502, "BadGateway", `fault proxy: ${(err as Error).message}`);
            }
        });
    });
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    server.maxConnections = 256;
    const port = await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
    });

    return {
        port,
        endpoint: `http://127.0.0.1:${port}`,
        counts,
        setFaultRate(rate: number) {
            faultRate = rate;
        },
        setEchoOperations(operations: string[]) {
            echoOperations = operations;
        },
        setRefuse(next) {
            refuse = next;
        },
        held: () => parked.map((p) => p.request),
        releaseHeld() {
            holding = false;
            for (const p of parked.splice(0)) p.release();
        },
        dropHeld() {
            holding = false;
            for (const p of parked.splice(0)) p.drop();
        },
        inFlight: () => inFlight,
        whenIdle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
        async close() {
            closing = true;
            for (const p of parked.splice(0)) p.drop();
            for (const resolve of idleWaiters.splice(0)) resolve();
            for (const timer of timers) clearTimeout(timer);
            timers.clear();
            const closed = new Promise<void>((resolve) => server.close(() => resolve()));
            for (const socket of sockets) socket.destroy();
            agent.destroy();
            await closed;
        },
    };
}

/** One line summary of what a proxy injected, for test and bench output. */
export function describeCounts(counts: FaultCounts): string {
    const kinds = faultKinds.map((k) => `${k} ${counts.byKind[k]}`).join(", ");
    const ops = Object.entries(counts.byOperation)
        .map(([op, n]) => `${op} ${n}`)
        .join(", ");
    const share = counts.requests ? ((100 * counts.faults) / counts.requests).toFixed(1) : "0";
    return `${counts.requests} requests, ${counts.faults} faults (${share}%): ${kinds}; by operation: ${ops}`;
}
