/**
 * The pure rules of petitions: e-mail addresses (normalised, malformed, disposable), postcode
 * districts, what holds a petition for a closer look, the closing instant in London time and
 * where a petition stands. No database here, so each rule is tested on its own.
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../../platform/paths.js';
import { addDays, addMonths, londonDate, londonTime } from '../../../platform/time/london.js';
import { parsePostcode } from '../../address/index.js';
import type { PetitionRow } from '../db/tables.js';

const DATA = 'src/modules/engagement/petitions/data';

function loadList(file: string, key: 'domains' | 'words'): ReadonlySet<string> {
  const data = JSON.parse(readFileSync(projectPath(DATA, file), 'utf8')) as Record<string, unknown>;
  return new Set((data[key] as string[]).map((w) => w.toLowerCase()));
}

let disposable: ReadonlySet<string> | undefined;
let heldWords: ReadonlySet<string> | undefined;

/**
 * One form of an e-mail address for "one signature per address": trimmed and in lower case
 * (providers treat the local part without regard to case in practice).
 *
 * @example normaliseEmail('  Sam@Example.COM ') // 'sam@example.com'
 */
export function normaliseEmail(input: string): string {
  return input.trim().toLowerCase();
}

export type EmailProblem = 'required' | 'malformed' | 'disposable';

// A practical shape: one @, a local part of safe characters, a domain of labels with a dot.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * What is wrong with a signer's e-mail address, or null. Disposable domains (and their
 * subdomains) come from a shipped, attributed list (data/disposable-domains.json).
 */
export function emailProblem(input: string): EmailProblem | null {
  const email = normaliseEmail(input);
  if (email === '') return 'required';
  if (email.length > 254 || !EMAIL.test(email) || email.includes('..')) return 'malformed';
  disposable ??= loadList('disposable-domains.json', 'domains');
  const domain = email.slice(email.indexOf('@') + 1);
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++)
    if (disposable.has(labels.slice(i).join('.'))) return 'disposable';
  return null;
}

/**
 * The postcode district (outward code) of what someone typed, with the address module's
 * parser, or null when it is not shaped like a UK postcode.
 *
 * @example postcodeDistrict('gl5 4ub') // { postcode: 'GL5 4UB', district: 'GL5' }
 */
export function postcodeDistrict(input: string): { postcode: string; district: string } | null {
  const parsed = parsePostcode(input);
  return parsed.ok ? { postcode: parsed.postcode, district: parsed.outcode } : null;
}

const EMAIL_IN_TEXT = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
const PHONE_IN_TEXT = /(?:\+44\s?|\b0)(?:\d\s?){9,10}\b/;

/**
 * Why a petition's text must be looked at before anything else: abusive words, or what looks
 * like someone's e-mail address or phone number. Empty when nothing was found. A held petition
 * is pending like any other (nothing is published unreviewed); the moderator sees why.
 */
export function heldReasons(...texts: string[]): string[] {
  heldWords ??= loadList('held-words.json', 'words');
  const reasons = new Set<string>();
  for (const text of texts) {
    for (const word of text.toLowerCase().split(/[^a-z]+/))
      if (word && heldWords.has(word)) reasons.add('abusive');
    if (EMAIL_IN_TEXT.test(text) || PHONE_IN_TEXT.test(text)) reasons.add('personal-data');
  }
  return [...reasons].sort();
}

/**
 * When a petition published at `publishedAt` closes: signing is open through the whole London
 * day `months` months after the day it was published, and closed from the midnight after.
 *
 * @example closesAt(new Date('2026-01-10T09:00:00Z'), 6) // 2026-07-10T23:00:00Z (00:00 BST on 11 July)
 */
export function closesAt(publishedAt: Date, months: number): Date {
  return londonTime(addDays(addMonths(londonDate(publishedAt), months), 1), 0);
}

/** The last London day a petition can be signed, for people to read. */
export function closingDay(closes: Date): string {
  return londonDate(new Date(closes.getTime() - 1));
}

/** Where a petition stands for everyone: `closed` once its closing instant has come. */
export type PetitionStatus = 'pending' | 'open' | 'closed' | 'rejected';

export function petitionStatus(
  petition: Pick<PetitionRow, 'state' | 'closes_at'>,
  now: Date,
): PetitionStatus {
  if (petition.state !== 'open') return petition.state;
  return petition.closes_at && now.getTime() >= new Date(petition.closes_at).getTime()
    ? 'closed'
    : 'open';
}

/** The stage a petition's signatures have brought it to, for its page and the open data. */
export type PetitionStage = 'collecting' | 'awaiting-response' | 'responded' | 'debate';

export function petitionStage(
  petition: Pick<
    PetitionRow,
    'response_threshold_reached_at' | 'debate_threshold_reached_at' | 'responded_at'
  >,
): PetitionStage {
  if (petition.debate_threshold_reached_at) return 'debate';
  if (petition.responded_at) return 'responded';
  if (petition.response_threshold_reached_at) return 'awaiting-response';
  return 'collecting';
}
