import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../../identity/index.js';
import {
  isConsultationStaff,
  mayPublishConsultation,
  mayReadResponses,
  mayRespond,
} from './consultations.js';

describe('consultation policies', () => {
  it("only a body's service owners (and admins) publish its consultations; caseworkers and others may not", () => {
    expect(mayPublishConsultation(aStaffMember('org-a', ['service-owner']), 'org-a')).toBe(true);
    expect(mayPublishConsultation(aStaffMember('org-a', ['admin']), 'org-a')).toBe(true);
    expect(mayPublishConsultation(aStaffMember('org-a', ['caseworker']), 'org-a')).toBe(false);
    expect(mayPublishConsultation(aStaffMember('org-b', ['service-owner']), 'org-a')).toBe(false);
    expect(mayPublishConsultation(aCitizen(), 'org-a')).toBe(false);
    expect(mayPublishConsultation(null, 'org-a')).toBe(false);
  });

  it("a body's caseworkers and service owners read its responses; another body's staff, a counter adviser or a citizen may not", () => {
    expect(mayReadResponses(aStaffMember('org-a', ['caseworker']), 'org-a')).toBe(true);
    expect(mayReadResponses(aStaffMember('org-a', ['service-owner']), 'org-a')).toBe(true);
    expect(mayReadResponses(aStaffMember('org-b', ['caseworker']), 'org-a')).toBe(false);
    expect(mayReadResponses(aStaffMember('org-a', ['counter-adviser']), 'org-a')).toBe(false);
    expect(mayReadResponses(aCitizen(), 'org-a')).toBe(false);
    expect(isConsultationStaff(aStaffMember('org-a', ['caseworker']))).toBe(true);
    expect(isConsultationStaff(aStaffMember('org-a', ['counter-adviser']))).toBe(false);
  });

  it('anyone responds unless the body asked for sign-in; then only someone signed in', () => {
    expect(mayRespond(null, { sign_in_required: false })).toBe(true);
    expect(mayRespond(null, { sign_in_required: true })).toBe(false);
    expect(mayRespond(aCitizen(), { sign_in_required: true })).toBe(true);
  });
});
