import { isDeepStrictEqual } from "util";
import type * as pulumi from "@pulumi/pulumi";
import type { Transform } from "./types";

/**
 * A child's name, arguments and options after the caller's transform (see `Transform`): values
 * replace the arguments of the same name (a shallow merge); a function changes them in place or
 * returns new ones, and options it returns are merged over the child's. A transform cannot move
 * the child (its `parent` stays, or every URN would change), nor change an argument that a setting
 * or the component sets (`owned`: argument -> what sets it), which would bypass its checks and the
 * pool guard: that is an error naming the setting. The child's `dependsOn` is its own copy.
 */
export function transformed<Args extends object>(
    transform: Transform<Args> | undefined,
    name: string,
    args: Args,
    opts: pulumi.CustomResourceOptions,
    owned: Readonly<Record<string, string>> = {},
): [string, Args, pulumi.CustomResourceOptions] {
    const own = { ...opts, ...(Array.isArray(opts.dependsOn) ? { dependsOn: [...opts.dependsOn] } : {}) };
    if (transform === undefined) return [name, args, own];
    const before = Object.fromEntries(Object.keys(owned).map((key) => [key, snapshot((args as Record<string, unknown>)[key])]));
    let result: [string, Args, pulumi.CustomResourceOptions];
    if (typeof transform === "function") {
        const changed = transform(args, own, name);
        result = [name, changed?.args ?? args, { ...own, ...changed?.opts, parent: opts.parent }];
    } else {
        result = [name, { ...args, ...transform }, own];
    }
    const after = result[1] as Record<string, unknown>;
    for (const [key, setBy] of Object.entries(owned)) {
        if (!isDeepStrictEqual(snapshot(after[key]), before[key])) {
            throw new Error(`the transform of ${name} changes "${key}", which ${setBy} sets; use that instead`);
        }
    }
    return result;
}

/** A copy of plain data (objects, arrays), so that a change made in place shows; anything else (an Output) as it is. */
function snapshot(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(snapshot);
    if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, snapshot(item)]));
    }
    return value;
}
