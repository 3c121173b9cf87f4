import * as path from "path";
import { isSecretValue, runProgram } from "../harness/program";
import { benchUsers, peerUserType } from "./evalUsers";

// The peer of bench/evalChild.ts: the same N users, declared as `aws.cognito.User` by
// ./peerProgram.ts, under the same mocks, in a process of its own. Prints one JSON line with the
// fields evalChild prints (the provider fields are zero: a bridged resource stores none).

(async () => {
    const count = Number(process.argv[2]);
    const started = process.hrtime.bigint();
    const run = await runProgram(benchUsers(count), { programPath: path.join(__dirname, "peerProgram.ts") });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const users = run.byType(peerUserType);
    // A fair peer sends every password as a secret, as cognito-auth does.
    if (users.length !== count || !users.every((r) => isSecretValue(r.inputs.password)))
        throw new Error(`the peer declared ${users.length} of ${count} users, or sent a password that is not a secret`);
    process.stdout.write(
        JSON.stringify({
            users: count,
            userResources: users.length,
            resources: run.resources.length,
            ms,
            maxRssBytes: process.resourceUsage().maxRSS * 1024,
            providerBytesPerUser: 0,
            providerBytesTotal: 0,
            distinctProviderTexts: 0,
        }) + "\n",
    );
})().catch((err) => {
    console.error(err);
    process.exit(1);
});
