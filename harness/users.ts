import { CognitoUserInputs, CognitoUserOutputs } from "../providers/cognitoUser/plan";
import { cognitoDefaultPasswordRules } from "../providers/rules";

// The one user fixture of the provider tests: the inputs the program gives a CognitoUser and the
// outputs the provider stores for it, with every field set, to override field by field. And the
// value the engine sends for an input that is not known yet.

/**
 * What the Pulumi engine puts on the wire for a value not known until apply (a new pool's id
 * during preview). Written out here, not imported from the provider, so the tests check the
 * provider's copy of it.
 */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The type token of the CognitoUser dynamic resource, as the engine registers it. */
export const userType = "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";

/** A user-pool id in the form Cognito gives them (nothing is sent to it in unit tests). */
export const testPoolId = "eu-west-1_AbCdEf123";
/** A password that meets Cognito's default policy. */
export const testPassword = "Corr3ct#Horse-Battery";
/** A password with characters that JSON and URL encoding change (space, slash, plus, é), for redaction tests. */
export const encodedFormsPassword = "Corr3ct#Horse Battery/+é";
/** The `sub` attribute Cognito gave the fixture user. */
export const testSub = "5f1c3b1e-0000-4000-8000-00000000a11c";

/** The password policy of a pool the component creates (its default), as it reaches each user. */
export const componentPasswordPolicy = {
    minimumLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
};

/** The inputs of user "alice" in `testPoolId`, Cognito's default password policy, adoption off. */
export function userInputs(over: Partial<CognitoUserInputs> = {}): CognitoUserInputs {
    return {
        userPoolId: testPoolId,
        username: "alice",
        password: testPassword,
        attributes: { email: "alice@example.com", email_verified: "true" },
        enabled: true,
        groups: [],
        passwordPolicy: { ...cognitoDefaultPasswordRules },
        adoptExisting: false,
        ...over,
    };
}

/** The outputs stored for `userInputs()` once created (state version 2, CONFIRMED, not adopted). */
export function userOutputs(over: Partial<CognitoUserOutputs> = {}): CognitoUserOutputs {
    const { passwordPolicy: _policy, adoptExisting: _adopt, ...stored } = userInputs();
    return { ...stored, sub: testSub, status: "CONFIRMED", adopted: false, stateVersion: 2, ...over };
}
