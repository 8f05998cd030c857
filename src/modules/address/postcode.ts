import { parse } from 'postcode';

/** A postcode read from what someone typed: its standard form and the parts the address layer uses. */
export interface ParsedPostcode {
  /** 'GL5 4UB': upper case, one space before the inward code. */
  postcode: string;
  /** 'GL5' */
  outcode: string;
  /** 'GL5 4': the outward code and the first digit of the inward code. */
  sector: string;
}

export type PostcodeProblem = 'required' | 'malformed';

/** Longer than any postcode with generous spacing: anything longer is not one. */
const MAX_INPUT = 16;

/**
 * Reads a UK postcode as people type it — any case, any spacing — with the `postcode` package,
 * plus the Royal Mail rules the package leaves out: Q, V and X never start a postcode; I, J and Z
 * are never its second letter; C, I, K, M, O and V never appear in the inward code's letters.
 * It says only whether the text is shaped like a postcode; whether the postcode exists is for
 * the ONS Postcode Directory (see `findPostcodeArea`).
 *
 * @example parsePostcode(' gl54ub ') // { ok: true, postcode: 'GL5 4UB', outcode: 'GL5', sector: 'GL5 4' }
 */
export function parsePostcode(
  input: string,
): ({ ok: true } & ParsedPostcode) | { ok: false; problem: PostcodeProblem } {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'required' };
  if (trimmed.length > MAX_INPUT) return { ok: false, problem: 'malformed' };
  const compact = trimmed.toUpperCase().replace(/\s+/g, '');
  const parsed = parse(compact);
  if (!parsed.valid) return { ok: false, problem: 'malformed' };
  if (/^[QVX]/.test(compact) || /^[A-Z][IJZ]/.test(compact))
    return { ok: false, problem: 'malformed' };
  if (!/[ABD-HJLNP-UW-Z]{2}$/.test(compact)) return { ok: false, problem: 'malformed' };
  return { ok: true, postcode: parsed.postcode, outcode: parsed.outcode, sector: parsed.sector };
}
