import { plain, runProgram } from "../harness/program";

// One program evaluation under mocks with N users, in its own process so that the RSS high-water
// mark belongs to this size alone. Prints one JSON line; the bench parent reads it. No passwords
// are printed (only sizes and times).

const userType = "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";

(async () => {
    const count = Number(process.argv[2]);
    const users: Record<string, { email: string }> = {};
    const passwords: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
        const name = `user${String(i).padStart(4, "0")}`;
        users[name] = { email: `${name}@example.com` };
        passwords[name] = `Bench-${i}-Pw#2024x`;
    }
    const started = process.hrtime.bigint();
    const run = await runProgram({ users, passwords });
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
