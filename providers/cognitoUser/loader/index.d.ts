import type * as pulumi from "@pulumi/pulumi";

/** The provider object every CognitoUser shares; it forwards to providers/cognitoUser/plan.ts (check, diff) and provider.ts. */
declare const loader: pulumi.dynamic.ResourceProvider;
export = loader;
