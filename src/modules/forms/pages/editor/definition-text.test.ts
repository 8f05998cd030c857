import { describe, expect, it } from 'vitest';
import { bundledForms } from '../../bundled.js';
import { FormDefinitionSchema } from '../../schema.js';
import { everyQuestionForm } from '../../test/every-question.js';
import { definitionText } from './definition-text.js';

/** Keys in an order jsonb could give them back in: shortest first, then bytewise. */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  return Object.fromEntries(
    keys.map((k) => [k, jsonbOrder((value as Record<string, unknown>)[k])]),
  );
}

describe('a stored definition as the text the editor shows', () => {
  const definition = FormDefinitionSchema.parse(everyQuestionForm('every-question'));

  it('checks back to the very same definition, however the database ordered its keys', () => {
    const text = definitionText(jsonbOrder(definition));
    expect(FormDefinitionSchema.parse(JSON.parse(text))).toEqual(definition);
  });

  it('does the same for every shipped form', async () => {
    for (const form of await bundledForms()) {
      const text = definitionText(jsonbOrder(form));
      expect(FormDefinitionSchema.parse(JSON.parse(text)), form.key).toEqual(form);
    }
  });

  it('puts what a thing is and says first, and what it contains last', () => {
    const text = definitionText(jsonbOrder(definition));
    const object = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(object)).toEqual(['key', 'title', 'pages', 'declaration', 'confirmation']);
    const page = (object.pages as Record<string, unknown>[])[2]!;
    expect(Object.keys(page)).toEqual(['id', 'title', 'when', 'questions']);
    expect(Object.keys(page.title as object)).toEqual(['en', 'cy']);
    expect(text.startsWith('{\n  "key": "every-question",\n  "title": {\n    "en": ')).toBe(true);
  });

  it('leaves out defaults that go without saying, and keeps those that were changed', () => {
    const text = definitionText(definition);
    expect(text).not.toContain('"required": true');
    expect(text).toContain('"required": false');
    expect(text).not.toContain('"weekdaysOnly": false');
  });
});
