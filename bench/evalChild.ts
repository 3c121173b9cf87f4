import { plain, runProgram } from "../harness/program";
import { benchUsers, userType } from "./evalUsers";

// One program evaluation under mocks with N users, in its own process so that the RSS high-water
// mark belongs to this size alone. Prints one JSON line; the bench parent reads it. No passwords
// are printed (only sizes and times).

(async () => {
    const count = Number(process.argv[2]);
    const started = process.hrtime.bigint();
    const run = await runProgram(benchUsers(count));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const userResources = run.byType(userType);
    const providerBytes = userResources.map((r) => Buffer.byteLength(String(plain(r.inputs.__provider)), "utf8"));
    const distinct = new Set(userResources.map((r) => String(plain(r.inputs.__provider)))).size;
    process.stdout.write(
        JSON.stringify({
            users: count,
            userResources: userResources.length,
            resources: run.resources.length,
            ms,
            maxRssBytes: process.resourceUsage().maxRSS * 1024,
            providerBytesPerUser: Math.max(...providerBytes),
            providerBytesTotal: providerBytes.reduce((a, b) => a + b, 0),
            distinctProviderTexts: distinct,
        }) + "\n",
    );
})().catch((err) => {
    console.error(err);
    process.exit(1);
});
