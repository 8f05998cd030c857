import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../../identity/index.js';
import {
  isConsultationStaff,
  mayDownloadDocuments,
  mayExportResponsesByKey,
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

  it("only the owning body's hub receive key takes the responses through the API", () => {
    expect(mayExportResponsesByKey({ organisationId: 'org-a', scope: 'receive' }, 'org-a')).toBe(
      true,
    );
    expect(mayExportResponsesByKey({ organisationId: 'org-a', scope: 'submit' }, 'org-a')).toBe(
      false,
    );
    expect(mayExportResponsesByKey({ organisationId: 'org-b', scope: 'receive' }, 'org-a')).toBe(
      false,
    );
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

  it("a consultation's documents are anyone's once it opens; before, only its body's caseworkers and service owners", () => {
    const now = new Date('2026-06-15T10:00:00Z');
    const upcoming = {
      organisation_id: 'org-a',
      opens_on: '2026-06-16',
      closes_on: '2026-07-16',
      withdrawn_at: null,
    };
    const open = { ...upcoming, opens_on: '2026-06-15' };
    expect(mayDownloadDocuments(null, open, now)).toBe(true);
    expect(mayDownloadDocuments(aCitizen(), { ...open, closes_on: '2026-06-15' }, now)).toBe(true);
    expect(mayDownloadDocuments(null, upcoming, now)).toBe(false);
    expect(mayDownloadDocuments(aCitizen(), upcoming, now)).toBe(false);
    expect(mayDownloadDocuments(aStaffMember('org-b', ['service-owner']), upcoming, now)).toBe(
      false,
    );
    expect(mayDownloadDocuments(aStaffMember('org-a', ['counter-adviser']), upcoming, now)).toBe(
      false,
    );
    expect(mayDownloadDocuments(aStaffMember('org-a', ['caseworker']), upcoming, now)).toBe(true);
    expect(mayDownloadDocuments(aStaffMember('org-a', ['service-owner']), upcoming, now)).toBe(
      true,
    );
  });
});
