// Maps whose keys come from stack config (usernames, attribute names): a key such as `__proto__`
// or `constructor` must be a plain key there, never Object.prototype's.

export const isMap = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/** A map without a prototype, so keys from config such as `__proto__` or `constructor` are plain keys. */
export function keyedMap<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
    const map: Record<string, T> = Object.create(null);
    for (const [key, value] of entries) map[key] = value;
    return map;
}

/** True when `key` is an own key of `object` (never one inherited from Object.prototype, such as "constructor"). */
export function hasKey(object: object, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(object, key);
}
