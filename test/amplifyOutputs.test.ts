// components/amplifyOutputs.ts against the Amplify library itself: the file type-checks as
// aws-amplify's own `AmplifyOutputs`, and `Amplify.configure()` turns it into the `Auth.Cognito`
// config an app signs in with (ids, password rules, MFA, username sign-in, groups, guests).

import { expect } from "chai";
import { Amplify } from "aws-amplify";
import type { AmplifyOutputs } from "aws-amplify/adapter-core";
import { amplifyOutputs, AmplifyOutputsFile, AmplifyOutputsInput } from "../components/amplifyOutputs";

const created: AmplifyOutputsInput = {
    settings: { userPoolName: "cognito-auth-dev" },
    region: "eu-west-1",
    userPoolId: "eu-west-1_AbC123xyz",
    userPoolClientId: "4mjk2h0c7t0example0clientid",
    identityPoolId: "eu-west-1:1b2c3d4e-0000-4000-8000-123456789abc",
};

/** What Amplify makes of the file, as an app would load it (JSON, then configure). */
function configured(outputs: AmplifyOutputsFile) {
    // Compile-time: the library's own type of amplify_outputs.json accepts the file as it is (with
    // a client id, which only an existing pool without userPoolClientId lacks).
    const typed: AmplifyOutputs = outputs as AmplifyOutputsFile & { auth: { user_pool_client_id: string } };
    Amplify.configure(JSON.parse(JSON.stringify(typed)));
    return Amplify.getConfig().Auth!.Cognito as unknown as Record<string, unknown>;
}

describe("amplify_outputs.json (components/amplifyOutputs.ts)", () => {
    it("a created pool: Amplify.configure takes it and has the ids, password rules, MFA, username sign-in, no guests", () => {
        const outputs = amplifyOutputs(created);
        expect(outputs.version).to.equal("1.5");
        expect(outputs).not.to.have.property("custom");
        const cognito = configured(outputs);
        expect(cognito).to.deep.include({
            userPoolId: created.userPoolId,
            userPoolClientId: created.userPoolClientId,
            identityPoolId: created.identityPoolId,
        });
        expect(cognito.passwordFormat).to.deep.equal({
            minLength: 12,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSpecialCharacters: true,
        });
        expect(cognito.mfa).to.deep.equal({ status: "optional", totpEnabled: true, smsEnabled: false });
        expect(cognito.loginWith).to.deep.equal({ email: false, phone: false, username: true });
        expect(cognito.allowGuestAccess).to.equal(undefined);
        expect(outputs.auth.unauthenticated_identities_enabled).to.equal(false);
        expect(Amplify.getConfig().Auth!.Cognito).not.to.have.property("userPoolEndpoint");
    });

    it("follows the settings: policy, MFA ON and OFF, guests, sign-in factors", () => {
        const on = amplifyOutputs({
            ...created,
            settings: {
                mfa: "ON",
                passwordPolicy: { minimumLength: 16, requireSymbols: false },
                allowUnauthenticatedIdentities: true,
                signInFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
                webAuthn: { relyingPartyId: "auth.example.com" },
            },
        });
        const cognito = configured(on);
        expect(cognito.mfa).to.deep.equal({ status: "on", totpEnabled: true, smsEnabled: false });
        expect(cognito.passwordFormat).to.include({ minLength: 16, requireSpecialCharacters: false, requireNumbers: true });
        expect(cognito.allowGuestAccess).to.equal(true);
        expect(cognito.passwordless).to.deep.include({
            emailOtpEnabled: true,
            webAuthn: { relyingPartyId: "auth.example.com", userVerification: "preferred" },
        });
        const off = amplifyOutputs({ ...created, settings: { mfa: "OFF" } });
        expect(off.auth).to.include({ mfa_configuration: "NONE" });
        expect(configured(off).mfa).to.deep.equal({ status: "off", totpEnabled: false, smsEnabled: false });
    });

    it("lists every group (described or named by a user) with its precedence, lowest first", () => {
        const outputs = amplifyOutputs({
            ...created,
            settings: {
                groups: { readers: { precedence: 5 }, admins: { precedence: 0, description: "x" }, notes: {} },
                users: { alice: { groups: ["editors", "admins"] }, bob: {} },
            },
        });
        expect(outputs.auth.groups).to.deep.equal([
            { admins: { precedence: 0 } },
            { readers: { precedence: 5 } },
            { editors: {} },
            { notes: {} },
        ]);
        expect(configured(outputs).groups).to.deep.equal(outputs.auth.groups);
        expect(amplifyOutputs(created).auth).not.to.have.property("groups");
    });

    it("a client with a secret: says so, and the file holds no secret", () => {
        const outputs = amplifyOutputs({ ...created, settings: { generateClientSecret: true } });
        expect(outputs.custom?.cognito_auth.client_secret).to.match(/has a secret \(generateClientSecret\).*cannot sign in/);
        // The function is never given the secret; nothing in the file looks like one either.
        expect(JSON.stringify(outputs)).not.to.match(/"(client_secret|clientSecret|secret)":\s*"[A-Za-z0-9+/=]{20,}"/);
        expect(configured(outputs).userPoolClientId).to.equal(created.userPoolClientId);
    });

    it("an existing pool: only what is known (region, pool, the client if set, a described policy); says what is missing", () => {
        const bare = amplifyOutputs({ settings: { userPoolId: "us-east-1_Zz9" }, region: "us-east-1", userPoolId: "us-east-1_Zz9" });
        expect(bare.auth).to.deep.equal({ aws_region: "us-east-1", user_pool_id: "us-east-1_Zz9" });
        expect(bare.custom?.cognito_auth.missing).to.deep.equal([
            "user_pool_client_id: set cognito-auth:userPoolClientId to an app client of the pool that has no secret",
        ]);
        const withClient = amplifyOutputs({
            settings: { userPoolId: "us-east-1_Zz9", userPoolClientId: "abc", passwordPolicy: { minimumLength: 10 } },
            region: "us-east-1",
            userPoolId: "us-east-1_Zz9",
            userPoolClientId: "abc",
        });
        expect(withClient).not.to.have.property("custom");
        expect(withClient.auth).to.have.keys("aws_region", "user_pool_id", "user_pool_client_id", "password_policy");
        // Described over Cognito's default policy (8, all four classes).
        expect(withClient.auth.password_policy).to.deep.equal({
            min_length: 10,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            require_uppercase: true,
        });
        expect(configured(withClient)).to.deep.include({ userPoolId: "us-east-1_Zz9", userPoolClientId: "abc" });
    });

    it("carries an emulator's endpoint in custom, where the schema allows it", () => {
        const outputs = amplifyOutputs({ ...created, userPoolEndpoint: "http://127.0.0.1:9229" });
        expect(outputs.custom).to.deep.equal({ cognito_auth: { user_pool_endpoint: "http://127.0.0.1:9229" } });
    });
});
