import { describe, expect, it } from 'vitest';
import { normalisePostcode } from '../names.js';
import { parseNino } from '../nino.js';
import { DEMO_CITIZEN_FACTS, demoRegisterPeople } from './generator.js';

describe('the demo benefits register', () => {
  const people = demoRegisterPeople();

  it('is the same 1,000 people every time, the demo citizen among them', () => {
    expect(people).toHaveLength(1000);
    expect(demoRegisterPeople()).toEqual(people);
    expect(people).toContainEqual(DEMO_CITIZEN_FACTS);
  });

  it('gives everyone a valid, distinct National Insurance number and a real-format postcode', () => {
    expect(new Set(people.map((p) => p.nino)).size).toBe(1000);
    for (const person of people) {
      expect(parseNino(person.nino), person.nino).toEqual({ ok: true, nino: person.nino });
      expect(normalisePostcode(person.postcode), person.postcode).toBe(person.postcode);
      expect(person.postcode).toMatch(/^(GL|BS|CF)\d/);
    }
  });

  it('has dates of birth from 1935 to 2006 only', () => {
    const dates = people.map((p) => p.dateOfBirth).sort();
    expect(dates[0]! >= '1935-01-01').toBe(true);
    expect(dates.at(-1)! <= '2006-12-31').toBe(true);
    expect(new Set(dates.map((d) => d.slice(0, 3))).size).toBeGreaterThanOrEqual(7);
  });

  it('differs with another seed, so the fixed seed is what keeps it stable', () => {
    expect(demoRegisterPeople(10, 1)).not.toEqual(demoRegisterPeople(10));
  });
});
