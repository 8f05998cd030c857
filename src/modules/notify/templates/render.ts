/**
 * Notify's template language: `((name))` placeholders, `((name??text))` conditional text shown
 * when the value is yes/true/1, personalisation keys matched regardless of case, spaces,
 * hyphens and underscores; a small Markdown subset for e-mail; text-message fragment counting.
 */

const PLACEHOLDER = /\(\(([^()]+)\)\)/g;

/** Notify's InsensitiveDict key: `First Name`, `first_name` and `first-name` are the same. */
export function personalisationKey(name: string): string {
  return name.replace(/[\s_-]/g, '').toLowerCase();
}

function parse(inner: string): { name: string; conditional: string | null } {
  const at = inner.indexOf('??');
  if (at === -1) return { name: inner.trim(), conditional: null };
  return { name: inner.slice(0, at).trim(), conditional: inner.slice(at + 2) };
}

/** Every placeholder name in the texts, in order of first appearance. */
export function placeholders(...texts: (string | null | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const text of texts) {
    for (const match of (text ?? '').matchAll(PLACEHOLDER)) {
      const { name } = parse(match[1]!);
      if (!seen.has(personalisationKey(name))) seen.set(personalisationKey(name), name);
    }
  }
  return [...seen.values()];
}

export type Personalisation = Record<string, unknown>;

function lookup(values: Personalisation): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values)) map.set(personalisationKey(key), value);
  return map;
}

/** The placeholders the values leave unfilled (a null value counts as missing), as Notify names them. */
export function missingPersonalisation(
  values: Personalisation,
  ...texts: (string | null | undefined)[]
): string[] {
  const given = lookup(values);
  return placeholders(...texts).filter((name) => {
    const value = given.get(personalisationKey(name));
    return value === undefined || value === null;
  });
}

const TRUTHY = new Set(['yes', 'y', 'true', 't', '1', 'include', 'show']);

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => `* ${text(item)}`).join('\n');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Fills the placeholders in. `escape` is applied to each value (HTML previews); a missing value
 * leaves the placeholder as it was, as Notify's previews do.
 *
 * @example fill('Hello ((name))((urgent?? – act now))', { name: 'Sam', urgent: 'yes' }) // 'Hello Sam – act now'
 */
export function fill(
  template: string,
  values: Personalisation,
  escape: (s: string) => string = (s) => s,
): string {
  const given = lookup(values);
  return template.replace(PLACEHOLDER, (whole, inner: string) => {
    const { name, conditional } = parse(inner);
    const value = given.get(personalisationKey(name));
    if (value === undefined || value === null) return whole;
    if (conditional !== null)
      return TRUTHY.has(String(value).trim().toLowerCase()) ? conditional : '';
    return escape(text(value));
  });
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function inline(escaped: string): string {
  return escaped
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>')
    .replace(/(^|[\s(])(https?:\/\/[^\s<)]+)/g, '$1<a href="$2">$2</a>')
    .replace(/\*\*([^*]+)\*\*/g, '$1');
}

/**
 * E-mail HTML from Notify's Markdown subset: `#` and `##` headings, `*`/`-` bullets, `1.` lists,
 * `^` inset text, `---` rules, paragraphs and links. Placeholder values are escaped first.
 */
export function emailHtml(body: string, values: Personalisation): string {
  const filled = fill(escapeHtml(body), values, escapeHtml);
  const blocks = filled.replace(/\r\n/g, '\n').split(/\n{2,}/);
  const html: string[] = [];
  for (const raw of blocks) {
    const block = raw.trim();
    if (!block) continue;
    const lines = block.split('\n');
    if (/^-{3,}$|^\*{3,}$/.test(block)) html.push('<hr>');
    else if (block.startsWith('## ')) html.push(`<h3>${inline(block.slice(3))}</h3>`);
    else if (block.startsWith('# ')) html.push(`<h2>${inline(block.slice(2))}</h2>`);
    else if (block.startsWith('^'))
      html.push(`<blockquote>${inline(block.slice(1).trim())}</blockquote>`);
    else if (lines.every((line) => /^[*•-]\s/.test(line)))
      html.push(
        `<ul>${lines.map((l) => `<li>${inline(l.replace(/^[*•-]\s+/, ''))}</li>`).join('')}</ul>`,
      );
    else if (lines.every((line) => /^\d+\.\s/.test(line)))
      html.push(
        `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\d+\.\s+/, ''))}</li>`).join('')}</ol>`,
      );
    else html.push(`<p>${lines.map(inline).join('<br>')}</p>`);
  }
  return html.join('\n');
}

/** Notify refuses text messages longer than this many characters. */
export const SMS_CHAR_LIMIT = 918;

const GSM =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€';

/**
 * Characters and fragments of a text message: GSM 03.38 messages take 160 characters in one
 * fragment and 153 in each of several (extended characters count twice); anything else is sent
 * as Unicode, 70 in one and 67 in each of several.
 */
export function smsFragments(body: string): {
  characters: number;
  fragments: number;
  unicode: boolean;
} {
  let gsmLength = 0;
  let unicode = false;
  for (const char of body) {
    if (GSM.includes(char)) gsmLength += 1;
    else if (GSM_EXTENDED.includes(char)) gsmLength += 2;
    else unicode = true;
  }
  const characters = unicode ? [...body].length : gsmLength;
  const [single, multi] = unicode ? [70, 67] : [160, 153];
  const fragments = characters <= single ? 1 : Math.ceil(characters / multi);
  return { characters, fragments, unicode };
}
