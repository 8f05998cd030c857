import type { CurrentUser } from '../../../../platform/http/types.js';
import { isStaffOf } from '../../../identity/index.js';
import { consultationStatus } from '../schema.js';

/** Who publishes a body's consultations: its service owners (and admins). Caseworkers may not. */
export function mayPublishConsultation(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/**
 * Who reads the responses to a body's consultations (counts, free text, the CSV): its
 * caseworkers and service owners. Another body's staff and counter advisers get 404.
 */
export function mayReadResponses(user: CurrentUser | null, organisationId: string): boolean {
  return (
    isStaffOf(user, organisationId, 'caseworker') ||
    isStaffOf(user, organisationId, 'service-owner')
  );
}

/** Who may respond: anyone, unless the body asked for respondents to be signed in. */
export function mayRespond(
  user: CurrentUser | null,
  consultation: { sign_in_required: boolean },
): boolean {
  return !consultation.sign_in_required || !!user;
}

/** Whether to show the staff "Consultations" link. */
export function isConsultationStaff(user: CurrentUser | null): boolean {
  return !!user?.organisationId && mayReadResponses(user, user.organisationId);
}

/**
 * Who may download a consultation's documents: anyone once it has opened (published to the
 * public; also once closed or withdrawn, as its page stays); before its opening day only the
 * body's caseworkers and service owners, who prepare it. Others get 404.
 */
export function mayDownloadDocuments(
  user: CurrentUser | null,
  consultation: {
    organisation_id: string;
    opens_on: string;
    closes_on: string;
    withdrawn_at: Date | null;
  },
  now: Date,
): boolean {
  return (
    consultationStatus(consultation, now) !== 'upcoming' ||
    mayReadResponses(user, consultation.organisation_id)
  );
}

/**
 * Whether a body's system, by its hub API key, may take the responses to a consultation: only
 * the owning body's `receive` key (the scope for reading what reaches the body).
 */
export function mayExportResponsesByKey(
  caller: { organisationId: string; scope: string },
  organisationId: string,
): boolean {
  return caller.organisationId === organisationId && caller.scope === 'receive';
}
