import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin, isStaffOf } from '../../identity/index.js';

/** The parts of a service its policies look at. */
export interface OwnedService {
  organisation_id: string;
  owner_user_id: string | null;
}

/** Staff who may see the catalogue staff pages: service owners and admins of a body, platform admins. */
export function canManageCatalogue(user: CurrentUser | null): boolean {
  if (isPlatformAdmin(user)) return true;
  return (
    !!user &&
    user.kind === 'staff' &&
    (user.roles.includes('service-owner') || user.roles.includes('admin'))
  );
}

/**
 * Who may edit and publish a service: a platform admin, an admin of its body, or a service owner
 * of its body when the service has no named owner or names them.
 */
export function canEditService(user: CurrentUser | null, service: OwnedService): boolean {
  if (isPlatformAdmin(user)) return true;
  if (!user || !isStaffOf(user, service.organisation_id)) return false;
  if (user.roles.includes('admin')) return true;
  return (
    user.roles.includes('service-owner') &&
    (service.owner_user_id === null || service.owner_user_id === user.id)
  );
}

/** Who may add a new service to a body: its admins and service owners, and platform admins. */
export function canCreateServiceFor(user: CurrentUser | null, organisationId: string): boolean {
  return isPlatformAdmin(user) || isStaffOf(user, organisationId, 'service-owner');
}
