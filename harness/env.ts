// The one way a test changes process.env: withEnv sets (or, given undefined, unsets) variables and
// returns the function that puts the caller's values back. dummyAwsEnv is the AWS settings a
// provider test runs with, for the `describe` it is called in: every AWS variable that could reach
// the SDK from the caller's environment is cleared, a region and dummy credentials are set.

/** Sets each variable (undefined: removes it); the returned function restores the values from before. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
    const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
    for (const [key, value] of Object.entries(vars)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
    return () => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
    };
}

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

/** For the enclosing `describe`: no AWS setting of the caller's, region eu-west-1 and dummy credentials. */
export function dummyAwsEnv(): void {
    let restore: () => void = () => undefined;
    before(() => {
        restore = withEnv({
            ...Object.fromEntries(awsKeys.map((key) => [key, undefined])),
            AWS_REGION: "eu-west-1",
            AWS_ACCESS_KEY_ID: "AKIDUNITTESTDUMMY",
            AWS_SECRET_ACCESS_KEY: "unit-test-dummy-secret",
        });
    });
    after(() => restore());
}
