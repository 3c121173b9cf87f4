// The README's examples of what the tools print are the tools' own output: each example block is
// compared with what the code renders for the same inputs, so the docs cannot drift from it.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { VerifyInputs } from "../scripts/verify/inputs";
import { Outcome } from "../scripts/verify/outcome";
import { formatReport, summary } from "../scripts/verify/render";

const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

/** The first fenced block after the line that contains `marker`. */
function blockAfter(marker: string): string {
    const at = readme.indexOf(marker);
    expect(at, `README has no line with "${marker}"`).to.be.greaterThan(-1);
    const open = readme.indexOf("```\n", at) + 4;
    return readme.slice(open, readme.indexOf("```\n", open));
}

describe("README examples match what the tools print", function () {
    it("verify: the stack lines, the table, the failure line and the closing line, as printed", function () {
        const inputs: VerifyInputs = {
            region: "ap-northeast-1",
            userPoolId: "ap-northeast-1_AbC123xyz",
            clientId: "4f2k1h9q8s7r6t5u3v2w1x0y9z",
            identityPoolId: "ap-northeast-1:5b9f0c2e-7d41-4a3b-8c6e-2f1d0e9a8b7c",
            authenticatedRoleArn: "arn:aws:iam::123456789012:role/cognito-auth-authenticated-1a2b3c4",
            unauthenticatedRoleArn: "arn:aws:iam::123456789012:role/cognito-auth-unauthenticated-5d6e7f8",
            users: [],
        };
        const outcomes: Outcome[] = [
            {
                user: "johndoe",
                signIn: "ok",
                identityId: "ap-northeast-1:3f0c6d2e-1b7a-4c55-9e61-0a8d7b2c4f10",
                credentials: { role: "authenticated", expiration: new Date("2026-11-26T08:04:05.000Z") },
            },
            {
                user: "alice",
                failure: {
                    step: "sign-in",
                    reason: "wrong password (or no such user in the pool): the password in config differs from the user's; run pulumi up to apply it",
                    error: { name: "NotAuthorizedException", message: "Incorrect username or password." },
                },
            },
            {
                signIn: "not-applicable",
                identityId: "ap-northeast-1:9a1e2b3c-4d5e-4f60-8a7b-6c5d4e3f2a10",
                credentials: { role: "unauthenticated", expiration: new Date("2026-11-26T08:04:06.000Z") },
            },
        ];
        const printed = `${formatReport(inputs, outcomes)}\n${summary(outcomes).line}\n`;
        expect(blockAfter("this example is the renderer's own output")).to.equal(printed);
    });
});
