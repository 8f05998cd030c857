import type { CurrentUser } from '../../../platform/http/types.js';
import { isCitizen, isPlatformAdmin } from '../../identity/index.js';
import type { HubCaller } from '../../submissions/index.js';

/** A person tells their own changes (not an agent acting for them: consent is personal). */
export function mayTellUsOnce(user: CurrentUser | null): boolean {
  return isCitizen(user) && !user?.actingFor;
}

/** A change, its statuses and a consent are seen and changed only by the person they belong to. */
export function mayActOnOwn(user: CurrentUser | null, ownerUserId: string): boolean {
  return mayTellUsOnce(user) && user!.id === ownerUserId;
}

/** Data-sharing agreements are registered and ended by platform admins. */
export function mayManageAgreements(user: CurrentUser | null): boolean {
  return isPlatformAdmin(user);
}

/**
 * Held death reports are checked by platform admins (who see the registrar's references).
 * TODO: let a registration service's own staff verify once bodies can be marked as registrars.
 */
export function mayVerifyReports(user: CurrentUser | null): boolean {
  return isPlatformAdmin(user);
}

/** A body's `receive` key (its back office) declares relationships, pulls and answers. */
export function mayReceiveChanges(caller: HubCaller): boolean {
  return caller.scope === 'receive';
}
