// `npm run local -- --web`: examples/web-sign-in bundled with esbuild into .local/web/ and served
// on a free 127.0.0.1 port, with /amplify_outputs.json read from .local/ at each request. The
// server and its connections do not keep the process alive: it ends with the run.

import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { host } from "../../harness/ports";
import { LocalPaths } from "./paths";

export interface WebServer {
    url: string;
    close(): Promise<void>;
}

/** The bundle of the example page (its script and its HTML) into `outDir`. */
export async function buildWebSignIn(root: string, outDir: string): Promise<void> {
    const esbuild = require("esbuild") as typeof import("esbuild");
    const source = path.join(root, "examples", "web-sign-in");
    await esbuild.build({
        entryPoints: [path.join(source, "main.ts")],
        outfile: path.join(outDir, "main.js"),
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        minify: true,
        logLevel: "silent",
    });
    fs.copyFileSync(path.join(source, "index.html"), path.join(outDir, "index.html"));
}

const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json" };

export async function serveWebSignIn(paths: LocalPaths, outputsFile: string): Promise<WebServer> {
    const outDir = path.join(paths.dir, "web");
    fs.mkdirSync(outDir, { recursive: true });
    await buildWebSignIn(paths.root, outDir);
    const files: Record<string, string> = {
        "/": path.join(outDir, "index.html"),
        "/index.html": path.join(outDir, "index.html"),
        "/main.js": path.join(outDir, "main.js"),
        "/amplify_outputs.json": outputsFile,
    };
    const server = http.createServer((req, res) => {
        const file = files[new URL(req.url ?? "/", "http://x").pathname];
        if (req.method !== "GET" || file === undefined) {
            res.writeHead(404).end();
            return;
        }
        fs.readFile(file, (err, body) => {
            if (err) res.writeHead(500).end();
            else res.writeHead(200, { "content-type": types[path.extname(file)] ?? "text/html", "cache-control": "no-store" }).end(body);
        });
    });
    server.on("connection", (socket: net.Socket) => socket.unref());
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => resolve());
    });
    server.unref();
    const { port } = server.address() as net.AddressInfo;
    return {
        url: `http://${host}:${port}/`,
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
