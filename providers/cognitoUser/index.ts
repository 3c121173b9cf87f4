import type * as pulumi from "@pulumi/pulumi";
import { CustomResource, mergeOptions, secret } from "../../lib/sdk";
import { PasswordRules, cognitoDefaultPasswordRules } from "../rules";

// A Cognito user whose permanent password comes from a Pulumi secret: a dynamic resource whose
// provider is the loader package (./loader). Pulumi stores a dynamic resource's provider in its
// state as `__provider`; for a module under node_modules that is only `require("<package>")`, so
// every user's state holds a few hundred bytes of provider instead of its code, and the
// dynamic-provider host loads the implementation (./provider.ts) from the project when it runs.

// The implementation (./provider.ts, with the AWS SDK) is not imported here: the program only
// declares users; the engine's dynamic-provider host loads the implementation through the loader.
export type { CognitoUserInputs, CognitoUserOutputs } from "./plan";

/** The type token `pulumi.dynamic.Resource` gives module "cognito-auth", type "CognitoUser". */
export const cognitoUserType = "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";

/**
 * The `__provider` text `pulumi.dynamic.Resource` would store for the loader package: what the
 * SDK's closure serializer writes for `() => loader` (test/cognitoUser/resource.test.ts proves it
 * byte for byte). Written out because running the serializer takes about 0.3 s of every command (npm's
 * arborist reads the whole node_modules tree to find the loader's package) to produce this
 * constant; a constant also keeps existing users' state unchanged if a later SDK serializes
 * differently.
 */
export const loaderProviderText = [
    "exports.handler = __f0;",
    'const provider = require("@cognito-auth/user-provider-loader/index.js");',
    "",
    "function __f0() {",
    "  return (function() {",
    "    with({ this: undefined, arguments: undefined }) {",
    "",
    "return () => provider;",
    "",
    "    }",
    "  }).apply(undefined, undefined).apply(this, arguments);",
    "}",
    "",
].join("\n");

/** Arguments of a `CognitoUser`; names follow `aws.cognito.User`. */
export interface CognitoUserArgs {
    /** The user pool's id. Changing it replaces the user. */
    userPoolId: pulumi.Input<string>;
    /** The username. Changing it replaces the user. */
    username: pulumi.Input<string>;
    /** The permanent password; always stored as a secret. */
    password: pulumi.Input<string>;
    /** Cognito attributes, name -> value (e.g. `email`). @default {} */
    attributes?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Whether the user may sign in. @default true */
    enabled?: pulumi.Input<boolean>;
    /** Groups the user belongs to (they must exist in the pool). @default [] */
    groups?: pulumi.Input<pulumi.Input<string>[]>;
    /** The pool's password policy, checked at preview. @default Cognito's default policy */
    passwordPolicy?: pulumi.Input<PasswordRules>;
    /** Manage a user that already exists (e.g. made by hand) instead of failing. @default false */
    adoptExisting?: pulumi.Input<boolean>;
    /**
     * Enrol the user in TOTP (an authenticator app) after its password is set: Cognito makes the
     * secret, kept as the secret output `totpSecret`. Unset: the stack leaves the user's MFA alone,
     * unless it enrolled the user before, in which case it turns TOTP off. @default unset
     */
    mfa?: pulumi.Input<"TOTP">;
    /** Bump to enrol again with a new secret (the old authenticator entry stops working). @default 1 */
    totpGeneration?: pulumi.Input<number>;
    /** The app client the provider signs in through to enrol (USER_PASSWORD_AUTH); needed with `mfa`. */
    clientId?: pulumi.Input<string>;
}

/**
 * A Cognito user in status CONFIRMED with a permanent password from a Pulumi secret. Registered
 * exactly as `pulumi.dynamic.Resource(loader, name, props, opts, "cognito-auth", "CognitoUser")`
 * does (its type token, its props plus `__provider`, its options), without the serializer.
 */
export class CognitoUser extends CustomResource {
    declare public readonly userPoolId: pulumi.Output<string>;
    declare public readonly username: pulumi.Output<string>;
    declare public readonly attributes: pulumi.Output<Record<string, string>>;
    declare public readonly enabled: pulumi.Output<boolean>;
    declare public readonly groups: pulumi.Output<string[]>;
    declare public readonly sub: pulumi.Output<string>;
    declare public readonly status: pulumi.Output<string>;
    /** The TOTP secret Cognito made for the user (a Pulumi secret); only for a user with `mfa`. */
    declare public readonly totpSecret: pulumi.Output<string | undefined>;
    /** The TOTP enrolment the stack made (its generation and the client it signed in through); only for a user with `mfa`. */
    declare public readonly totp: pulumi.Output<{ generation: number; clientId: string } | undefined>;

    constructor(name: string, args: CognitoUserArgs, opts?: pulumi.CustomResourceOptions) {
        // The SDK records a stack trace for every promise it makes (for its promise-leak report),
        // a dozen per property, synchronously in this constructor; mapped through ts-node's source
        // maps, that was two thirds of a preview's time at thousands of users. The traces are
        // dropped here only: resources' source positions are taken with the SDK's own limit.
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        // Only for a user with `mfa`, so a user without it registers exactly what earlier versions did.
        const totp =
            args.mfa === undefined
                ? {}
                : {
                      mfa: args.mfa,
                      totpGeneration: args.totpGeneration ?? 1,
                      clientId: args.clientId,
                      // Outputs only: the secret Cognito makes, and the enrolment.
                      totpSecret: undefined,
                      totp: undefined,
                  };
        try {
            super(
                cognitoUserType,
                name,
                {
                    userPoolId: args.userPoolId,
                    username: args.username,
                    password: secret(args.password),
                    attributes: args.attributes ?? {},
                    enabled: args.enabled ?? true,
                    groups: args.groups ?? [],
                    passwordPolicy: args.passwordPolicy ?? cognitoDefaultPasswordRules,
                    adoptExisting: args.adoptExisting ?? false,
                    // Outputs only (the provider also stores `adopted` and `stateVersion`, read by nothing here).
                    sub: undefined,
                    status: undefined,
                    ...totp,
                    // Last, where dynamic.Resource adds it; a known, non-secret value without dependencies as there.
                    __provider: loaderProviderText,
                },
                mergeOptions(opts, { additionalSecretOutputs: args.mfa === undefined ? ["password"] : ["password", "totpSecret"] }),
            );
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
    }
}
