// The AWS settings a provider test runs with, for the `describe` it is called in: every AWS
// variable that could reach the SDK from the caller's environment is cleared, a region and dummy
// credentials are set, and the caller's values are put back afterwards.

const awsKeys = [
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
];

export function dummyAwsEnv(): void {
    let saved: Record<string, string | undefined> = {};
    before(() => {
        saved = Object.fromEntries(awsKeys.map((k) => [k, process.env[k]]));
        for (const k of awsKeys) delete process.env[k];
        process.env.AWS_REGION = "eu-west-1";
        process.env.AWS_ACCESS_KEY_ID = "AKIDUNITTESTDUMMY";
        process.env.AWS_SECRET_ACCESS_KEY = "unit-test-dummy-secret";
    });
    after(() => {
        for (const k of awsKeys) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });
}
