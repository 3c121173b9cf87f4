import * as http from "http";
import * as net from "net";

// A loopback proxy in front of cognito-local that makes chosen pools case-insensitive, as Cognito
// does for a pool made with `UsernameConfiguration.CaseSensitive: false` (cognito-local ignores the
// setting): the `Username` of every request on such a pool is lower-cased before it reaches the
// emulator, so `JohnDoe` and `johndoe` are one user, stored and returned in lower case (Cognito
// "flattens" usernames of case-insensitive pools to lower case in its output). Only 127.0.0.1.

export interface CaseFoldingProxy {
    endpoint: string;
    /** Requests whose Username the proxy lower-cased. */
    folded(): number;
    close(): Promise<void>;
}

export async function startCaseFoldingProxy(upstreamPort: number, caseInsensitivePools: readonly string[]): Promise<CaseFoldingProxy> {
    let folded = 0;
    const sockets = new Set<net.Socket>();
    const agent = new http.Agent({ keepAlive: true });
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            let body = Buffer.concat(chunks);
            try {
                const request = JSON.parse(body.toString("utf8"));
                if (caseInsensitivePools.includes(request?.UserPoolId) && typeof request.Username === "string") {
                    request.Username = request.Username.toLowerCase();
                    body = Buffer.from(JSON.stringify(request));
                    folded++;
                }
            } catch {
                /* not JSON: forwarded as it is */
            }
            const headers = { ...req.headers, host: `127.0.0.1:${upstreamPort}`, "content-length": String(body.length) };
            const upstream = http.request(
                { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers, agent },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            upstream.on("error", () => res.destroy());
            upstream.end(body);
        });
    });
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    const port = await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
    });
    return {
        endpoint: `http://127.0.0.1:${port}`,
        folded: () => folded,
        async close() {
            const closed = new Promise<void>((resolve) => server.close(() => resolve()));
            for (const socket of sockets) socket.destroy();
            agent.destroy();
            await closed;
        },
    };
}
