// Loopback ports: one free to start a server on, and whether one is taken. Used by the tests,
// the bench and `npm run local` (nothing test-only is imported here).
import * as net from "net";

export const host = "127.0.0.1";

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, host, () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Whether something already listens on 127.0.0.1:port (tried by listening there ourselves). */
export function portInUse(port: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", (err: NodeJS.ErrnoException) => {
            if (err.code === "EADDRINUSE" || err.code === "EACCES") resolve(true);
            else reject(err);
        });
        server.listen(port, host, () => server.close(() => resolve(false)));
    });
}
