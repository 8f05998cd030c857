import type { NotificationType } from '../db/tables.js';
import { fill, missingPersonalisation, type Personalisation } from './render.js';

/** A template's texts in both languages; the Welsh ones are null for an English-only template. */
export interface TemplateTexts {
  type: NotificationType;
  subject: string | null;
  body: string;
  welsh_subject: string | null;
  welsh_body: string | null;
}

/**
 * What a template sends, filled in. GOV.UK Notify's API has no language field, so a template with
 * a Welsh version sends both languages in one message, Welsh first (as the Welsh Language
 * Standards expect of a bilingual message):
 * - e-mail: subject `Welsh / English`; the Welsh body, a `---` rule, the English body;
 * - text message: the Welsh text, a blank line, the English text (one message, counted whole);
 * - letter: the Welsh heading and body, then on a new page (`***`) the English heading and body.
 * Placeholders are filled alike in both languages.
 *
 * @example bilingualContent({ type: 'sms', subject: null, body: 'Hello ((name))', welsh_subject: null, welsh_body: 'Helo ((name))' }, { name: 'Sam' })
 * // { subject: null, body: 'Helo Sam\n\nHello Sam' }
 */
export function bilingualContent(
  template: TemplateTexts,
  values: Personalisation,
): { subject: string | null; body: string } {
  const english = {
    subject: template.subject === null ? null : fill(template.subject, values).trim(),
    body: fill(template.body, values),
  };
  if (!template.welsh_body?.trim()) return english;
  const welsh = {
    subject: template.welsh_subject === null ? null : fill(template.welsh_subject, values).trim(),
    body: fill(template.welsh_body, values),
  };
  if (template.type === 'sms') return { subject: null, body: `${welsh.body}\n\n${english.body}` };
  if (template.type === 'email')
    return {
      subject: [welsh.subject, english.subject].filter(Boolean).join(' / '),
      body: `${welsh.body}\n\n---\n\n${english.body}`,
    };
  return {
    subject: welsh.subject ?? english.subject,
    body: `${welsh.body}\n\n***\n\n${english.subject ? `# ${english.subject}\n\n` : ''}${english.body}`,
  };
}

/** The placeholders missing from the values, over both languages. */
export function missingBilingual(template: TemplateTexts, values: Personalisation): string[] {
  return missingPersonalisation(
    values,
    template.subject,
    template.body,
    template.welsh_subject,
    template.welsh_body,
  );
}
