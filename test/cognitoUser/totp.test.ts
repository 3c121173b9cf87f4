// TOTP enrolment of the user provider (providers/cognitoUser/totp.ts) and the code and URI
// helper it shares with verify and `npm run local` (lib/totp.ts).

import { expect } from "chai";
import { msLeftInStep, otpauthUri, totpCode } from "../../lib/totp";

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
