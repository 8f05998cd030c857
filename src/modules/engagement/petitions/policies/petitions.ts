import type { CurrentUser } from '../../../../platform/http/types.js';
import { isStaffOf } from '../../../identity/index.js';
import type { PetitionRow } from '../../db/tables.js';

/**
 * Who may start a petition: a signed-in person acting for themselves. Staff accounts do not
 * petition (they answer petitions), nor does an agent acting for a client.
 */
export function mayStartPetition(user: CurrentUser | null): user is CurrentUser {
  return !!user && user.kind === 'citizen' && !user.actingFor;
}

/**
 * Who checks a body's petitions before they go live, answers them and reviews bulk signing:
 * the body's caseworkers and service owners (and admins). Counter advisers and other bodies'
 * staff may not; they get 404.
 */
export function mayModeratePetitions(user: CurrentUser | null, organisationId: string): boolean {
  return (
    isStaffOf(user, organisationId, 'caseworker') ||
    isStaffOf(user, organisationId, 'service-owner')
  );
}

/** Who sets a body's thresholds and how long its petitions stay open: its service owners. */
export function maySetPetitionRules(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/**
 * Who sees a petition's page: anyone once it is published; before that, and if it was
 * rejected, only its creator and the body's moderators (everyone else gets 404).
 */
export function mayViewPetition(
  user: CurrentUser | null,
  petition: Pick<PetitionRow, 'state' | 'created_by' | 'organisation_id'>,
): boolean {
  if (petition.state === 'open') return true;
  if (user && petition.created_by === user.id) return true;
  return mayModeratePetitions(user, petition.organisation_id);
}

/** Whether to show the staff "Petitions" link: staff of a body who may moderate. */
export function isPetitionStaff(user: CurrentUser | null): boolean {
  return !!user?.organisationId && mayModeratePetitions(user, user.organisationId);
}
