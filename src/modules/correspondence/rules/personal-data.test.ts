import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { personalDataIn } from './personal-data.js';

const requester = { name: 'Siân Pritchard-Jones', email: 'sian.pj@example.com' };

describe('personalDataIn: what keeps a disclosure from the public log', () => {
  it('finds the full name, whatever the case', () => {
    expect(personalDataIn('Dear SIÂN PRITCHARD-JONES, here is …', requester)).toEqual(['name']);
  });

  it('finds one part of the name as a whole word', () => {
    expect(personalDataIn('Thank you, Ms Pritchard-Jones.', requester)).toEqual(['name']);
    expect(personalDataIn('Dear Siân,', requester)).toEqual(['name']);
  });

  it('finds the e-mail address and its part before the @', () => {
    expect(personalDataIn('Sent to sian.pj@example.com', requester)).toEqual(['email']);
    expect(personalDataIn('Reply to SIAN.PJ please', requester)).toEqual(['email']);
  });

  it('passes a text that names neither', () => {
    expect(
      personalDataIn(
        'The council spent £12,400 on agency staff in 2025-26. Section 43 applies.',
        requester,
      ),
    ).toEqual([]);
  });

  it('does not flag a name part inside a longer word', () => {
    expect(personalDataIn('Siânsbury Road', { name: 'Siân', email: null })).toEqual([]);
  });

  it('ignores name parts of fewer than three letters', () => {
    expect(personalDataIn('Jo to the park', { name: 'Jo Li', email: null })).toEqual([]);
  });

  it('always finds the name or address wherever they are put in a text (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z]{3,12}$/);
    fc.assert(
      fc.property(word, word, fc.string(), fc.string(), (first, last, before, after) => {
        const who = { name: `${first} ${last}`, email: `${first}.${last}@example.org` };
        expect(personalDataIn(`${before} ${first} ${last} ${after}`, who)).toContain('name');
        expect(personalDataIn(`${before} ${who.email} ${after}`, who)).toContain('email');
      }),
    );
  });
});
