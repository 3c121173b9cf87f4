// The one redaction of secrets for the provider, verify and `npm run local`: every occurrence of
// a secret in a text becomes "[secret]", also when a service, library or log echoed it encoded.
// Pure: no I/O.
//
// Forms caught, for each character of the secret (so mixed forms are caught too, e.g. a JSON
// encoder that escapes only the non-ASCII characters):
// - as it is, in any letter case (also case mappings that change length, ß / SS) and in either
//   Unicode normalization (é or e + U+0301);
// - URL- and form-encoded: `%XX` of its UTF-8 bytes (any hex case), `+` or `%20` for a space, and
//   the legacy `escape()` forms (`%E9`, `%uXXXX`);
// - HTML/XML escapes: `&#NN;`, `&#xHH;`, `&amp; &lt; &gt; &quot; &apos;`;
// - JSON-escaped: `\"`, `\\`, `\/`, `\n`..., `\uXXXX` for any character (surrogate pairs for an
//   emoji), the same once more for JSON text inside a JSON string (`\\\"`, `\\u00e9`), and
//   JSON text URL-encoded (`%5Cu00e9`, `%5C%22`).
//
// There is no minimum length: a secret of 1 to 3 characters is redacted wherever it appears,
// inside words too. That can blank out ordinary text, but a length threshold or a word-boundary
// rule would leak it (in `pw%3Dabc` the secret `abc` follows a letter). Real secrets are longer:
// Cognito passwords have at least 6 characters and the policy this stack sets at least 8.
//
// Each form is a fixed string per character (no `*` over what a neighbouring character could
// match), so matching stays linear whatever the secret holds (a run of backslashes, `%`).

export const redactedMark = "[secret]";

/** `text` with every known secret, in every form above, replaced by "[secret]". */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
    return redactor(secrets)(text);
}

/** A redact function for a fixed set of secrets, its pattern built once (for many texts). */
export function redactor(secrets: Iterable<string | undefined>): (text: string) => string {
    const unique = [...new Set([...secrets].filter((s): s is string => typeof s === "string" && s !== ""))];
    if (unique.length === 0) return (text) => text;
    // Longest first: at one position, a secret that starts with another is cut whole.
    unique.sort((a, b) => b.length - a.length);
    const pattern = new RegExp(unique.map(secretPattern).join("|"), "giu");
    return (text) => text.replace(pattern, redactedMark);
}

/** The regex source that matches `secret` in any of the forms: plain, JSON-escaped once or twice, JSON then URL-encoded. */
export function secretPattern(secret: string): string {
    const chars = [...secret];
    const layer = (sources: (c: string) => Iterable<string>) => chars.map((c) => alternation(sources(c))).join("");
    const json = (c: string) => [...jsonForms(c)].map(escapeRegex);
    const json2 = (c: string) => [...jsonForms(c)].map((f) => escapeRegex(JSON.stringify(f).slice(1, -1)));
    const jsonInUrl = (c: string) => [...jsonForms(c)].flatMap((f) => [urlEncode(f), urlEncode(f).replace(/%20/g, "+")]).map(escapeRegex);
    return `(?:${[layer(plainSources), layer(json), layer(json2), layer(jsonInUrl)].join("|")})`;
}

/** One character's forms as one group, the longest first (so `&amp;` is taken whole, not as `&`). */
function alternation(sources: Iterable<string>): string {
    const unique = [...new Set(sources)].sort((a, b) => b.length - a.length);
    return unique.length === 1 ? unique[0] : `(?:${unique.join("|")})`;
}

function escapeRegex(text: string): string {
    return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** The character itself and its case and normalization variants. */
function rawForms(c: string): string[] {
    return [c, c.toLowerCase(), c.toUpperCase(), c.normalize("NFC"), c.normalize("NFD")];
}

const htmlNamed: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Outside JSON, as regex source: raw, URL/form-encoded, `escape()`d, HTML escapes. */
function* plainSources(c: string): Iterable<string> {
    const cp = c.codePointAt(0)!;
    const literals = rawForms(c);
    const utf8 = utf8Bytes(c);
    if (utf8) literals.push(utf8.map((b) => `%${hex(b, 2)}`).join(""));
    if (c === " ") literals.push("+");
    if (c === "/") literals.push("\\/");
    literals.push(
        cp < 0x100
            ? `%${hex(cp, 2)}`
            : utf16Units(c)
                  .map((u) => `%u${hex(u, 4)}`)
                  .join(""),
    );
    if (htmlNamed[c]) literals.push(htmlNamed[c]);
    yield* literals.map(escapeRegex);
    yield `&#0*${cp};`;
    yield `&#x0*${cp.toString(16)};`;
}

const jsonNamed: Record<string, string> = {
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
};

/** Inside a JSON string: raw where JSON allows it, the short escapes, `\uXXXX`. */
function* jsonForms(c: string): Iterable<string> {
    const cp = c.codePointAt(0)!;
    if (c !== '"' && c !== "\\" && cp >= 0x20) yield* rawForms(c);
    if (jsonNamed[c]) yield jsonNamed[c];
    yield utf16Units(c)
        .map((u) => `\\u${hex(u, 4)}`)
        .join("");
}

/** encodeURIComponent, but a lone surrogate (which it refuses) is kept as it is. */
function urlEncode(text: string): string {
    return [...text]
        .map((c) =>
            /^[\w.!~*'()-]$/.test(c)
                ? c
                : (utf8Bytes(c)
                      ?.map((b) => `%${hex(b, 2)}`)
                      .join("") ?? c),
        )
        .join("");
}

function hex(n: number, width: number): string {
    return n.toString(16).toUpperCase().padStart(width, "0");
}

function utf16Units(c: string): number[] {
    return Array.from({ length: c.length }, (_, i) => c.charCodeAt(i));
}

/** The UTF-8 bytes of one character; undefined for a lone surrogate, which has none. */
function utf8Bytes(c: string): number[] | undefined {
    const cp = c.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) return undefined;
    return [...Buffer.from(c, "utf8")];
}
