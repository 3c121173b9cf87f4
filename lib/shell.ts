// The one place that builds commands a message suggests, so that each works when pasted into a
// POSIX shell (bash, zsh, sh) whatever the username holds: dots, quotes, spaces, `$`, backticks,
// non-ASCII. Pure: no I/O.

/** A value for a shell command line: as it is when it is plainly safe, else single-quoted. */
export function shellQuote(value: string): string {
    // Inside single quotes nothing is special but the single quote itself, which is closed,
    // escaped and reopened: it's -> 'it'\''s'.
    return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A `pulumi config --path` expression for `key` -> `name`, e.g. `passwords.alice` or
 * `passwords["john.doe"]`: a name that is not a plain identifier is put in brackets and double
 * quotes, the one form Pulumi's property-path parser reads for any key (it unescapes only `\"`).
 */
export function configPath(key: string, name: string, ...rest: string[]): string {
    return [name, ...rest].reduce((path, segment) => path + pathSegment(segment), key);
}

function pathSegment(name: string): string {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `["${name.replace(/"/g, '\\"')}"]`;
}

/** Whether Pulumi's path parser can address `name` at all (a trailing backslash would escape the closing quote). */
export function pathAddressable(name: string): boolean {
    return !/\\$/.test(name);
}

/** `pulumi config set --secret --path '<key>.<name>' '<password>'`, quoted for the shell. */
export function setSecretCommand(key: string, name: string, placeholder = "<password>"): string {
    return `pulumi config set --secret --path ${shellQuote(configPath(key, name))} ${shellQuote(placeholder)}`;
}

/** `pulumi config rm --path '<key>.<name>'`, quoted for the shell. */
export function removeCommand(key: string, name: string): string {
    return `pulumi config rm --path ${shellQuote(configPath(key, name))}`;
}
