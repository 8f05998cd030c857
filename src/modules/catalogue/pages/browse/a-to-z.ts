/**
 * The A–Z of public bodies: names grouped by first letter, in the reader's alphabet. Welsh has
 * letters of two characters (Ch, Dd, Ff, Ng, Ll, Ph, Rh, Th) and no K, Q, V, X or Z, so
 * "Cyngor Caerdydd" is under C, "Chwaraeon Cymru" under Ch, and Ch comes after C.
 */
import type { Locale } from '../../../../platform/i18n/i18n.js';

/** The letters of each alphabet, in order; the A–Z navigation shows all of them. */
export const ALPHABETS: Record<Locale, readonly string[]> = {
  en: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
  cy: [
    'A',
    'B',
    'C',
    'Ch',
    'D',
    'Dd',
    'E',
    'F',
    'Ff',
    'G',
    'Ng',
    'H',
    'I',
    'J',
    'L',
    'Ll',
    'M',
    'N',
    'O',
    'P',
    'Ph',
    'R',
    'Rh',
    'S',
    'T',
    'Th',
    'U',
    'W',
    'Y',
  ],
};

const WELSH_DIGRAPHS = ['ch', 'dd', 'ff', 'ng', 'll', 'ph', 'rh', 'th'];

/**
 * The letter a name is filed under: its first letter without accents, or in Welsh its first
 * two letters when they make one Welsh letter.
 *
 * @example firstLetter('Chwaraeon Cymru', 'cy') // 'Ch'
 * @example firstLetter('Chwaraeon Cymru', 'en') // 'C'
 */
export function firstLetter(name: string, locale: Locale): string {
  const plain = name.trim().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (locale === 'cy') {
    const digraph = WELSH_DIGRAPHS.find((d) => plain.startsWith(d));
    if (digraph) return digraph[0]!.toUpperCase() + digraph[1];
  }
  return (plain[0] ?? '').toUpperCase();
}

/** One letter of the A–Z and the names under it, in the reader's alphabetical order. */
export interface LetterGroup<T> {
  letter: string;
  /** The fragment the navigation links to, such as "letter-ch". */
  id: string;
  items: T[];
}

/** One letter of the navigation: a link when some name is filed under it. */
export interface LetterLink {
  letter: string;
  href: string | null;
}

/**
 * Groups items by the first letter of their name in the reader's language, sorting names with
 * that language's collation (Welsh: "Cyngor Sir…" before "Chwaraeon…"), letters in alphabet
 * order, and any letter outside the alphabet (a digit, or K in Welsh) after it.
 */
export function groupByLetter<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  locale: Locale,
): { groups: LetterGroup<T>[]; navigation: LetterLink[] } {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const alphabet = ALPHABETS[locale];
  const byLetter = new Map<string, T[]>();
  const sorted = [...items].sort((a, b) => collator.compare(nameOf(a), nameOf(b)));
  for (const item of sorted) {
    const letter = firstLetter(nameOf(item), locale);
    byLetter.set(letter, [...(byLetter.get(letter) ?? []), item]);
  }
  const place = (letter: string) => {
    const index = alphabet.indexOf(letter);
    return index === -1 ? alphabet.length : index;
  };
  const letters = [...byLetter.keys()].sort(
    (a, b) => place(a) - place(b) || collator.compare(a, b),
  );
  const idOf = (letter: string) => `letter-${letter.toLowerCase() || 'other'}`;
  const groups = letters.map((letter) => ({
    letter,
    id: idOf(letter),
    items: byLetter.get(letter)!,
  }));
  const extra = letters.filter((l) => !alphabet.includes(l));
  const navigation = [...alphabet, ...extra].map((letter) => ({
    letter,
    href: byLetter.has(letter) ? `#${idOf(letter)}` : null,
  }));
  return { groups, navigation };
}
