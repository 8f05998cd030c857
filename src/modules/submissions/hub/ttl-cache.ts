/**
 * A per-process cache of found values, each kept for `ttlMs` from when it was read. Concurrent
 * reads of one key share one lookup; a lookup that finds nothing, fails or is not worth
 * keeping (`keep`) is forgotten, so a newly published service or form is seen at once.
 */
export function ttlCache<V>(
  ttlMs: number,
  now: () => number,
  keep: (value: V) => boolean = () => true,
) {
  const entries = new Map<string, { until: number; value: Promise<V | undefined> }>();
  return (key: string, load: () => Promise<V | undefined>): Promise<V | undefined> => {
    const hit = entries.get(key);
    if (hit && hit.until > now()) return hit.value;
    const value = load();
    const entry = { until: now() + ttlMs, value };
    entries.set(key, entry);
    const forget = () => {
      if (entries.get(key) === entry) entries.delete(key);
    };
    value.then((found) => (found === undefined || !keep(found)) && forget(), forget);
    return value;
  };
}
