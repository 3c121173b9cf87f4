import { isSkipped, mib, ratio, seconds, Skipped } from "./common";
import { EvalRow } from "./evaluation";

// Part (a)'s peer rows (issue 17): the same users declared as the bridged `aws.cognito.User`
// (./peerProgram.ts) under the same mocks, each size right after cognito-auth's own evaluation,
// and the two as ratios.

export const peerSizes = [1000, 10_000];

/** A peer evaluation, or why one size of it could not be measured. */
export type PeerRow = EvalRow | (Skipped & { users: number });

export function renderPeer(evaluations: EvalRow[], peer: PeerRow[] | Skipped | undefined): string[] {
    const lines = [
        "Peer: the same users declared as `aws.cognito.User` (the bridged resource; bench/peerProgram.ts: one user pool, each",
        "user's pool id, username, email and password, a secret, from the same config), under the same mocks, each size right",
        "after cognito-auth's row above; ratios = cognito-auth / peer (child CPU does not grow with the machine's load, wall time does):",
        "",
    ];
    if (!peer) return [...lines, "peer: not measured in this run"];
    if (isSkipped(peer)) return [...lines, `peer: ${peer.skipped}`];
    lines.push(
        "| users | peer resources | peer evaluation | peer child CPU | peer peak RSS | cognito-auth evaluation | cognito-auth child CPU | cognito-auth peak RSS | time ratio | child CPU ratio | peak RSS ratio | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const row of peer) {
        const ours = evaluations.find((e) => e.users === row.users);
        const users = row.users.toLocaleString("en-US");
        if (isSkipped(row)) {
            lines.push(`| ${users} | ${row.skipped} | - | - | - | - | - | - | - | - | - | - |`);
            continue;
        }
        lines.push(
            `| ${[
                users,
                row.resources.toLocaleString("en-US"),
                seconds(row.ms),
                seconds(row.cpuMs),
                mib(row.maxRssBytes),
                ours ? seconds(ours.ms) : "-",
                ours ? seconds(ours.cpuMs) : "-",
                ours ? mib(ours.maxRssBytes) : "-",
                ours ? ratio(ours.ms / row.ms) : "-",
                ours ? ratio(ours.cpuMs / row.cpuMs) : "-",
                ours ? ratio(ours.maxRssBytes / row.maxRssBytes) : "-",
                row.load1.toFixed(1),
            ].join(" | ")} |`,
        );
    }
    return lines;
}
