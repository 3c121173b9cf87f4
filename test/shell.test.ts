// lib/shell.ts: the commands messages suggest. Quoting is checked by real shells (bash, dash as
// sh) parsing the text back into words; `--path` expressions by a transcription of Pulumi's own
// property-path parser (test/engine.commands.test.ts runs the real CLI on them).

import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deleteUserCommand } from "../providers/cognitoUser/errors";
import {
    commandLine,
    configPath,
    pathAddressable,
    removeCommand,
    setSecretAdvice,
    removeUserAdvice,
    setSecretCommand,
    shellQuote,
    singleQuote,
} from "../lib/shell";

/** Names a message may have to put into a command: dots, quotes, spaces, `$`, backticks, non-ASCII. */
const awkward = [
    "alice",
    "john.doe",
    "o'brien$(id)",
    "a b",
    "`id`",
    "jöhn",
    "日本",
    "😀",
    'say "hi"',
    "back\\slash",
    'a\\"b',
    "$HOME",
    "${HOME}",
    "!!",
    "semi;colon&amp|pipe",
    "*",
    "~root",
    "=ls",
    "-n",
    "#hash",
    "brace{a,b}",
    "tab\there",
    "new\nline",
    "",
    "'",
    "''",
    "%1",
    "a]b",
    '"]',
    "[0]",
    "1",
    "secure",
];

const shells = ["bash", "sh"].filter((shell) => {
    try {
        execFileSync(shell, ["-c", "true"]);
        return true;
    } catch {
        return false;
    }
});

/** The words `shell` makes of a command line (NUL-separated by printf, so any byte survives). */
function wordsOf(shell: string, line: string): string[] {
    const out = execFileSync(shell, ["-c", `printf '%s\\0' ${line}`], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: "/nonexistent" },
    });
    return out.split("\0").slice(0, -1);
}

/**
 * Pulumi's property-path parser in strict mode, transcribed from
 * sdk/go/common/resource/properties_path.go (parsePropertyPath), which `pulumi config set/get/rm
 * --path` use through config.Map (parseKeyPath). Works on UTF-8 bytes, as the Go code does.
 */
function parsePulumiPath(text: string): (string | number)[] {
    let p = Buffer.from(text, "utf8");
    const elements: (string | number)[] = [];
    const at = (i: number) => String.fromCharCode(p[i]);
    if (p.length > 0 && at(0) === ".") throw new Error("expected property path to start with a name or index");
    while (p.length > 0) {
        if (at(0) === ".") {
            p = p.subarray(1);
            if (p.length === 0) throw new Error("expected property path to end with a name or index");
            if (at(0) === "[") throw new Error("expected property name after '.'");
        } else if (at(0) === "[") {
            if (p.length > 1 && at(1) === '"') {
                const key: number[] = [];
                let i = 2;
                for (;;) {
                    if (i >= p.length) throw new Error("missing closing quote in property name");
                    if (at(i) === '"') {
                        i++;
                        break;
                    }
                    if (at(i) === "\\" && i + 1 < p.length && at(i + 1) === '"') {
                        key.push(0x22);
                        i += 2;
                    } else key.push(p[i++]);
                }
                if (i >= p.length || at(i) !== "]") throw new Error("missing closing bracket in property access");
                elements.push(Buffer.from(key).toString("utf8"));
                p = p.subarray(i + 1);
            } else {
                const close = p.indexOf("]");
                if (close === -1) throw new Error("missing closing bracket in array index");
                const segment = p.subarray(1, close).toString("utf8");
                if (!/^[+-]?\d+$/.test(segment)) throw new Error(`invalid array index: ${segment}`);
                elements.push(Number(segment));
                p = p.subarray(close + 1);
            }
        } else {
            let i = 0;
            while (i < p.length && at(i) !== "." && at(i) !== "[") i++;
            elements.push(p.subarray(0, i).toString("utf8"));
            p = p.subarray(i);
        }
    }
    return elements;
}

describe("lib/shell.ts: commands a message suggests", () => {
    describe("shellQuote / singleQuote: a shell reads back the exact value", () => {
        for (const shell of shells) {
            it(`${shell}: every awkward name is one word, unchanged, and nothing in it runs`, () => {
                const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "shell-quote-")), "ran");
                const values = [...awkward, `$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`];
                for (const value of values) {
                    expect(wordsOf(shell, shellQuote(value)), `shellQuote(${JSON.stringify(value)})`).to.deep.equal([value]);
                    expect(wordsOf(shell, singleQuote(value)), `singleQuote(${JSON.stringify(value)})`).to.deep.equal([value]);
                }
                expect(wordsOf(shell, commandLine(values)), "commandLine").to.deep.equal(values);
                expect(fs.existsSync(marker), "a quoted value was executed").to.equal(false);
            });
        }

        it("leaves plainly safe words bare and quotes the rest", () => {
            expect(["alice", "eu-west-1_AbC", "passwords.alice", "a@b.c", "x=1"].map(shellQuote)).to.deep.equal([
                "alice",
                "eu-west-1_AbC",
                "passwords.alice",
                "a@b.c",
                "x=1",
            ]);
            // zsh expands a leading `=cmd` to the command's path; `~` is the home directory.
            expect(["=ls", "~root", "a b", "", "jöhn"].map(shellQuote)).to.deep.equal(["'=ls'", "'~root'", "'a b'", "''", "'jöhn'"]);
            expect(shellQuote("o'brien")).to.equal(`'o'\\''brien'`);
        });
    });

    describe("configPath: the expression Pulumi's path parser reads as [key, name]", () => {
        for (const name of awkward.filter(pathAddressable)) {
            if (name === "") continue;
            it(`addresses ${JSON.stringify(name)}`, () => {
                expect(parsePulumiPath(configPath("passwords", name))).to.deep.equal(["passwords", name]);
                expect(parsePulumiPath(configPath("users", name, "groups"))).to.deep.equal(["users", name, "groups"]);
            });
        }

        it("uses the dotted form for identifiers and brackets for the rest", () => {
            expect(configPath("passwords", "alice")).to.equal("passwords.alice");
            expect(configPath("passwords", "john.doe")).to.equal('passwords["john.doe"]');
            // A digit-only name is a key, never an array index.
            expect(configPath("passwords", "1")).to.equal('passwords["1"]');
            expect(configPath("passwords", 'say "hi"')).to.equal('passwords["say \\"hi\\""]');
            expect(configPath("users", "a b", "groups")).to.equal('users["a b"].groups');
        });

        it("the dotted form would be wrong for a name with a dot: Pulumi reads nested keys", () => {
            expect(parsePulumiPath("passwords.john.doe")).to.deep.equal(["passwords", "john", "doe"]);
        });

        it("a name that ends in a backslash cannot be addressed, and says so", () => {
            expect(pathAddressable("back\\")).to.equal(false);
            expect(pathAddressable("back\\slash")).to.equal(true);
            expect(() => parsePulumiPath(configPath("passwords", "back\\"))).to.throw(/missing closing quote/);
            const advice =
                "its name ends in a backslash, which `pulumi config --path` cannot address: rename the user (edit the stack's Pulumi.<stack>.yaml by hand)";
            expect(setSecretAdvice("passwords", "back\\")).to.equal(advice);
            expect(setSecretAdvice("passwords", "back\\", "set it again as a secret")).to.equal(advice);
            // No remove command either: each message that would suggest one says this instead.
            expect(removeUserAdvice("back\\")).to.equal(`    (${advice})`);
        });

        it("removeUserAdvice: the users and passwords entries, one command a line; setSecretAdvice with its lead-in", () => {
            expect(removeUserAdvice("john.doe").split("\n")).to.deep.equal([
                `    pulumi config rm --path 'users["john.doe"]'`,
                `    pulumi config rm --path 'passwords["john.doe"]'`,
            ]);
            expect(setSecretAdvice("passwords", "bob", "set it again as a secret")).to.equal(
                "set it again as a secret: pulumi config set --secret --path 'passwords.bob' -- '<password>'",
            );
        });
    });

    describe("setSecretCommand / removeCommand", () => {
        it("are the pulumi commands with the path and placeholder single-quoted", () => {
            expect(setSecretCommand("passwords", "alice")).to.equal("pulumi config set --secret --path 'passwords.alice' -- '<password>'");
            expect(setSecretCommand("passwords", "o'brien$(id)")).to.equal(
                `pulumi config set --secret --path 'passwords["o'\\''brien$(id)"]' -- '<password>'`,
            );
            expect(setSecretAdvice("passwords", "alice")).to.equal(`set one with: ${setSecretCommand("passwords", "alice")}`);
            expect(removeCommand("users", "john.doe")).to.equal(`pulumi config rm --path 'users["john.doe"]'`);
        });

        for (const shell of shells) {
            it(`${shell}: each reads back as the words pulumi needs, for every addressable name`, () => {
                for (const name of awkward.filter((n) => n !== "" && pathAddressable(n))) {
                    const set = wordsOf(shell, setSecretCommand("passwords", name));
                    expect(set.slice(0, 5), name).to.deep.equal(["pulumi", "config", "set", "--secret", "--path"]);
                    expect(parsePulumiPath(set[5]), name).to.deep.equal(["passwords", name]);
                    expect(set.slice(6), name).to.deep.equal(["--", "<password>"]);
                    const rm = wordsOf(shell, removeCommand("users", name));
                    expect(rm.slice(0, 4), name).to.deep.equal(["pulumi", "config", "rm", "--path"]);
                    expect(parsePulumiPath(rm[4]), name).to.deep.equal(["users", name]);
                }
            });
        }
    });

    describe("deleteUserCommand (the 'already exists' message's aws command)", () => {
        for (const shell of shells) {
            it(`${shell}: the username reads back exactly; one that starts with - is joined to its option`, () => {
                const userPoolId = "eu-west-1_AbCdEf123";
                for (const username of awkward.filter((n) => n !== "")) {
                    const words = wordsOf(shell, deleteUserCommand({ userPoolId, username }));
                    const expected = username.startsWith("-") ? [`--username=${username}`] : ["--username", username];
                    expect(words, username).to.deep.equal([
                        "aws",
                        "cognito-idp",
                        "admin-delete-user",
                        "--user-pool-id",
                        userPoolId,
                        ...expected,
                    ]);
                }
            });
        }
    });
});
