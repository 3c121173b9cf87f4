import type * as pulumi from "@pulumi/pulumi";
import type { Transform } from "./types";

/**
 * A child's name, arguments and options after the caller's transform (see `Transform`): values
 * replace the arguments of the same name (a shallow merge); a function changes them in place or
 * returns new ones. Without a transform they are returned as they are.
 */
export function transformed<Args extends object>(
    transform: Transform<Args> | undefined,
    name: string,
    args: Args,
    opts: pulumi.CustomResourceOptions,
): [string, Args, pulumi.CustomResourceOptions] {
    if (transform === undefined) return [name, args, opts];
    if (typeof transform === "function") {
        const changed = transform(args, opts, name);
        return [name, changed?.args ?? args, changed?.opts ?? opts];
    }
    return [name, { ...args, ...transform }, opts];
}
