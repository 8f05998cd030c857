import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { projectPath } from '../paths.js';

export const LOCALES = ['en', 'cy'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'cy';
}

export type Messages = Record<Locale, Record<string, string>>;

const loaded = new Map<string, Promise<Messages>>();

/**
 * Every `locales/[topic.]en.json` and `locales/[topic.]cy.json` under src/, merged; keys are
 * namespaced. Read once per process: what is shipped does not change while it runs.
 */
export function loadMessages(root = projectPath('src')): Promise<Messages> {
  let messages = loaded.get(root);
  if (!messages) {
    messages = readMessages(root);
    // A failed read (a duplicate key, say) is not kept: the next call reads again.
    messages.catch(() => loaded.delete(root));
    loaded.set(root, messages);
  }
  return messages;
}

async function readMessages(root: string): Promise<Messages> {
  const messages: Messages = { en: {}, cy: {} };
  for (const file of await findLocaleFiles(root)) {
    // `en.json`, or `<topic>.en.json` so one module's messages can sit in several files.
    const locale = path.basename(file, '.json').split('.').at(-1);
    if (!isLocale(locale)) continue;
    const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    for (const [key, value] of Object.entries(entries)) {
      if (key in messages[locale]) throw new Error(`Duplicate message key ${key} in ${file}`);
      messages[locale][key] = value;
    }
  }
  Object.freeze(messages.en);
  Object.freeze(messages.cy);
  return Object.freeze(messages);
}

async function findLocaleFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findLocaleFiles(full)));
    else if (path.basename(dir) === 'locales' && entry.name.endsWith('.json')) found.push(full);
  }
  return found;
}

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * A translator for one locale. A key missing in Welsh falls back to English (a test makes
 * sure none is missing); a key missing everywhere shows the key, so it is found in review.
 */
export function translator(messages: Messages, locale: Locale): Translate {
  return (key, values) => {
    const template = messages[locale][key] ?? messages.en[key] ?? key;
    if (!values) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  };
}

const MONTHS: Record<Locale, string[]> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  cy: [
    'Ionawr',
    'Chwefror',
    'Mawrth',
    'Ebrill',
    'Mai',
    'Mehefin',
    'Gorffennaf',
    'Awst',
    'Medi',
    'Hydref',
    'Tachwedd',
    'Rhagfyr',
  ],
};

/**
 * "24 November 2026" / "24 Tachwedd 2026" in UK time, as GOV.UK writes dates; with
 * `weekday`, "Tuesday 24 November 2026" / "Dydd Mawrth 24 Tachwedd 2026".
 */
export function formatDate(
  value: Date | string,
  locale: Locale,
  options: { weekday?: boolean } = {},
): string {
  const day = typeof value === 'string' ? calendarDay(value) : undefined;
  const parts = day ?? londonParts(value);
  const date = `${parts.day} ${MONTHS[locale][parts.month - 1]} ${parts.year}`;
  if (!options.weekday) return date;
  const weekday = day ? WEEKDAY_NAMES[locale][day.weekday] : WEEKDAY[locale].format(toDate(value));
  return `${weekday} ${date}`;
}

/** "24 November 2026, 10:02" in UK time. */
export function formatDateTime(value: Date | string, locale: Locale): string {
  const parts = londonParts(value);
  return `${formatDate(value, locale)}, ${parts.hour}:${parts.minute}`;
}

/** A date-only string (YYYY-MM-DD) means that day in the UK: noon UTC is on that day all year. */
function toDate(value: Date | string): Date {
  return typeof value === 'string'
    ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value)
    : value;
}

// Made once: building an Intl.DateTimeFormat costs far more than formatting with one.
const WEEKDAY: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' }),
  cy: new Intl.DateTimeFormat('cy-GB', { weekday: 'long', timeZone: 'Europe/London' }),
};
const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// The names formatDate writes, Sunday first (getUTCDay's order), from the formatters above:
// 29 November 2026 is a Sunday.
const WEEKDAY_NAMES: Record<Locale, string[]> = {
  en: Array.from({ length: 7 }, (_, i) => WEEKDAY.en.format(Date.UTC(2026, 10, 29 + i, 12))),
  cy: Array.from({ length: 7 }, (_, i) => WEEKDAY.cy.format(Date.UTC(2026, 10, 29 + i, 12))),
};

/**
 * A real date-only string (YYYY-MM-DD) read without Intl, which is slow: it is that day in the
 * UK (see toDate). Undefined for anything else, which goes the long way.
 */
function calendarDay(value: string) {
  if (value.length !== 10 || value[4] !== '-' || value[7] !== '-') return undefined;
  const [year, month, day] = [+value.slice(0, 4), +value.slice(5, 7), +value.slice(8, 10)];
  const date = new Date(Date.UTC(year, month - 1, day, 12));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return { day, month, year, weekday: date.getUTCDay() };
}

function londonParts(value: Date | string) {
  const date = toDate(value);
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    day: Number(parts.day),
    month: Number(parts.month),
    year: Number(parts.year),
    hour: parts.hour as string,
    minute: parts.minute as string,
  };
}
