import { loadMessages, translator, type Messages } from '../../platform/i18n/i18n.js';

let messages: Promise<Messages> | undefined;

/**
 * An e-mail text in English then Welsh, so every reader can use it whichever language they
 * chose; the subject is both, separated by " / ".
 */
export async function bilingual(
  key: string,
  values: (locale: 'en' | 'cy') => Record<string, string>,
  separator = '\n\n———\n\n',
): Promise<string> {
  const loaded = await (messages ??= loadMessages());
  return (['en', 'cy'] as const)
    .map((locale) => translator(loaded, locale)(key, values(locale)))
    .join(separator);
}
