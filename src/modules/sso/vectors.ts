/**
 * Vectors of trust (RFC 8485) as GOV.UK One Login profiles them, and Joinedup's four levels:
 * `Cl` = 1 (password), `Cl.Cm` = 2 (password and a second factor), `Cl.Cm.P2` = 3 (and the
 * person's identity verified). A relying party asks with `vtr=["Cl.Cm"]`; several vectors in
 * the array are alternatives, so the lowest of them is enough.
 */
export type Vector = 'Cl' | 'Cl.Cm' | 'Cl.Cm.P2';
export type VectorLevel = 1 | 2 | 3;

/** What One Login assumes when a relying party sends no `vtr`. */
export const DEFAULT_VECTOR: Vector = 'Cl.Cm';

const LEVEL_OF: Record<Vector, VectorLevel> = { Cl: 1, 'Cl.Cm': 2, 'Cl.Cm.P2': 3 };
const VECTOR_OF: Record<VectorLevel, Vector> = { 1: 'Cl', 2: 'Cl.Cm', 3: 'Cl.Cm.P2' };

/** The vector for a level, e.g. `vectorForLevel(2)` is `'Cl.Cm'`. */
export function vectorForLevel(level: VectorLevel): Vector {
  return VECTOR_OF[level];
}

/** The level a vector stands for, or 1 for anything unknown (never more than was proved). */
export function levelOfVector(vector: unknown): VectorLevel {
  return typeof vector === 'string' && vector in LEVEL_OF ? LEVEL_OF[vector as Vector] : 1;
}

/**
 * One vector such as `Cl.Cm` or `P2.Cl.Cm` (components in any order), normalised; null when
 * it is not one we can honour. `P0` adds nothing; `P2` needs `Cm` as One Login requires.
 */
export function parseVector(text: string): Vector | null {
  const parts = text.split('.');
  if (parts.some((p) => !['Cl', 'Cm', 'P0', 'P2'].includes(p))) return null;
  if (new Set(parts).size !== parts.length) return null;
  if (!parts.includes('Cl')) return null;
  const identity = parts.includes('P2');
  if (parts.includes('P0') && identity) return null;
  const second = parts.includes('Cm');
  if (identity && !second) return null;
  return identity ? 'Cl.Cm.P2' : second ? 'Cl.Cm' : 'Cl';
}

export type VtrOutcome = { ok: true; level: VectorLevel; vectors: Vector[] } | { ok: false };

/**
 * The `vtr` request parameter: a JSON array of vectors, e.g. `["Cl.Cm"]`; absent means
 * `["Cl.Cm"]`. The level needed is the lowest of the alternatives.
 *
 * @example parseVtr('["Cl","Cl.Cm"]') // { ok: true, level: 1, vectors: ['Cl', 'Cl.Cm'] }
 */
export function parseVtr(value: unknown): VtrOutcome {
  if (value === undefined || value === null || value === '') {
    return { ok: true, level: LEVEL_OF[DEFAULT_VECTOR], vectors: [DEFAULT_VECTOR] };
  }
  if (typeof value !== 'string' || value.length > 200) return { ok: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false };
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 5) return { ok: false };
  const vectors: Vector[] = [];
  for (const item of parsed) {
    const vector = typeof item === 'string' ? parseVector(item) : null;
    if (!vector) return { ok: false };
    vectors.push(vector);
  }
  const level = Math.min(...vectors.map((v) => LEVEL_OF[v])) as VectorLevel;
  return { ok: true, level, vectors };
}

/**
 * The vector to put in `vot`: the strongest of those the relying party asked for that the
 * session meets, as One Login answers, so a P2 session asked only for `Cl.Cm` gives `Cl.Cm` and
 * releases no identity claims the relying party did not ask to rely on.
 *
 * @example grantedVector(['Cl', 'Cl.Cm'], 3) // 'Cl.Cm'
 */
export function grantedVector(asked: Vector[], achieved: VectorLevel): Vector {
  const met = asked.filter((vector) => LEVEL_OF[vector] <= achieved);
  if (met.length === 0) return VECTOR_OF[achieved];
  return VECTOR_OF[Math.max(...met.map((vector) => LEVEL_OF[vector])) as VectorLevel];
}
