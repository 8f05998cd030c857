import { describe, expect, it } from 'vitest';
import { penceOf } from '../notices/form.js';
import { CPV_ENTRIES, cpvCovers, cpvDigits, cpvDivisions, cpvName } from './cpv.js';
import { isRegion, REGIONS, regionMatches, WHOLE_UK } from './regions.js';

describe('CPV reference data', () => {
  it('ships the 45 divisions and their groups, each code well formed and each group under a shipped division', () => {
    expect(cpvDivisions()).toHaveLength(45);
    expect(CPV_ENTRIES.length).toBeGreaterThan(300);
    const divisions = new Set(cpvDivisions().map((d) => d.code.slice(0, 2)));
    for (const entry of CPV_ENTRIES) {
      expect(entry.code).toMatch(/^[0-9]{3}00000-[0-9]$/);
      expect(divisions.has(entry.code.slice(0, 2))).toBe(true);
      expect(entry.name.length).toBeGreaterThan(0);
    }
    expect(new Set(CPV_ENTRIES.map((e) => e.code)).size).toBe(CPV_ENTRIES.length);
  });

  it('a division covers every code in it, a group only its own, and names fall back to the group', () => {
    expect(cpvCovers('90000000', '90911200')).toBe(true);
    expect(cpvCovers('90900000', '90911200')).toBe(true);
    expect(cpvCovers('90600000', '90911200')).toBe(false);
    expect(cpvCovers('45000000', '90911200')).toBe(false);
    expect(cpvName('90911200')).toBe('Cleaning and sanitation services');
    expect(cpvDigits('90911200-8')).toBe('90911200');
    expect(cpvDigits('9091120')).toBeNull();
  });
});

describe('regions and money', () => {
  it('has the twelve ITL1 regions; a UK-wide notice or supplier matches everywhere', () => {
    expect(REGIONS.map((r) => r.itl1)).toEqual([
      'TLC',
      'TLD',
      'TLE',
      'TLF',
      'TLG',
      'TLH',
      'TLI',
      'TLJ',
      'TLK',
      'TLL',
      'TLM',
      'TLN',
    ]);
    expect(REGIONS.find((r) => r.itl1 === 'TLK')?.name).toBe('South West');
    expect(isRegion(WHOLE_UK)).toBe(true);
    expect(regionMatches(['E12000009'], WHOLE_UK)).toBe(true);
    expect(regionMatches([WHOLE_UK], 'W92000004')).toBe(true);
    expect(regionMatches(['E12000009'], 'W92000004')).toBe(false);
  });

  it('reads pounds as people type them', () => {
    expect(penceOf('£1,250.5')).toBe(125050);
    expect(penceOf('250000')).toBe(25_000_000);
    expect(penceOf('12.345')).toBeNull();
    expect(penceOf('ten pounds')).toBeNull();
  });
});
