// components/amplifyOutputs.ts against the Amplify library itself: the file conforms to Amplify's
// JSON schema 1.5 (test/amplifyOutputsSchema.ts), type-checks as aws-amplify's own `AmplifyOutputs`,
// and `Amplify.configure()` turns it into the `Auth.Cognito` config an app signs in with (ids,
// password rules, MFA, username sign-in, groups, guests).

import { expect } from "chai";
import { Amplify } from "aws-amplify";
import type { AmplifyOutputs } from "aws-amplify/adapter-core";
import { amplifyOutputs, AmplifyOutputsFile, AmplifyOutputsInput, amplifyOutputsWarnings } from "../components/amplifyOutputs";
import { schemaErrors } from "./amplifyOutputsSchema";

const created: AmplifyOutputsInput = {
    settings: { userPoolName: "cognito-auth-dev" },
    region: "eu-west-1",
    userPoolId: "eu-west-1_AbC123xyz",
    userPoolClientId: "4mjk2h0c7t0example0clientid",
    identityPoolId: "eu-west-1:1b2c3d4e-0000-4000-8000-123456789abc",
};

/** What Amplify makes of the file, as an app would load it (JSON, then configure). */
function configured(outputs: AmplifyOutputsFile) {
    expect(schemaErrors(outputs), "Amplify's schema 1.5").to.deep.equal([]);
    // Compile-time: the library's own type of amplify_outputs.json accepts the file as it is (with
    // a client id, which an existing pool without userPoolClientId and a client with a secret lack).
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

    it("the schema check itself: a misspelt key, a wrong enum or a missing required key fails", () => {
        const good = amplifyOutputs(created);
        expect(schemaErrors(good)).to.deep.equal([]);
        const misspelt = { ...good, auth: { ...good.auth, usrname_attributes: ["username"] } };
        expect(schemaErrors(misspelt).join("\n")).to.include("additionalProperty").and.include("usrname_attributes");
        const wrongEnum = { ...good, auth: { ...good.auth, mfa_configuration: "ON" } };
        expect(schemaErrors(wrongEnum).join("\n")).to.include("/auth/mfa_configuration must be equal to one of the allowed values");
        expect(schemaErrors({ ...good, version: "1.4" })).to.have.length.greaterThan(0);
        expect(schemaErrors({ ...good, custom: { cognito_auth: { any: "thing" } } })).to.deep.equal([]);
    });

    it("a client with a secret: no client id in the file (no browser can use it), the reason in custom, a warning, no secret", () => {
        const settings = { generateClientSecret: true };
        const outputs = amplifyOutputs({ ...created, settings });
        expect(outputs.auth).not.to.have.property("user_pool_client_id");
        expect(outputs.custom?.cognito_auth.client_secret).to.match(/^user_pool_client_id is left out: the app client has a secret/);
        // Amplify's schema requires a client id: exactly that, and nothing else, is what the file lacks.
        expect(schemaErrors(outputs)).to.deep.equal([
            `/auth must have required property 'user_pool_client_id' {"missingProperty":"user_pool_client_id"}`,
        ]);
        // The function is never given the secret; nothing in the file looks like one either.
        expect(JSON.stringify(outputs)).not.to.match(/"(client_secret|clientSecret|secret)":\s*"[A-Za-z0-9+/=]{20,}"/);
        expect(JSON.stringify(outputs)).not.to.include(created.userPoolClientId);
        expect(amplifyOutputsWarnings(settings)).to.deep.equal([
            "amplifyOutputs has no user_pool_client_id: the app client has a secret (generateClientSecret), which Amplify JS and browsers cannot use; " +
                "set generateClientSecret false for a web or mobile app",
        ]);
    });

    it("warns only where the file cannot sign in: a secret, or an existing pool without userPoolClientId", () => {
        expect(amplifyOutputsWarnings({})).to.deep.equal([]);
        expect(amplifyOutputsWarnings({ generateClientSecret: false, mfa: "ON" })).to.deep.equal([]);
        expect(amplifyOutputsWarnings({ userPoolId: "us-east-1_Zz9", userPoolClientId: "abc" })).to.deep.equal([]);
        expect(amplifyOutputsWarnings({ userPoolId: "us-east-1_Zz9" })).to.deep.equal([
            "amplifyOutputs has no user_pool_client_id, so Amplify cannot sign in with it: " +
                "set cognito-auth:userPoolClientId to an app client of the existing pool that has no secret",
        ]);
    });

    it("an existing pool: only what is known (region, pool, the client if set); without a client it fails the schema, and says so", () => {
        const bare = amplifyOutputs({ settings: { userPoolId: "us-east-1_Zz9" }, region: "us-east-1", userPoolId: "us-east-1_Zz9" });
        expect(bare.auth).to.deep.equal({ aws_region: "us-east-1", user_pool_id: "us-east-1_Zz9" });
        expect(bare.custom?.cognito_auth.missing).to.deep.equal([
            "user_pool_client_id: set cognito-auth:userPoolClientId to an app client of the pool that has no secret",
        ]);
        expect(schemaErrors(bare)).to.deep.equal([
            `/auth must have required property 'user_pool_client_id' {"missingProperty":"user_pool_client_id"}`,
        ]);
        const withClient = amplifyOutputs({
            settings: { userPoolId: "us-east-1_Zz9", userPoolClientId: "abc" },
            region: "us-east-1",
            userPoolId: "us-east-1_Zz9",
            userPoolClientId: "abc",
        });
        expect(withClient).not.to.have.property("custom");
        expect(withClient.auth).to.have.keys("aws_region", "user_pool_id", "user_pool_client_id");
        expect(configured(withClient)).to.deep.include({ userPoolId: "us-east-1_Zz9", userPoolClientId: "abc" });
    });

    it("an existing pool's password policy: given only when config states all five rules, never filled in", () => {
        const pool = { region: "us-east-1", userPoolId: "us-east-1_Zz9", userPoolClientId: "abc" };
        const partial = amplifyOutputs({
            ...pool,
            settings: {
                userPoolId: pool.userPoolId,
                userPoolClientId: "abc",
                passwordPolicy: { minimumLength: 10, requireSymbols: false },
            },
        });
        expect(partial.auth).not.to.have.property("password_policy");
        expect(partial.custom?.cognito_auth.missing).to.deep.equal([
            "password_policy: left out, cognito-auth:passwordPolicy does not give all of minimumLength, requireLowercase, requireUppercase, requireNumbers, requireSymbols of the existing pool",
        ]);
        expect(configured(partial)).not.to.have.property("passwordFormat");
        const full = amplifyOutputs({
            ...pool,
            settings: {
                userPoolId: pool.userPoolId,
                userPoolClientId: "abc",
                passwordPolicy: {
                    minimumLength: 10,
                    requireLowercase: true,
                    requireUppercase: false,
                    requireNumbers: true,
                    requireSymbols: false,
                },
            },
        });
        expect(full.auth.password_policy).to.deep.equal({
            min_length: 10,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: false,
            require_uppercase: false,
        });
        expect(full).not.to.have.property("custom");
        expect(configured(full).passwordFormat).to.deep.equal({
            minLength: 10,
            requireLowercase: true,
            requireUppercase: false,
            requireNumbers: true,
            requireSpecialCharacters: false,
        });
    });

    it("carries an emulator's endpoint in custom, where the schema allows it", () => {
        const outputs = amplifyOutputs({ ...created, userPoolEndpoint: "http://127.0.0.1:9229" });
        expect(outputs.custom).to.deep.equal({ cognito_auth: { user_pool_endpoint: "http://127.0.0.1:9229" } });
        expect(schemaErrors(outputs)).to.deep.equal([]);
    });
});
