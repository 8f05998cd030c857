import { readFileSync } from 'node:fs';
import { projectPath } from '../../../platform/paths.js';

/** A CPV 2008 code with its check digit (`72000000-5`) and English name. */
export interface CpvEntry {
  code: string;
  name: string;
}

/** The divisions and groups shipped in reference-data/cpv (see its README). */
export const CPV_ENTRIES: readonly CpvEntry[] = Object.freeze(
  JSON.parse(
    readFileSync(projectPath('reference-data', 'cpv', 'cpv-2008-divisions-groups.json'), 'utf8'),
  ) as CpvEntry[],
);

const BY_DIGITS = new Map(CPV_ENTRIES.map((entry) => [entry.code.slice(0, 8), entry]));

/** The 8 digits of a CPV code typed with or without its check digit, or null when malformed. */
export function cpvDigits(value: string): string | null {
  const match = /^([0-9]{8})(-[0-9])?$/.exec(value.trim());
  return match ? match[1]! : null;
}

/** The divisions (first level, `XX000000`), for a supplier to pick sectors from. */
export function cpvDivisions(): CpvEntry[] {
  return CPV_ENTRIES.filter((entry) => /^[0-9]{2}000000/.test(entry.code));
}

/** The shipped entry for 8 digits (a division or group), if there is one. */
export function cpvEntry(digits: string): CpvEntry | undefined {
  return BY_DIGITS.get(digits);
}

/**
 * The name to show for a code: its own when it is a division or group, else its group's or
 * division's (the finer levels are not shipped yet).
 */
export function cpvName(digits: string): string {
  return (
    cpvEntry(digits)?.name ??
    cpvEntry(`${digits.slice(0, 3)}00000`)?.name ??
    cpvEntry(`${digits.slice(0, 2)}000000`)?.name ??
    digits
  );
}

/** The code with its check digit when it is shipped (OCDS and notices show it), else the digits. */
export function cpvWithCheckDigit(digits: string): string {
  return cpvEntry(digits)?.code ?? digits;
}

/**
 * Whether a notice's code falls in a supplier's sector: a division matches every code in it, a
 * group every code in that group.
 *
 * @example cpvCovers('72000000', '72212000') // true
 */
export function cpvCovers(sector: string, code: string): boolean {
  if (sector.endsWith('000000')) return code.startsWith(sector.slice(0, 2));
  if (sector.endsWith('00000')) return code.startsWith(sector.slice(0, 3));
  return code === sector;
}

/** Whether 8 digits are a division or group Joinedup ships, so a supplier may choose them. */
export function isKnownSector(digits: string): boolean {
  return BY_DIGITS.has(digits);
}
