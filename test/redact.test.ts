// lib/redact.ts, the one redaction of the provider, verify and `npm run local`: each form a
// service, library or log may echo a secret in, for secrets made of the characters encoders
// change (quotes, backslashes, non-ASCII, emoji, `%`, `+`, spaces).

import { expect } from "chai";
import { redact, redactor } from "../lib/redact";
import { Redactor } from "../scripts/local/output";
import { formatReport } from "../scripts/verify/render";
import { describe as describeError } from "../providers/cognitoUser/errors";
import { verifyInputs } from "./verify.fixtures";

const passwords = [
    `Qu"ote's-Pass1`,
    "Back\\slash\\\\Pass1",
    "Jöhn-Pässwörd1ß",
    "Emoji😀-Pass1🔑",
    "100%-Sure+Plus1",
    "with spaces and/slash 1",
    `All "of" 'it' \\ é 😀 % + / & <>`,
];

const units = (s: string, pick: (c: string) => boolean, upper = false) =>
    [...s]
        .map((c) =>
            pick(c)
                ? [...Array(c.length).keys()]
                      .map((i) => c.charCodeAt(i).toString(16).padStart(4, "0"))
                      .map((h) => `\\u${upper ? h.toUpperCase() : h}`)
                      .join("")
                : c,
        )
        .join("");
const json = (s: string) => JSON.stringify(s).slice(1, -1);

/** Each encoding, as a real encoder writes it. */
const encodings: [string, (s: string) => string][] = [
    ["as it is", (s) => s],
    ["upper-cased", (s) => s.toUpperCase()],
    ["lower-cased", (s) => s.toLowerCase()],
    ["in decomposed Unicode (NFD)", (s) => s.normalize("NFD")],
    ["JSON-escaped", json],
    ["JSON-escaped with `\\/`", (s) => json(s).replace(/\//g, "\\/")],
    // Python's json.dumps (ensure_ascii): non-ASCII as \uXXXX, lower-case hex.
    ["JSON with non-ASCII as \\uXXXX (Python)", (s) => units(json(s), (c) => c.codePointAt(0)! > 0x7e)],
    ["JSON with every character as \\uXXXX, upper-case hex", (s) => units(s, () => true, true)],
    ["JSON inside a JSON string", (s) => json(json(s))],
    ["JSON (non-ASCII escaped) inside a JSON string", (s) => json(units(json(s), (c) => c.codePointAt(0)! > 0x7e))],
    ["URL-encoded (encodeURIComponent)", encodeURIComponent],
    ["URL-encoded, lower-case hex", (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ["form-encoded (URLSearchParams)", (s) => new URLSearchParams({ p: s }).toString().slice(2)],
    ["form-encoded, every byte as %XX", (s) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16)}`).join("")],
    ["escape() (Latin-1 %XX, %uXXXX)", (s) => escape(s)],
    ["HTML, decimal entities", (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join("")],
    ["HTML, hex entities", (s) => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join("")],
    [
        "HTML, named entities",
        (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
    ],
];

describe("lib/redact.ts: one redaction for provider, verify and local", () => {
    for (const [name, encode] of encodings) {
        it(`cuts each password ${name}, whole`, () => {
            for (const password of passwords) {
                const form = encode(password);
                expect(redact(`before <${form}> after`, ["other-secret", password]), JSON.stringify(password)).to.equal(
                    "before <[secret]> after",
                );
            }
        });
    }

    it("cuts every secret given, and nothing else", () => {
        expect(redact("old=Old#Pass1 new=New#Pass2 user=alice", ["New#Pass2", undefined, "", "Old#Pass1"])).to.equal(
            "old=[secret] new=[secret] user=alice",
        );
        expect(redact("nothing to cut", [])).to.equal("nothing to cut");
        expect(redact("nothing to cut", [undefined, ""])).to.equal("nothing to cut");
    });

    it("cuts a secret that contains or starts with another whole, whatever their order", () => {
        for (const secrets of [
            ["abcd", "abcdefgh"],
            ["abcdefgh", "abcd"],
        ]) {
            expect(redact("x abcdefgh y abcd z", secrets), secrets.join(",")).to.equal("x [secret] y [secret] z");
        }
        expect(redact("x abcdefgh y cdef z", ["cdef", "abcdefgh"])).to.equal("x [secret] y [secret] z");
        expect(redact("sent 100%25 and 100%", ["100%"])).to.equal("sent [secret] and [secret]");
    });

    it("treats regular-expression characters literally", () => {
        expect(redact("a.b*c a-b-c axb*c", ["a.b*c"])).to.equal("[secret] a-b-c axb*c");
        expect(redact("(x)|[y]{2}^$ x", ["(x)|[y]{2}^$"])).to.equal("[secret] x");
    });

    it("mixed forms in one echo: each character as its encoder chose (non-ASCII left raw by a URL encoder)", () => {
        expect(redact("pw=Pä%22s%73!", ['Pä"ss'])).to.equal("pw=[secret]!");
    });

    it("JSON text URL-encoded (a JSON body in a query string or a form)", () => {
        for (const password of passwords) {
            for (const body of [JSON.stringify(password), units(JSON.stringify(password), (c) => c.codePointAt(0)! > 0x7e)]) {
                expect(redact(`q=${encodeURIComponent(body)}&x=1`, [password]), JSON.stringify(password)).to.equal("q=%22[secret]%22&x=1");
            }
        }
    });

    it("has no length threshold: a secret of 1 to 3 characters is cut too, everywhere (the documented price: ordinary text may be blanked)", () => {
        expect(redact("user auth abc", ["abc"])).to.equal("user auth [secret]");
        expect(redact("a b %61 &#97; A", ["a"])).to.equal("[secret] b [secret] [secret] [secret]");
        // Inside a word too: a word-boundary rule would leak it after an encoded `=` (%3D).
        expect(redact("pw%3Dxyz", ["xyz"])).to.equal("pw%3D[secret]");
        // The mark itself is never cut again.
        expect(redact("s", ["s", "e"])).to.equal("[secret]");
        expect(redact("se", ["e"])).to.equal("s[secret]");
    });

    it("a secret with a lone surrogate (no UTF-8 form) is still cut as it is and JSON-escaped", () => {
        const odd = "ab\ud800cd";
        expect(redact(`x ${odd} ${json(odd)} y`, [odd])).to.equal("x [secret] [secret] y");
    });

    it("stays fast on text built to make a pattern backtrack (runs of backslashes, of %25)", () => {
        const started = Date.now();
        redact("\\".repeat(20000) + "y", ["\\".repeat(40) + "x", "%25".repeat(10) + "x"]);
        redact("%25".repeat(10000) + "y", ["%%%%%%%%%%x", "%25%25%25%25x"]);
        redact("&amp;".repeat(5000) + "y", ["&&&&&&&&&&x"]);
        expect(Date.now() - started).to.be.lessThan(2000);
    });

    it("redactor() builds the pattern once for many texts, with the same result", () => {
        const cut = redactor(passwords);
        for (const p of passwords) expect(cut(`<${encodeURIComponent(p)}>`)).to.equal(redact(`<${encodeURIComponent(p)}>`, passwords));
    });

    describe("its users: the provider's errors, verify's report, local's output", () => {
        const password = passwords[6];
        const echo = `bad password ${units(json(password), (c) => c.codePointAt(0)! > 0x7e)} / ${encodeURIComponent(password)}`;

        it("providers/cognitoUser/errors.ts describe()", () => {
            expect(describeError({ name: "InvalidPasswordException", message: echo }, [password])).to.equal(
                "InvalidPasswordException: bad password [secret] / [secret]",
            );
        });

        it("scripts/verify/render.ts formatReport()", () => {
            const inputs = verifyInputs([{ username: "alice", password }] as never);
            const report = formatReport(inputs, [
                { user: "alice", failure: { step: "sign-in", reason: "wrong password", error: { name: "X", message: echo } } },
            ]);
            expect(report).to.include("alice: sign-in failed: wrong password (X: bad password [secret] / [secret])");
        });

        it("scripts/local/output.ts Redactor, also for a secret added after a first use", () => {
            const r = new Redactor();
            r.add("First#Pass1");
            expect(r.redact("First#Pass1")).to.equal("[secret]");
            r.add(password);
            expect(r.redact(echo)).to.equal("bad password [secret] / [secret]");
        });
    });
});
