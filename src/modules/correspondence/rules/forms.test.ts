import { describe, expect, it } from 'vitest';
import { readExtension, readResponse, requestErrors, requestFormValues } from './forms.js';

describe('reading the forms', () => {
  it('a request needs a body, a name, a well-formed e-mail address, a subject and details within limits', () => {
    const fields = (errors: { field: string }[]) => errors.map((e) => e.field);
    expect(fields(requestErrors(requestFormValues({})))).toEqual([
      'organisationId',
      'name',
      'email',
      'subject',
      'details',
    ]);
    const values = requestFormValues({
      organisationId: 'x',
      name: 'A Person',
      email: ' A.Person@Example.ORG ',
      subject: 's'.repeat(201),
      details: 'd',
    });
    expect(values.email).toBe('a.person@example.org');
    expect(fields(requestErrors(values))).toEqual(['subject']);
    for (const email of ['a@b', 'a..b@example.org', 'a b@example.org', '@example.org'])
      expect(fields(requestErrors({ ...values, subject: 'ok', email }))).toEqual(['email']);
  });

  it('a response needs an outcome of its kind, and exemptions when FOI information is withheld', () => {
    expect(readResponse({ response: 'Text' }, 'foi').ok).toBe(false);
    expect(readResponse({ outcome: 'upheld', response: 'Text' }, 'foi').ok).toBe(false);
    expect(readResponse({ outcome: 'refused', response: 'Text' }, 'foi').ok).toBe(false);
    expect(readResponse({ outcome: 'refused', exemptions: 's99', response: 'T' }, 'foi').ok).toBe(
      false,
    );
    const partly = readResponse(
      { outcome: 'given-in-part', exemptions: ['s40', 's43', 's40'], response: 'Text' },
      'foi',
    );
    expect(partly.ok && partly.response.exemptions).toEqual(['s40', 's43']);
    // Exemptions mean nothing when everything was given: they are not kept.
    const full = readResponse(
      { outcome: 'given-in-full', exemptions: 's40', response: 'T' },
      'foi',
    );
    expect(full.ok && full.response.exemptions).toEqual([]);
    expect(readResponse({ outcome: 'partly-upheld', response: 'Text' }, 'complaint').ok).toBe(true);
    expect(readResponse({ outcome: 'partly-upheld', response: '' }, 'complaint').ok).toBe(false);
  });

  it('an extension is 1 to 20 working days for a qualified exemption', () => {
    expect(readExtension({ days: '20', reason: 's43' })).toEqual({
      ok: true,
      days: 20,
      reason: 's43',
    });
    expect(readExtension({ days: '21', reason: 's43' }).ok).toBe(false);
    expect(readExtension({ days: '0', reason: 's43' }).ok).toBe(false);
    expect(readExtension({ days: '2.5', reason: 's43' }).ok).toBe(false);
    expect(readExtension({ days: '10', reason: 's41' }).ok).toBe(false);
    expect(readExtension({ days: '10', reason: 's12' }).ok).toBe(false);
  });
});
