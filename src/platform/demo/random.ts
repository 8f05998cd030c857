/**
 * mulberry32: a small, fast pseudo-random generator for demo data, so the same seed gives the
 * same records on every machine. Not for anything secret.
 *
 * @example const next = seededRandom(2026); next() // 0 ≤ n < 1, the same every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
