import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin, isStaffOf } from '../../identity/index.js';
import type { SubmissionRow } from '../db/tables.js';
import type { HubCaller } from '../hub/keys.js';

/**
 * Who may run a body's hub set-up (its API keys, webhook, signing secrets): the body's own
 * admins, and platform admins for every body.
 */
export function mayAdministerHub(user: CurrentUser | null, organisationId: string): boolean {
  return isPlatformAdmin(user) || isStaffOf(user, organisationId, 'admin');
}

/** Whether the hub admin link belongs in the user's navigation. */
export function mayAdministerAnyHub(user: CurrentUser | null): boolean {
  return isPlatformAdmin(user) || (!!user?.organisationId && user.roles.includes('admin'));
}

/**
 * A `submit` key sends to its own body's services; a `submit-any` key (an intermediary's) to
 * any service; a `receive` key sends nothing.
 */
export function maySubmitTo(caller: HubCaller, serviceOrganisationId: string): boolean {
  return (
    caller.scope === 'submit-any' ||
    (caller.scope === 'submit' && caller.organisationId === serviceOrganisationId)
  );
}

/** The receiving body's `receive` key reads its inbox, acknowledges and replies. */
export function mayReceive(caller: HubCaller): boolean {
  return caller.scope === 'receive';
}

/** The receiving body may reply about a submission sent to it, and to nobody else. */
export function mayReply(
  caller: HubCaller,
  submission: Pick<SubmissionRow, 'organisation_id'>,
): boolean {
  return mayReceive(caller) && submission.organisation_id === caller.organisationId;
}

/**
 * A submission's status is read by the body it was sent to (with its receive key) and by the
 * body that sent it through the API (with a submit key). Anyone else is told "not found".
 */
export function mayReadStatus(
  caller: HubCaller,
  submission: Pick<SubmissionRow, 'organisation_id' | 'submitted_by_organisation_id'>,
): boolean {
  if (mayReply(caller, submission)) return true;
  return (
    (caller.scope === 'submit' || caller.scope === 'submit-any') &&
    submission.submitted_by_organisation_id === caller.organisationId
  );
}
