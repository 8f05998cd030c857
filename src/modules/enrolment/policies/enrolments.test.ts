import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canManageEnrolment } from './enrolments.js';

describe('who may manage an enrolment', () => {
  it('lets the person who enrolled manage it', () => {
    const person = aCitizen();
    expect(canManageEnrolment(person, { user_id: person.id })).toBe(true);
  });

  it('refuses anyone else, a member of staff, or nobody signed in', () => {
    const person = aCitizen();
    expect(canManageEnrolment(aCitizen({ id: 'citizen-2' }), { user_id: person.id })).toBe(false);
    expect(canManageEnrolment(aStaffMember('stroud', ['caseworker']), { user_id: person.id })).toBe(
      false,
    );
    expect(canManageEnrolment(null, { user_id: person.id })).toBe(false);
  });
});
