// Which processes a run left behind, for the tests that start real ones (`npm run local`).
import * as fs from "fs";
import * as path from "path";
import { commandLine, isRunning } from "../scripts/local/processes";

/** Live processes whose command line or working directory is inside dir (Linux /proc), but for this one. */
export function processesIn(dir: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        if (Number(entry) === process.pid || !isRunning(Number(entry))) continue;
        const cmd = commandLine(Number(entry));
        let cwd = "";
        try {
            cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
        } catch {
            /* gone, or not ours to read */
        }
        if (cmd.includes(dir) || cwd === dir || cwd.startsWith(dir + path.sep)) found.push(`${entry} ${cmd} (cwd ${cwd})`);
    }
    return found;
}
