import { describe, expect, it } from 'vitest';
import { furthestStep, mayVisit, readStep, stepsFor } from './journey.js';
import { parseDetails, pickFields } from './events.js';

describe('the tell-us-once journey', () => {
  it('goes change → question pages → bodies → check, and never lets a person jump ahead', () => {
    const start = { type: null, details: {}, bodiesChosen: false };
    expect(furthestStep(start)).toBe('change');
    expect(mayVisit(start, 'check')).toBe(false);
    const moving = { type: 'change-of-address' as const, details: {}, bodiesChosen: false };
    expect(furthestStep(moving)).toBe('postcode');
    expect(mayVisit(moving, 'address')).toBe(false);
    const addressed = { ...moving, details: { postcode: 'GL5 4UB', uprn: '1', address: 'x' } };
    expect(furthestStep(addressed)).toBe('moved');
    expect(mayVisit(addressed, 'postcode')).toBe(true);
    const answered = { ...addressed, details: { ...addressed.details, movedOn: '2026-11-01' } };
    expect(furthestStep(answered)).toBe('bodies');
    expect(mayVisit(answered, 'check')).toBe(false);
    expect(furthestStep({ ...answered, bodiesChosen: true })).toBe('check');
    expect(mayVisit({ ...answered, bodiesChosen: true }, 'no-such-page')).toBe(false);
  });

  it('names each wrong answer: a missing name, an impossible date, a future death, a bad postcode', () => {
    const [name] = stepsFor('change-of-name');
    expect(readStep(name!, { givenName: '', familyName: 'Jones' })).toEqual({
      ok: false,
      errors: [{ field: 'givenName', message: 'sharing.error.givenName.required' }],
    });
    const died = stepsFor('death').find((s) => s.id === 'death-date')!;
    const future = { 'dateOfDeath-day': '2', 'dateOfDeath-month': '1', 'dateOfDeath-year': '2027' };
    expect(readStep(died, future, new Map(), '2026-11-26')).toMatchObject({
      errors: [{ message: 'sharing.error.dateOfDeath.future' }],
    });
    const impossible = {
      'dateOfDeath-day': '31',
      'dateOfDeath-month': '2',
      'dateOfDeath-year': '2026',
    };
    expect(readStep(died, impossible)).toMatchObject({
      errors: [{ message: 'sharing.error.dateOfDeath.invalid' }],
    });
    const [postcode] = stepsFor('change-of-address');
    expect(readStep(postcode!, { postcode: 'nowhere' })).toMatchObject({ ok: false });
    expect(readStep(postcode!, { postcode: 'gl54ub' })).toEqual({
      ok: true,
      values: { postcode: 'GL5 4UB' },
    });
  });

  it('takes only an address from the list, with its UPRN', () => {
    const address = stepsFor('change-of-address')[1]!;
    const list = new Map([['900000000001', 'Ebley Mill, Stroud']]);
    expect(readStep(address, { uprn: '123' }, list)).toMatchObject({ ok: false });
    expect(readStep(address, { uprn: '900000000001' }, list)).toEqual({
      ok: true,
      values: { uprn: '900000000001', address: 'Ebley Mill, Stroud' },
    });
  });

  it('needs an e-mail address or a phone number for new contact details', () => {
    const [contact] = stepsFor('change-of-contact-details');
    expect(readStep(contact!, {})).toMatchObject({
      errors: [{ message: 'sharing.error.contact.oneOf' }],
    });
    expect(readStep(contact!, { phone: '01632 960001' })).toEqual({
      ok: true,
      values: { phone: '01632 960001' },
    });
  });
});

describe('changes as typed events', () => {
  it('checks each kind against its schema', () => {
    expect(parseDetails('change-of-contact-details', {}).ok).toBe(false);
    expect(
      parseDetails('change-of-address', {
        uprn: 'abc',
        address: 'x',
        postcode: 'GL5 4UB',
        movedOn: '2026-01-01',
      }).ok,
    ).toBe(false);
    expect(
      parseDetails('death', {
        deceasedGivenName: 'Pat',
        deceasedFamilyName: 'Example',
        deceasedDateOfBirth: '2026-02-01',
        dateOfDeath: '2026-01-01',
        deathRegistrationReference: 'DA 1',
        reporterRelationship: 'executor',
      }).ok,
    ).toBe(false); // born after they died
    expect(
      parseDetails('change-of-name', {
        givenName: 'Sam',
        familyName: 'Jones',
        changedOn: '2026-01-02',
        extra: 1,
      }).ok,
    ).toBe(false);
  });

  it('sends a body only the fields its agreement names, for that kind of change', () => {
    const details = { uprn: '1', address: 'x', postcode: 'GL5 4UB', movedOn: '2026-01-01' };
    expect(
      pickFields('change-of-address', details, [
        'change-of-address.postcode',
        'change-of-name.givenName',
      ]),
    ).toEqual({ postcode: 'GL5 4UB' });
    expect(pickFields('change-of-address', details, ['change-of-name.postcode'])).toEqual({});
  });
});
