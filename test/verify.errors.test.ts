// The verify script's error catalogue (scripts/verify/errors.ts), entry by entry with the exact
// reason: mutation testing (docs/mutation-testing.md) found entries that no test reached, and
// others checked only in part.

import { expect } from "chai";
import { awsError, explainChallenge, explainIdentityError, explainSignInError, isDisabledRefusal } from "../scripts/verify/errors";

const error = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("verify script: error catalogue", function () {
    it("awsError: name and message of an Error, a plain object, or anything else", function () {
        expect(awsError(error("X", "m"))).to.deep.equal({ name: "X", message: "m" });
        expect(awsError({})).to.deep.equal({ name: "Error", message: "[object Object]" });
        expect(awsError(undefined)).to.deep.equal({ name: "Error", message: "undefined" });
        expect(awsError(null)).to.deep.equal({ name: "Error", message: "null" });
        expect(awsError("text")).to.deep.equal({ name: "Error", message: "text" });
    });

    it("isDisabledRefusal: only NotAuthorizedException saying the user is disabled, at the start", function () {
        expect(isDisabledRefusal(error("NotAuthorizedException", "User is disabled."))).to.equal(true);
        expect(isDisabledRefusal(error("NotAuthorizedException", "  user is disabled"))).to.equal(true);
        expect(isDisabledRefusal(error("UserNotFoundException", "User is disabled."))).to.equal(false);
        expect(isDisabledRefusal(error("NotAuthorizedException", "Incorrect username or password."))).to.equal(false);
        expect(isDisabledRefusal(error("NotAuthorizedException", "The user is disabled by policy"))).to.equal(false);
        expect(isDisabledRefusal(error("NotAuthorizedException", "x-user is disabled"))).to.equal(false);
        expect(isDisabledRefusal(error("NotAuthorizedException", "User is disabledness"))).to.equal(false);
    });

    describe("explainSignInError", function () {
        const cases: [string, string, boolean, string][] = [
            [
                "NotAuthorizedException",
                "User is disabled.",
                false,
                "user is disabled in the pool; set enabled: true in config and run pulumi up",
            ],
            [
                "NotAuthorizedException",
                "Unable to verify secret hash for client x",
                true,
                "client secret mismatch: the SECRET_HASH was rejected; the clientSecret output does not belong to this app client",
            ],
            [
                "NotAuthorizedException",
                "Client x is configured with secret but SECRET_HASH was not received",
                false,
                "the app client has a secret but the outputs have no clientSecret; export it or use a client without a secret",
            ],
            [
                "NotAuthorizedException",
                "Password attempts exceeded",
                false,
                "too many failed sign-ins: Cognito locked the user out for a while; wait and retry",
            ],
            [
                "NotAuthorizedException",
                "Incorrect username or password.",
                false,
                "wrong password (or no such user in the pool): the password in config differs from the user's; run pulumi up to apply it",
            ],
            ["NotAuthorizedException", "Access denied.", false, "Cognito did not authorize the sign-in"],
            [
                "InvalidPasswordException",
                "x",
                false,
                "wrong password: the password in config differs from the user's; run pulumi up to apply it",
            ],
            ["UserNotFoundException", "x", false, "user does not exist in the pool; run pulumi up to create it"],
            [
                "UserNotConfirmedException",
                "x",
                false,
                "user not confirmed: the user exists but was never confirmed; run pulumi up so the permanent password is set",
            ],
            [
                "PasswordResetRequiredException",
                "x",
                false,
                "password reset required: an administrator reset the user's password; run pulumi up to re-apply it",
            ],
            [
                "InvalidParameterException",
                "USER_PASSWORD_AUTH flow not enabled for this client",
                false,
                "the app client does not allow USER_PASSWORD_AUTH; add ALLOW_USER_PASSWORD_AUTH to its auth flows",
            ],
            ["InvalidParameterException", "Missing required parameter", false, "invalid sign-in request"],
            ["ResourceNotFoundException", "x", false, "the user pool or app client does not exist (wrong stack or region?)"],
            ["TooManyRequestsException", "x", false, "throttled by Cognito; retry in a moment"],
            ["", "x", false, "unrecognised Cognito error"],
            ["InternalErrorException", "x", false, "unrecognised Cognito error"],
        ];
        for (const [name, message, hasSecret, reason] of cases) {
            it(`${name || "(no name)"}: ${message}`, function () {
                expect(explainSignInError(error(name, message), hasSecret)).to.deep.equal({ reason, error: { name, message } });
            });
        }
    });

    describe("explainChallenge", function () {
        for (const challenge of ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "SELECT_MFA_TYPE"]) {
            it(`${challenge}: MFA the script cannot answer`, function () {
                expect(explainChallenge(challenge)).to.deep.equal({
                    reason: `MFA challenge (${challenge}): the user has MFA set up and verify cannot answer it; sign in interactively, or verify with a user without MFA`,
                });
            });
        }
        it("an unknown challenge is named", function () {
            expect(explainChallenge("CUSTOM_CHALLENGE")).to.deep.equal({
                reason: "unexpected challenge CUSTOM_CHALLENGE instead of tokens",
            });
            expect(explainChallenge("")).to.deep.equal({ reason: "unexpected challenge  instead of tokens" });
        });
    });

    describe("explainIdentityError", function () {
        const cases: [string, string, "identity" | "credentials", boolean, string][] = [
            [
                "NotAuthorizedException",
                "Invalid login token. Token is not from a supported provider of this identity pool.",
                "identity",
                false,
                "the identity pool does not accept this user pool's token: its provider must be cognito-idp.<region>.amazonaws.com/<pool id> with this app client id",
            ],
            ["NotAuthorizedException", "Access to Identity is forbidden", "credentials", false, "the identity pool refused the login"],
            ["NotAuthorizedException", "Access to Identity is forbidden", "credentials", true, "the identity pool refused the guest"],
            [
                "NotAuthorizedException",
                "Unauthenticated access is not supported for this identity pool.",
                "identity",
                true,
                "guests are not allowed by the identity pool (allowUnauthenticatedIdentities is false there)",
            ],
            ["ResourceNotFoundException", "x", "identity", false, "the identity pool does not exist (wrong stack or region?)"],
            ["ResourceNotFoundException", "x", "credentials", false, "the identity does not exist (wrong stack or region?)"],
            [
                "ExternalServiceException",
                "x",
                "credentials",
                false,
                "the identity pool could not check the token with the user pool or STS",
            ],
            ["TooManyRequestsException", "x", "identity", false, "throttled by Cognito Identity; retry in a moment"],
            ["LimitExceededException", "x", "identity", false, "throttled by Cognito Identity; retry in a moment"],
            ["", "x", "identity", false, "unrecognised Cognito Identity error"],
            ["InternalErrorException", "x", "identity", false, "unrecognised Cognito Identity error"],
        ];
        for (const [name, message, step, guest, reason] of cases) {
            it(`${name || "(no name)"} at ${step}${guest ? " (guest)" : ""}: ${message}`, function () {
                expect(explainIdentityError(error(name, message), step, guest)).to.deep.equal({ reason, error: { name, message } });
            });
        }
    });
});
