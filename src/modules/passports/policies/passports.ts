/**
 * Who may do what with passported entitlements. A service's passports are declared by whoever
 * may edit the service in the catalogue (its body's admins, its service owners unless another
 * owner is named, platform admins). An offer is the person's own: only they answer it, signed in
 * for themselves (not an agent's session acting for them, not staff).
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  canEditService,
  canManageCatalogue,
  type OwnedServiceSummary,
} from '../../catalogue/index.js';

/** Staff who may open the passports pages at all: the catalogue's staff. */
export function canUsePassportsEditor(user: CurrentUser | null): boolean {
  return canManageCatalogue(user);
}

/**
 * Whether the user may declare and remove what an approval on this service passports to.
 *
 * @example canDeclarePassports(owner, (await ownedServices(db, { id }))[0]!)
 */
export function canDeclarePassports(
  user: CurrentUser | null,
  service: Pick<OwnedServiceSummary, 'organisationId' | 'ownerUserId'>,
): boolean {
  return (
    canUsePassportsEditor(user) &&
    canEditService(user, {
      organisation_id: service.organisationId,
      owner_user_id: service.ownerUserId,
    })
  );
}

/** Whether the user may see and answer their own offers: a citizen acting for themselves. */
export function mayAnswerOffers(user: CurrentUser | null): user is CurrentUser {
  return !!user && user.kind === 'citizen' && !user.actingFor;
}
