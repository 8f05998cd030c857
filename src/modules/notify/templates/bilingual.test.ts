import { describe, expect, it } from 'vitest';
import { bilingualContent, missingBilingual, type TemplateTexts } from './bilingual.js';

const english = (type: TemplateTexts['type']): TemplateTexts => ({
  type,
  subject: type === 'sms' ? null : 'Your bin ((day))',
  body: 'Hello ((name))',
  welsh_subject: null,
  welsh_body: null,
});
const bilingual = (type: TemplateTexts['type']): TemplateTexts => ({
  ...english(type),
  welsh_subject: type === 'sms' ? null : 'Eich bin ((day))',
  welsh_body: 'Helo ((name))',
});
const values = { name: 'Sam', day: 'dydd Llun' };

describe('bilingual template content', () => {
  it('leaves an English-only template as it is', () => {
    expect(bilingualContent(english('email'), values)).toEqual({
      subject: 'Your bin dydd Llun',
      body: 'Hello Sam',
    });
  });

  it('sends an e-mail with both subjects and the Welsh body first, divided by a rule', () => {
    expect(bilingualContent(bilingual('email'), values)).toEqual({
      subject: 'Eich bin dydd Llun / Your bin dydd Llun',
      body: 'Helo Sam\n\n---\n\nHello Sam',
    });
  });

  it('sends a text message with the Welsh text first', () => {
    expect(bilingualContent(bilingual('sms'), values)).toEqual({
      subject: null,
      body: 'Helo Sam\n\nHello Sam',
    });
  });

  it('puts a letter’s English half on a new page under its own heading', () => {
    expect(bilingualContent(bilingual('letter'), values)).toEqual({
      subject: 'Eich bin dydd Llun',
      body: 'Helo Sam\n\n***\n\n# Your bin dydd Llun\n\nHello Sam',
    });
  });

  it('counts a placeholder only the Welsh version uses as missing', () => {
    const template = { ...bilingual('sms'), welsh_body: 'Helo ((enw))' };
    expect(missingBilingual(template, { name: 'Sam' })).toEqual(['enw']);
  });
});
