import { describe, expect, it } from 'vitest';
import { readDecline, readReferral } from './form.js';

const bodies = new Set(['org-county', 'org-cheltenham']);
const valid = {
  organisationId: 'org-county',
  kind: 'refer',
  parts: ['history', 'answers'],
  reason: ' Needs an adult social care assessment ',
  consent: 'phone',
  consentNote: '',
};

function fields(outcome: ReturnType<typeof readReferral>): string[] {
  return outcome.ok ? [] : outcome.errors.map((e) => e.field);
}

describe('the referral form', () => {
  it('reads a complete referral, parts in a fixed order and text trimmed', () => {
    const outcome = readReferral(valid, bodies);
    expect(outcome).toEqual({
      ok: true,
      request: {
        toOrganisationId: 'org-county',
        kind: 'refer',
        parts: ['answers', 'history'],
        reason: 'Needs an adult social care assessment',
        consent: { how: 'phone' },
      },
    });
  });

  it('takes a single part sent as a string, and keeps a consent note', () => {
    const outcome = readReferral(
      { ...valid, parts: 'notes', consentNote: 'Call on 3 May' },
      bodies,
    );
    expect(outcome.ok && outcome.request.parts).toEqual(['notes']);
    expect(outcome.ok && outcome.request.consent).toEqual({ how: 'phone', note: 'Call on 3 May' });
  });

  it('refuses a referral without the applicant’s consent', () => {
    expect(fields(readReferral({ ...valid, consent: '' }, bodies))).toEqual(['consent']);
    expect(fields(readReferral({ ...valid, consent: 'assumed' }, bodies))).toEqual(['consent']);
  });

  it('refuses a body not on the list (the caseworker’s own, or a made-up id)', () => {
    expect(fields(readReferral({ ...valid, organisationId: 'org-stroud' }, bodies))).toEqual([
      'organisationId',
    ]);
    expect(fields(readReferral({ ...valid, organisationId: '' }, bodies))).toEqual([
      'organisationId',
    ]);
  });

  it('needs at least one part, and refuses a part that does not exist', () => {
    expect(fields(readReferral({ ...valid, parts: [] }, bodies))).toEqual(['parts']);
    expect(fields(readReferral({ ...valid, parts: ['answers', 'payments'] }, bodies))).toEqual([
      'parts',
    ]);
  });

  it('lists every problem at once, in the order of the page', () => {
    expect(fields(readReferral({}, bodies))).toEqual([
      'organisationId',
      'kind',
      'parts',
      'reason',
      'consent',
    ]);
  });

  it('limits the reason to 2,000 characters and the consent note to 500', () => {
    expect(fields(readReferral({ ...valid, reason: 'x'.repeat(2000) }, bodies))).toEqual([]);
    expect(fields(readReferral({ ...valid, reason: 'x'.repeat(2001) }, bodies))).toEqual([
      'reason',
    ]);
    expect(fields(readReferral({ ...valid, consentNote: 'x'.repeat(501) }, bodies))).toEqual([
      'consentNote',
    ]);
  });

  it('needs a reason to decline', () => {
    expect(readDecline({ response: '  ' })).toEqual({
      ok: false,
      errors: [{ field: 'response', message: 'casework.referrals.errors.responseRequired' }],
    });
    expect(readDecline({ response: 'Not ours: ask the district' })).toEqual({
      ok: true,
      response: 'Not ours: ask the district',
    });
  });
});
