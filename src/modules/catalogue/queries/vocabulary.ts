import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

/** How long a node trusts its copy of the vocabulary when another node may have published. */
const VOCABULARY_SECONDS = 60;

interface Cached {
  words: Set<string>;
  synonyms: Map<string, string>;
  trigrams: boolean;
  loadedAt: number;
}

let cache: Cached | null = null;

/** Drops the cached vocabulary and synonyms after a publication changes the words of titles. */
export function forgetVocabulary(_db?: Db): void {
  cache = null;
}

/**
 * The words of published titles and keywords (English and Welsh, lower case), the synonym table
 * and whether pg_trgm is installed: what typo tolerance and query expansion need, cached a minute.
 */
export async function searchVocabulary(db: Db): Promise<Cached> {
  if (cache && Date.now() - cache.loadedAt < VOCABULARY_SECONDS * 1000) return cache;
  const words = await sql<{ word: string }>`
    select word from ts_stat($$select to_tsvector('simple', title || ' ' || title_cy || ' ' || keywords)
      from services where status = 'published'$$)`.execute(db);
  const synonyms = await db.selectFrom('search_synonyms').selectAll().execute();
  const trigrams = await sql`select 1 from pg_extension where extname = 'pg_trgm'`.execute(db);
  cache = {
    words: new Set(words.rows.map((r) => r.word).filter((w) => /^\p{L}[\p{L}'’-]*$/u.test(w))),
    synonyms: new Map(synonyms.map((s) => [s.term, s.expansion])),
    trigrams: trigrams.rows.length > 0,
    loadedAt: Date.now(),
  };
  return cache;
}

/** True when a and b differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const restA = a.slice(i);
  const restB = b.slice(i);
  if (a.length === b.length)
    return (
      restA.slice(1) === restB.slice(1) ||
      (restA[0] === restB[1] && restA[1] === restB[0] && restA.slice(2) === restB.slice(2))
    );
  return a.length > b.length ? restA.slice(1) === restB : restA === restB.slice(1);
}

/**
 * Vocabulary words a misspelt word may have meant: with pg_trgm, the most similar by trigrams;
 * always also those one edit away (the fallback PGlite relies on).
 */
export async function corrections(db: Db, word: string): Promise<string[]> {
  const vocabulary = await searchVocabulary(db);
  if (vocabulary.words.has(word) || word.length < 3) return [];
  const found = new Set<string>();
  for (const candidate of vocabulary.words)
    if (withinOneEdit(word, candidate)) found.add(candidate);
  if (vocabulary.trigrams) {
    const similar = await sql<{ word: string }>`
      select word from unnest(${[...vocabulary.words]}::text[]) as word
      where similarity(word, ${word}) >= 0.4 order by similarity(word, ${word}) desc limit 3`.execute(
      db,
    );
    for (const row of similar.rows) found.add(row.word);
  }
  return [...found].slice(0, 5);
}
