import { describe, expect, it } from 'vitest';
import {
  formValues,
  readRedaction,
  redactText,
  REDACTED,
  responseHeldReasons,
  themeNameProblem,
} from './moderation.js';
import { questionFormOfSlots } from './questions.js';

const { form } = questionFormOfSlots([
  { kind: 'choice', text: 'Agree?', options: ['Yes', 'No'] },
  { kind: 'text', text: 'Why?' },
]);

describe('what holds a response', () => {
  it('holds abusive words and contact details in free text or the organisation’s name, not in choices', () => {
    expect(responseHeldReasons(form, { q1: 'yes', q2: 'Sensible plan' }, null)).toEqual([]);
    expect(responseHeldReasons(form, { q1: 'yes', q2: 'Utter SHITE' }, null)).toEqual(['abusive']);
    expect(responseHeldReasons(form, { q2: 'Call 07700 900123' }, null)).toEqual(['personal-data']);
    expect(responseHeldReasons(form, { q2: '' }, 'Wankers Ltd')).toEqual(['abusive']);
    // Scunthorpe is not held: whole words only.
    expect(responseHeldReasons(form, { q2: 'Scunthorpe library' }, null)).toEqual([]);
  });
});

describe('redacting', () => {
  it('replaces every occurrence in any case, longer passages first, and counts them', () => {
    expect(redactText('Ring Sam Jones or sam', ['sam', 'Sam Jones'])).toEqual({
      text: `Ring ${REDACTED} or ${REDACTED}`,
      replaced: 2,
    });
    expect(redactText('a.b (c)', ['.b (c)'])).toEqual({ text: `a${REDACTED}`, replaced: 1 });
  });

  it('reads the form: a known answer, a reason and passages that are in it', () => {
    const texts = new Map([['1', 'Call 07700 900123']]);
    expect(
      readRedaction({ field: '1', reason: 'personal-data', passages: '07700 900123\n\n' }, texts),
    ).toEqual({
      ok: true,
      redaction: { field: '1', reason: 'personal-data', passages: ['07700 900123'] },
    });
    const bad = readRedaction({ field: '0', reason: 'rude', passages: '' }, texts);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field)).toEqual(['field', 'reason', 'passages']);
    const missing = readRedaction({ field: '1', reason: 'abuse', passages: 'nope' }, texts);
    expect(!missing.ok && missing.errors[0]!.message).toBe(
      'consultations.moderate.passages.notFound',
    );
    const long = readRedaction({ field: '1', reason: 'abuse', passages: 'x'.repeat(201) }, texts);
    expect(!long.ok && long.errors[0]!.message).toBe('consultations.moderate.passages.tooLong');
  });
});

describe('themes and forms', () => {
  it('a theme’s name is required, short and new in any case', () => {
    expect(themeNameProblem('Cost', [])).toBeNull();
    expect(themeNameProblem('', [])).toBe('consultations.themes.name.missing');
    expect(themeNameProblem('x'.repeat(81), [])).toBe('consultations.themes.name.tooLong');
    expect(themeNameProblem('COST', ['Cost'])).toBe('consultations.themes.name.duplicate');
  });

  it('checkbox values come as one string or many', () => {
    expect(formValues({ themes: 'a' }, 'themes')).toEqual(['a']);
    expect(formValues({ themes: ['a', 'b', 3] }, 'themes')).toEqual(['a', 'b']);
    expect(formValues({}, 'themes')).toEqual([]);
  });
});
