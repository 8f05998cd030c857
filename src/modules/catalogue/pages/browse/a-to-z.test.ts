import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORGANISATION_TYPES } from '../../../organisations/index.js';
import { firstLetter, groupByLetter } from './a-to-z.js';

const WELSH = [
  'Swyddfa’r Cabinet',
  'Chwaraeon Cymru',
  'Cyngor Caerdydd',
  'Llywodraeth Cymru',
  'Cyngor Dinas Bryste',
  'Yr Adran Gwaith a Phensiynau',
  'Lleol Cyf',
  'Dyfrffordd',
  'Ddraig',
  'Lan',
];

describe('the letter a body is filed under', () => {
  it('is the first letter without accents in English, even for a Welsh digraph', () => {
    expect(firstLetter('Chwaraeon Cymru', 'en')).toBe('C');
    expect(firstLetter('  Ærø council', 'en')).toBe('Æ');
    expect(firstLetter('Ōtaki', 'en')).toBe('O');
  });

  it('is the Welsh letter of two characters when the name starts with one', () => {
    expect(firstLetter('Chwaraeon Cymru', 'cy')).toBe('Ch');
    expect(firstLetter('Llywodraeth Cymru', 'cy')).toBe('Ll');
    expect(firstLetter('Rhondda Cynon Taf', 'cy')).toBe('Rh');
    expect(firstLetter('Cyngor Caerdydd', 'cy')).toBe('C');
    expect(firstLetter('Âr Gymuned', 'cy')).toBe('A');
  });
});

describe('the A–Z of bodies', () => {
  it('puts Welsh names in Welsh order: C before Ch, D before Dd, L before Ll', () => {
    const { groups } = groupByLetter(WELSH, (n) => n, 'cy');
    expect(groups.map((g) => [g.letter, g.items])).toEqual([
      ['C', ['Cyngor Caerdydd', 'Cyngor Dinas Bryste']],
      ['Ch', ['Chwaraeon Cymru']],
      ['D', ['Dyfrffordd']],
      ['Dd', ['Ddraig']],
      ['L', ['Lan']],
      ['Ll', ['Lleol Cyf', 'Llywodraeth Cymru']],
      ['S', ['Swyddfa’r Cabinet']],
      ['Y', ['Yr Adran Gwaith a Phensiynau']],
    ]);
  });

  it('files the same names under single letters in English order', () => {
    const { groups } = groupByLetter(WELSH, (n) => n, 'en');
    expect(groups.map((g) => g.letter)).toEqual(['C', 'D', 'L', 'S', 'Y']);
    expect(groups[0]!.items).toEqual(['Chwaraeon Cymru', 'Cyngor Caerdydd', 'Cyngor Dinas Bryste']);
  });

  it('shows every letter of the alphabet in the navigation, linking only those with bodies', () => {
    const en = groupByLetter(['Bristol City Council'], (n) => n, 'en').navigation;
    expect(en).toHaveLength(26);
    expect(en[1]).toEqual({ letter: 'B', href: '#letter-b' });
    expect(en[0]).toEqual({ letter: 'A', href: null });
    const cy = groupByLetter(['Chwaraeon Cymru'], (n) => n, 'cy').navigation;
    expect(cy.map((l) => l.letter)).not.toContain('K');
    expect(cy.find((l) => l.letter === 'Ch')).toEqual({ letter: 'Ch', href: '#letter-ch' });
  });

  it('adds a letter outside the alphabet after it, so no body is left out', () => {
    const { groups, navigation } = groupByLetter(
      ['Kent County Council', 'Abertawe'],
      (n) => n,
      'cy',
    );
    expect(groups.map((g) => g.letter)).toEqual(['A', 'K']);
    expect(navigation.at(-1)).toEqual({ letter: 'K', href: '#letter-k' });
  });
});

describe('the labels of the kinds of body', () => {
  it('name every organisation type in English and Welsh', () => {
    const messages = (locale: string) =>
      JSON.parse(
        readFileSync(new URL(`../../locales/browse.${locale}.json`, import.meta.url), 'utf8'),
      ) as Record<string, string>;
    for (const locale of ['en', 'cy']) {
      for (const type of ORGANISATION_TYPES)
        expect(
          messages(locale)[`catalogue.browse.bodyType.${type}`],
          `${locale} ${type}`,
        ).toBeTruthy();
    }
  });
});
