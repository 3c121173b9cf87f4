// The one place that builds commands a message suggests, so that each works when pasted into a
// POSIX shell (bash, zsh, sh) whatever the username holds: dots, quotes, spaces, `$`, backticks,
// non-ASCII. Pure: no I/O.

/** `value` in single quotes, inside which a POSIX shell expands nothing: it's -> 'it'\''s'. */
export function singleQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A value for a shell command line: as it is when it is plainly safe, else single-quoted. A
 * leading `=` is quoted too (zsh expands `=cmd` to the command's path).
 */
export function shellQuote(value: string): string {
    return /^[\w@%+:,./-][\w@%+=:,./-]*$/.test(value) ? value : singleQuote(value);
}

/** A command line: each word quoted as it needs. */
export function commandLine(words: readonly string[]): string {
    return words.map(shellQuote).join(" ");
}

/**
 * A `pulumi config --path` expression for `key` -> `name` (-> more names), e.g. `passwords.alice`
 * or `passwords["john.doe"]`. Pulumi's property-path parser (strict mode, as `config set/get/rm
 * --path` use it) reads a bare name up to the next `.` or `[`, and in `["..."]` takes every byte
 * as it is except `\"`, which stands for `"`. So a name that is not a plain identifier goes in
 * brackets with only its double quotes escaped (a backslash is not an escape there).
 */
export function configPath(key: string, name: string, ...rest: string[]): string {
    return [name, ...rest].reduce((path, segment) => path + pathSegment(segment), key);
}

function pathSegment(name: string): string {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `["${name.replace(/"/g, '\\"')}"]`;
}

/**
 * Whether Pulumi's path parser can address `name` at all: a name ending in a backslash cannot be
 * written (its `\"` would read as a quote, leaving the key unclosed).
 */
export function pathAddressable(name: string): boolean {
    return !name.endsWith("\\");
}

/**
 * `pulumi config set --secret --path '<key>.<name>' -- '<password>'`. The path and the
 * placeholder are always single-quoted, so the user replaces the placeholder inside quotes; `--`
 * lets a password that starts with `-` be taken as the value, not as a flag.
 */
export function setSecretCommand(key: string, name: string, placeholder = "<password>"): string {
    return `pulumi config set --secret --path ${singleQuote(configPath(key, name))} -- ${singleQuote(placeholder)}`;
}

/**
 * How to set the secret `<key>.<name>`, for a message: "set one with: <command>", or, for a name
 * no path can address, that it must be renamed.
 */
export function setSecretAdvice(key: string, name: string, lead = "set one with"): string {
    return pathAddressable(name) ? `${lead}: ${setSecretCommand(key, name)}` : unaddressable;
}

/** What to do instead of a `--path` command for a name no path can address. */
export const unaddressable =
    "its name ends in a backslash, which `pulumi config --path` cannot address: rename the user (edit the stack's Pulumi.<stack>.yaml by hand)";

/** `pulumi config rm --path '<key>.<name>'`, the path single-quoted. */
export function removeCommand(key: string, name: string): string {
    return `pulumi config rm --path ${singleQuote(configPath(key, name))}`;
}

/**
 * The commands that remove user `name` from config (its `users` and `passwords` entries), each on
 * a line of its own after `indent`; for a name no path can address, what to do instead.
 */
export function removeUserAdvice(name: string, indent = "    "): string {
    if (!pathAddressable(name)) return `${indent}(${unaddressable})`;
    return [removeCommand("users", name), removeCommand("passwords", name)].map((command) => indent + command).join("\n");
}
