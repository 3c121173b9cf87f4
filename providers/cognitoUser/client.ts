// Cognito clients for the user provider. Credentials and endpoint come from the AWS SDK's standard
// chain at call time (env, profile, SSO, instance role; AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
// points it at an emulator); region and profile from the stack's `aws:` config when set.

import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { AdaptiveRetryStrategy, DefaultRateLimiter } from "@smithy/core/retry";

// On Node 20 the SDK warns, once per process, that its releases after January 2027 need Node 22.
// The SDK version is pinned to one that supports Node 20 (README: "Node versions"), so in every
// `pulumi up` the warning would only be noise among the diagnostics. A setting made by the user wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Settings from the stack config (`aws:region`, `aws:profile`); they win over the environment. */
export interface ClientSettings {
    region?: string;
    profile?: string;
}

/** Attempts per call, counting the first. Throttling (TooManyRequests) and 5xx are retried. */
const maxAttempts = 10;

/** What all users of one account, region and endpoint share within a process. */
interface Shared {
    /** Owns the connection pool and the resolved credential provider. */
    first: CognitoIdentityProviderClient;
    /** The adaptive mode's token bucket: it learns the account's rate and paces every call. */
    rateLimiter: DefaultRateLimiter;
}

/**
 * Process-wide, keyed by region, profile and endpoint: one connection pool, one credential
 * resolution and one rate limiter for the whole `pulumi up`, however many users it creates.
 */
const shared = new Map<string, Shared>();

/**
 * A client for one provider operation (create, read, update or delete of one user). It shares the
 * connection pool, credentials and rate limiter with every other operation, but has a retry
 * strategy of its own: a strategy's retry budget (500 tokens in the SDK) is spent by every
 * throttled attempt, so with one shared strategy a few hundred throttled users drain it and the
 * SDK then stops retrying altogether.
 */
export function operationClient(settings: ClientSettings): CognitoIdentityProviderClient {
    const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    const endpoint = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? process.env.AWS_ENDPOINT_URL ?? "";
    const key = JSON.stringify([region, settings.profile, endpoint]);
    let common = shared.get(key);
    if (!common) {
        common = {
            first: new CognitoIdentityProviderClient({
                region,
                profile: settings.profile,
                // Fail a hung connection fast enough for the retry strategy to try again.
                requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
            }),
            rateLimiter: new DefaultRateLimiter(),
        };
        shared.set(key, common);
    }
    return new CognitoIdentityProviderClient({
        region,
        credentials: common.first.config.credentials,
        requestHandler: common.first.config.requestHandler,
        retryStrategy: new AdaptiveRetryStrategy(maxAttempts, { rateLimiter: common.rateLimiter }),
    });
}

/** Closes and forgets the shared clients for an endpoint (tests stop emulators between suites). */
export function dropSharedClients(endpoint: string): void {
    for (const [key, common] of shared) {
        if (key.includes(endpoint)) {
            common.first.destroy();
            shared.delete(key);
        }
    }
}
