// The user provider's check (`pulumi preview`; providers/cognitoUser/provider.ts): each rule
// flagged on its property, naming the user and never the password, values not known yet left
// alone, the normalized inputs; no call to Cognito (the SDK stubbed by aws-sdk-client-mock,
// harness/mockCognito.ts). The rules themselves, table by table: ../rules.test.ts; the
// passwordRevision counter check derives: plan.test.ts.

import { expect } from "chai";
import { AwsClientStub } from "aws-sdk-client-mock";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserInputs, CognitoUserProvider } from "../../providers/cognitoUser/provider";
import { cognitoDefaultPasswordRules } from "../../providers/rules";
import { expectNoLeak } from "../../harness/leaks";
import { mockedCognito, undefinedPaths } from "../../harness/mockCognito";
import { testPassword as PASSWORD, testPoolId as POOL, unknownValue as UNKNOWN, userInputs as inputs } from "../../harness/users";

describe("check", function () {
    const cognito = mockedCognito();
    let mock: AwsClientStub<CognitoIdentityProviderClient>;
    let provider: CognitoUserProvider;
    beforeEach(() => ({ mock, provider } = cognito));
    const secrets = cognito.secrets;
    const assertNoSecret = (text: string, where: string) => expectNoLeak(text, secrets, where);

    const policy12 = { ...cognitoDefaultPasswordRules, minimumLength: 12 };
    const rows: Array<{ name: string; change: Partial<CognitoUserInputs>; property: string; reason: RegExp; user?: string }> = [
        { name: "empty username", change: { username: "" }, property: "username", reason: /non-empty/, user: "" },
        {
            name: "129-character username",
            change: { username: "u".repeat(129) },
            property: "username",
            reason: /at most 128/,
            user: "u".repeat(129),
        },
        {
            name: "username with a space",
            change: { username: "al ice" },
            property: "username",
            reason: /no spaces or control characters/,
            user: "al ice",
        },
        {
            name: "username with a control character",
            change: { username: "al\u0007ice" },
            property: "username",
            reason: /no spaces or control characters/,
            user: "al\u0007ice",
        },
        {
            name: "missing password",
            change: { password: undefined as unknown as string },
            property: "password",
            reason: /password is required/,
        },
        { name: "empty password", change: { password: "" }, property: "password", reason: /password is required/ },
        {
            name: "password shorter than the policy's minimumLength",
            change: { password: "Sh0rt#Pass1", passwordPolicy: policy12 },
            property: "password",
            reason: /at least 12 characters/,
        },
        {
            name: "password without a lowercase letter",
            change: { password: "NOLOWER#1234" },
            property: "password",
            reason: /lowercase/,
        },
        {
            name: "password without an uppercase letter",
            change: { password: "noupper#1234" },
            property: "password",
            reason: /uppercase/,
        },
        { name: "password without a number", change: { password: "NoNumber#abcd" }, property: "password", reason: /number/ },
        { name: "password without a symbol", change: { password: "NoSymbol1234" }, property: "password", reason: /symbol/ },
        {
            name: "password with leading whitespace",
            change: { password: " Lead#1234ab" },
            property: "password",
            reason: /begin or end with/,
        },
        {
            name: "password with trailing whitespace",
            change: { password: "Trail#1234ab " },
            property: "password",
            reason: /begin or end with/,
        },
        {
            name: "password over 256 characters",
            change: { password: "Aa1#" + "x".repeat(253) },
            property: "password",
            reason: /at most 256/,
        },
        {
            name: "bad email",
            change: { attributes: { email: "not-an-email" } },
            property: "attributes",
            reason: /"email" is not a valid email/,
        },
        {
            name: "bad phone_number",
            change: { attributes: { phone_number: "0312345678" } },
            property: "attributes",
            reason: /phone_number.*E\.164/,
        },
        {
            name: "unknown attribute",
            change: { attributes: { favourite_colour: "blue" } },
            property: "attributes",
            reason: /favourite_colour.*not a Cognito standard attribute/,
        },
        {
            name: "non-boolean enabled",
            change: { enabled: "yes" as unknown as boolean },
            property: "enabled",
            reason: /enabled must be true or false/,
        },
        { name: "bad group name", change: { groups: ["bad group"] }, property: "groups", reason: /group "bad group"/ },
    ];
    for (const row of rows) {
        it(`flags ${row.name}`, async () => {
            if (typeof row.change.password === "string" && row.change.password) secrets.add(row.change.password);
            const result = await provider.check!(inputs(), inputs(row.change));
            const failures = result.failures ?? [];
            expect(failures.length, "expected a failure").to.be.above(0);
            expect(failures.map((f) => f.property)).to.satisfy(
                (ps: string[]) => ps.every((p) => p === row.property),
                `only ${row.property} should fail: ${JSON.stringify(failures)}`,
            );
            expect(
                failures.some((f) => row.reason.test(f.reason)),
                JSON.stringify(failures),
            ).to.equal(true);
            for (const f of failures) {
                expect(f.reason).to.include(`Cognito user "${row.user ?? "alice"}"`);
                assertNoSecret(f.reason, "check failure reason");
            }
            expect(mock.calls()).to.have.length(0);
        });
    }

    it("flags a password that breaks the policy without ever quoting it", async () => {
        const weak = "weakpassword";
        secrets.add(weak);
        const result = await provider.check!(inputs(), inputs({ password: weak }));
        expect(result.failures!.length).to.be.greaterThan(1);
        for (const f of result.failures!) assertNoSecret(f.reason, "check failure reason");
    });

    it("accepts a password meeting a relaxed policy", async () => {
        const relaxed = {
            minimumLength: 6,
            requireLowercase: true,
            requireUppercase: false,
            requireNumbers: false,
            requireSymbols: false,
        };
        const result = await provider.check!(inputs(), inputs({ password: "simple", passwordPolicy: relaxed }));
        expect(result.failures).to.deep.equal([]);
    });

    it("does not flag unknown values (preview)", async () => {
        const result = await provider.check!(
            {} as CognitoUserInputs,
            {
                userPoolId: UNKNOWN,
                username: UNKNOWN,
                password: UNKNOWN,
                attributes: UNKNOWN,
                enabled: UNKNOWN,
                groups: UNKNOWN,
                passwordPolicy: UNKNOWN,
                adoptExisting: UNKNOWN,
            } as unknown as CognitoUserInputs,
        );
        expect(result.failures).to.deep.equal([]);
    });

    it("does not flag an unknown pool id or password alone", async () => {
        const result = await provider.check!({} as CognitoUserInputs, inputs({ userPoolId: UNKNOWN, password: UNKNOWN }));
        expect(result.failures).to.deep.equal([]);
        expect(result.inputs!.userPoolId).to.equal(UNKNOWN);
    });

    // An unknown attribute *value* (e.g. an email from another resource's output during
    // preview) must not be validated as if it were the value.
    it("does not flag unknown attribute values or group names (preview)", async () => {
        const result = await provider.check!(
            {} as CognitoUserInputs,
            inputs({
                attributes: { email: UNKNOWN, email_verified: UNKNOWN, phone_number: UNKNOWN },
                groups: [UNKNOWN],
            }),
        );
        expect(result.failures).to.deep.equal([]);
    });

    // Spreading an unknown (string) attributes map / group list would turn it into
    // per-character entries, and the preview would show bogus attributes and groups.
    it("passes whole unknown attributes and groups through unchanged (preview)", async () => {
        const result = await provider.check!(
            {} as CognitoUserInputs,
            inputs({
                attributes: UNKNOWN as unknown as Record<string, string>,
                groups: UNKNOWN as unknown as string[],
            }),
        );
        expect(result.inputs!.attributes).to.equal(UNKNOWN);
        expect(result.inputs!.groups).to.equal(UNKNOWN);
    });

    it("a valid input gives no failures and normalized inputs (a new user: passwordRevision 1)", async () => {
        const news = {
            userPoolId: POOL,
            username: "alice",
            password: PASSWORD,
            attributes: { email: "alice@example.com", email_verified: "true", "custom:team": "blue" },
            groups: ["editors", "admins", "editors"],
        } as unknown as CognitoUserInputs;
        const result = await provider.check!({} as CognitoUserInputs, news);
        expect(result.failures).to.deep.equal([]);
        expect(result.inputs).to.deep.equal({
            userPoolId: POOL,
            username: "alice",
            password: PASSWORD,
            attributes: { email: "alice@example.com", email_verified: "true", "custom:team": "blue" },
            enabled: true,
            groups: ["admins", "editors"],
            passwordPolicy: cognitoDefaultPasswordRules,
            adoptExisting: false,
            passwordRevision: 1,
        });
        expect(undefinedPaths(result.inputs)).to.deep.equal([]);
        expect(mock.calls()).to.have.length(0);
    });

    it("check names a user whose username is not known yet as <unknown>", async function () {
        const result = await provider.check!({} as never, inputs({ username: UNKNOWN, password: "short" }));
        expect(result.failures!.map((f) => f.reason)).to.deep.equal([
            'Cognito user "<unknown>": password must be at least 8 characters long',
            'Cognito user "<unknown>": password must contain an uppercase letter (A-Z)',
            'Cognito user "<unknown>": password must contain a number (0-9)',
            `Cognito user "<unknown>": password must contain a symbol, one of ^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+-`,
        ]);
    });
});
