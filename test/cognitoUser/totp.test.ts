// TOTP enrolment of the user provider (providers/cognitoUser/totp.ts) and the code and URI
// helper it shares with verify and `npm run local` (lib/totp.ts).

import { expect } from "chai";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { msLeftInStep, otpauthUri, totpCode } from "../../lib/totp";
import { CognitoUserInputs, CognitoUserOutputs, checkUser, diffUser, totpNotice } from "../../providers/cognitoUser/plan";
import { createCognitoUserProvider } from "../../providers/cognitoUser/provider";
import { mockedCognito } from "../../harness/mockCognito";
import { testPoolId as POOL, testSub as SUB, userInputs, userOutputs } from "../../harness/users";

describe("lib/totp", function () {
    // RFC 6238 appendix B: the SHA-1 key "12345678901234567890" (base32 below), 8-digit codes
    // 94287082 at 59 s and 07081804 at 1111111109 s; Cognito uses their last 6 digits.
    const rfcKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    it("gives RFC 6238's SHA-1 codes, 6 digits", function () {
        expect(totpCode(rfcKey, new Date(59_000))).to.equal("287082");
        expect(totpCode(rfcKey, new Date(1_111_111_109_000))).to.equal("081804");
    });
    it("changes every 30 seconds", function () {
        expect(totpCode(rfcKey, new Date(60_000))).to.not.equal(totpCode(rfcKey, new Date(59_000)));
        expect(totpCode(rfcKey, new Date(30_000))).to.equal(totpCode(rfcKey, new Date(59_999)));
        expect(msLeftInStep(new Date(59_000))).to.equal(1_000);
    });
    it("makes an otpauth:// URI labelled <issuer>:<account>", function () {
        const uri = new URL(otpauthUri(rfcKey, "my pool", "alice@example.com"));
        expect(uri.protocol).to.equal("otpauth:");
        expect(uri.host).to.equal("totp");
        expect(decodeURIComponent(uri.pathname)).to.equal("/my pool:alice@example.com");
        expect(uri.searchParams.get("issuer")).to.equal("my pool");
        expect(uri.searchParams.get("secret")).to.equal(rfcKey);
        expect(uri.searchParams.get("digits")).to.equal("6");
        expect(uri.searchParams.get("period")).to.equal("30");
    });
});

describe("TOTP in check, diff and read", function () {
    const CLIENT = "client0123456789abcdefghij";
    const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const withMfa = (over: Partial<CognitoUserInputs> = {}) => userInputs({ mfa: "TOTP", totpGeneration: 1, clientId: CLIENT, ...over });
    const enrolled = (over: Partial<CognitoUserOutputs> = {}) =>
        userOutputs({ totpSecret: SECRET, totp: { generation: 1, clientId: CLIENT }, ...over });

    describe("check", () => {
        const failures = (news: CognitoUserInputs) => checkUser(news, {}).failures.map((f) => f.reason);
        it("takes mfa TOTP with a client, and defaults totpGeneration to 1", () => {
            const { inputs, failures: none } = checkUser(withMfa({ totpGeneration: undefined }), {});
            expect(none).to.deep.equal([]);
            expect(inputs).to.include({ mfa: "TOTP", totpGeneration: 1, clientId: CLIENT });
        });
        it("leaves a user without mfa with no TOTP inputs at all (existing users' inputs unchanged)", () => {
            const { inputs } = checkUser(userInputs(), {});
            for (const key of ["mfa", "totpGeneration", "clientId"]) expect(inputs).to.not.have.property(key);
        });
        it("refuses another mfa, a bad generation, no client, and a disabled user, each naming the user and the rule", () => {
            expect(failures(withMfa({ mfa: "SMS" as "TOTP" }))).to.deep.equal([
                'Cognito user "alice": mfa must be "TOTP" (the only kind the stack enrols), not "SMS"',
            ]);
            expect(failures(withMfa({ totpGeneration: 0 }))).to.deep.equal([
                'Cognito user "alice": totpGeneration must be a whole number of at least 1, not 0',
            ]);
            expect(failures(withMfa({ clientId: undefined }))[0]).to.include("mfa TOTP needs the app client to sign in through");
            expect(failures(withMfa({ enabled: false }))[0]).to.include("a disabled user cannot sign in to enrol");
        });
    });

    describe("diff", () => {
        it("a new generation, mfa added, mfa removed and a lost enrolment are changes, each with its reason and no secret", () => {
            const cases: [Partial<CognitoUserOutputs>, CognitoUserInputs, string][] = [
                [userOutputs(), withMfa(), "enrols TOTP (new secret)"],
                [enrolled(), withMfa({ totpGeneration: 2 }), "re-enrols TOTP (new secret): totpGeneration 1 -> 2"],
                [enrolled(), userInputs(), "turns TOTP off (mfa removed)"],
                [
                    enrolled({ totp: undefined }),
                    withMfa(),
                    "re-enrols TOTP (new secret): Cognito no longer has the enrolment this stack made (removed or reset outside Pulumi, or left half-made)",
                ],
            ];
            for (const [olds, news, reason] of cases) {
                const d = diffUser(olds, news);
                expect(d, reason).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false, totpReason: reason });
                expect(totpNotice(news, reason)).to.equal(`cognito-auth: Cognito user "alice": ${reason}`).and.not.include(SECRET);
            }
        });
        it("a replace (username or pool) of a user with mfa says it enrols a new secret; without mfa, no TOTP reason", () => {
            expect(diffUser(enrolled(), withMfa({ username: "bob" }))).to.deep.equal({
                changes: true,
                replaces: ["username"],
                deleteBeforeReplace: false,
                totpReason: "enrols TOTP (new secret): the user is replaced (username changed), and the new one gets its own secret",
            });
            expect(diffUser(enrolled(), withMfa({ userPoolId: "eu-west-1_Other1234" })).totpReason).to.equal(
                "enrols TOTP (new secret): the user is replaced (userPoolId changed), and the new one gets its own secret",
            );
            expect(diffUser(userOutputs(), userInputs({ username: "bob" }))).to.not.have.property("totpReason");
        });
        it("an enrolled user at its generation, and a user the stack never enrolled without mfa: no change", () => {
            expect(diffUser(enrolled(), withMfa())).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
            expect(diffUser(userOutputs(), userInputs())).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
        });
        it("a create has no diff: the provider's check says it enrols, and only for a create", async () => {
            const lines: string[] = [];
            const saved = console.error;
            console.error = (line: string) => lines.push(line);
            try {
                const provider = createCognitoUserProvider();
                await provider.check!({} as CognitoUserInputs, withMfa());
                await provider.check!(withMfa(), withMfa());
                await provider.check!({} as CognitoUserInputs, userInputs());
            } finally {
                console.error = saved;
            }
            expect(lines).to.deep.equal(['cognito-auth: Cognito user "alice": enrols TOTP (new secret)']);
        });
        it("the provider's diff prints the reason on stderr", async () => {
            const lines: string[] = [];
            const saved = console.error;
            console.error = (line: string) => lines.push(line);
            try {
                await createCognitoUserProvider().diff!(`${POOL}/alice`, enrolled(), withMfa({ totpGeneration: 3 }));
            } finally {
                console.error = saved;
            }
            expect(lines).to.deep.equal(['cognito-auth: Cognito user "alice": re-enrols TOTP (new secret): totpGeneration 1 -> 3']);
        });
    });

    describe("read (mocked Cognito)", () => {
        const cognito = mockedCognito();
        cognito.secrets.add(SECRET);
        const found = (list?: string[]) =>
            cognito.mock.on(AdminGetUserCommand).resolves({
                Username: "alice",
                Enabled: true,
                UserStatus: "CONFIRMED",
                UserAttributes: [
                    { Name: "sub", Value: SUB },
                    { Name: "email", Value: "alice@example.com" },
                    { Name: "email_verified", Value: "true" },
                ],
                UserMFASettingList: list,
            });
        it("keeps the enrolment while Cognito lists SOFTWARE_TOKEN_MFA", async () => {
            found(["SOFTWARE_TOKEN_MFA"]);
            const { props } = await cognito.provider.read!(`${POOL}/alice`, enrolled());
            expect(props).to.deep.equal(enrolled());
            expect(cognito.stderr).to.deep.equal([]);
        });
        it("a user whose TOTP was removed outside Pulumi reads as not enrolled (secret and client kept), and says the next up re-enrols", async () => {
            found([]);
            const { props } = await cognito.provider.read!(`${POOL}/alice`, enrolled());
            const { totp: _lost, ...notEnrolled } = enrolled();
            expect(props).to.deep.equal({ ...notEnrolled, totpClientId: CLIENT });
            expect(cognito.stderr).to.deep.equal([
                `cognito-auth: Cognito user "alice" in user pool ${POOL} no longer has the TOTP this stack enrolled (SOFTWARE_TOKEN_MFA is not in ` +
                    "its MFA settings): removed or reset outside Pulumi. The next `pulumi up` re-enrols TOTP (new secret).",
            ]);
        });
        it("a user without TOTP state reads without TOTP outputs, whatever its MFA", async () => {
            found(["SOFTWARE_TOKEN_MFA"]);
            const { props } = await cognito.provider.read!(`${POOL}/alice`, userOutputs());
            expect(props).to.deep.equal(userOutputs());
        });
    });
});
