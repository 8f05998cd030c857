import { readFileSync } from 'node:fs';
import { projectPath } from '../../../platform/paths.js';

/**
 * Where a contract is delivered or a supplier works: the nine English regions and the three
 * other nations, by their ONS GSS codes (reference-data/ons), with the International Territorial
 * Level 1 (ITL1) code the ONS gives each, as Find a Tender uses.
 */
export interface Region {
  gss: string;
  itl1: string;
  name: string;
}

const ITL1: Record<string, string> = {
  E12000001: 'TLC',
  E12000002: 'TLD',
  E12000003: 'TLE',
  E12000004: 'TLF',
  E12000005: 'TLG',
  E12000006: 'TLH',
  E12000007: 'TLI',
  E12000008: 'TLJ',
  E12000009: 'TLK',
  W92000004: 'TLL',
  S92000003: 'TLM',
  N92000002: 'TLN',
};

function read(name: string): Record<string, string> {
  return JSON.parse(
    readFileSync(projectPath('reference-data', 'ons', `${name}.json`), 'utf8'),
  ) as Record<string, string>;
}

const names = { ...read('regions'), ...read('countries') };

/** The twelve ITL1 regions in ITL1 order. */
export const REGIONS: readonly Region[] = Object.freeze(
  Object.entries(ITL1).map(([gss, itl1]) => ({ gss, itl1, name: names[gss] ?? gss })),
);

/** The whole United Kingdom, for a contract delivered anywhere. */
export const WHOLE_UK = 'K02000001';

export function isRegion(gss: string): boolean {
  return gss === WHOLE_UK || gss in ITL1;
}

export function regionName(gss: string): string {
  return gss === WHOLE_UK ? 'United Kingdom' : (names[gss] ?? gss);
}

/** Whether a contract delivered in `noticeRegion` is of interest to a supplier working in `regions`. */
export function regionMatches(regions: readonly string[], noticeRegion: string): boolean {
  return noticeRegion === WHOLE_UK || regions.includes(WHOLE_UK) || regions.includes(noticeRegion);
}
