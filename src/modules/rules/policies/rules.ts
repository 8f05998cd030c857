/**
 * Who may write a service's rules: whoever may edit the service itself (the catalogue's
 * `canEditService`: its body's admins, its service owners unless another owner is named, and
 * platform admins). A Stroud service owner never changes how Cheltenham decides.
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  canEditService,
  canManageCatalogue,
  type OwnedServiceSummary,
} from '../../catalogue/index.js';

/** Staff who may open the rules editor at all: the catalogue's staff (service owners, admins). */
export function canUseRulesEditor(user: CurrentUser | null): boolean {
  return canManageCatalogue(user);
}

/**
 * Whether the user may see, change and publish this service's rule sets.
 *
 * @example canEditRules(owner, (await ownedServices(db, { id }))[0]!)
 */
export function canEditRules(
  user: CurrentUser | null,
  service: Pick<OwnedServiceSummary, 'organisationId' | 'ownerUserId'>,
): boolean {
  return (
    canUseRulesEditor(user) &&
    canEditService(user, {
      organisation_id: service.organisationId,
      owner_user_id: service.ownerUserId,
    })
  );
}
