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

/** Every `locales/[topic.]en.json` and `locales/[topic.]cy.json` under src/, merged; keys are namespaced. */
export async function loadMessages(root = projectPath('src')): Promise<Messages> {
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
  return messages;
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
  const parts = londonParts(value);
  const date = `${parts.day} ${MONTHS[locale][parts.month - 1]} ${parts.year}`;
  if (!options.weekday) return date;
  const weekday = WEEKDAY[locale].format(toDate(value));
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
