// What `npm run local` prints: progress lines, the sign-in table, and redaction of every password
// it knows from anything it passes through (the Pulumi CLI's output, error messages).

import { redactor } from "../../lib/redact";

export const prefix = "local:";

export function say(line: string): void {
    process.stdout.write(`${prefix} ${line}\n`);
}

export function warn(line: string): void {
    process.stderr.write(`${prefix} ${line}\n`);
}

/** Replaces every known secret in text with [secret], in every form lib/redact.ts knows. */
export class Redactor {
    private readonly secrets = new Set<string>();
    private compiled?: (text: string) => string;

    add(secret: string): void {
        if (secret.length > 0 && !this.secrets.has(secret)) {
            this.secrets.add(secret);
            this.compiled = undefined;
        }
    }

    redact(text: string): string {
        this.compiled ??= redactor(this.secrets);
        return this.compiled(text);
    }

    /** A writer that redacts whole lines (a secret is never split across two writes) and indents them. */
    lineWriter(write: (text: string) => void, indent = "    "): { push(chunk: Buffer | string): void; end(): void } {
        let pending = "";
        return {
            push: (chunk) => {
                pending += chunk.toString();
                const lines = pending.split("\n");
                pending = lines.pop()!;
                for (const line of lines) write(`${indent}${this.redact(line.replace(/\r$/, ""))}\n`);
            },
            end: () => {
                if (pending.length > 0) write(`${indent}${this.redact(pending)}\n`);
                pending = "";
            },
        };
    }
}

/** A plain text table: header, dashes, rows; columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}

// The one shell quoting (lib/shell.ts), for the commands main.ts prints.
export { shellQuote } from "../../lib/shell";

const steps = 6;

/** A progress line: `[n/6] text`. */
export function step(n: number, text: string): void {
    say(`[${n}/${steps}] ${text}`);
}
