// Concurrency for tests that drive many users at once, as the engine's `--parallel` does.

export type Settled<R> = { ok: true; value: R } | { ok: false; error: any };

/** Runs `fn` over `items` with at most `limit` in flight; never rejects (results carry errors), in the order of `items`. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<Settled<R>[]> {
    const results: Settled<R>[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            try {
                results[i] = { ok: true, value: await fn(items[i], i) };
            } catch (error) {
                results[i] = { ok: false, error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
