import type { CurrentUser } from '../../../platform/http/types.js';
import { hasRole, isPlatformAdmin, isStaffOf } from '../../identity/index.js';

/**
 * Who may run an organisation's notifications (API keys, templates, the delivery callback):
 * its own admins and service owners, and platform admins for every organisation.
 *
 * @example if (!mayAdministerNotify(request.user, organisation.id)) throw notFound();
 */
export function mayAdministerNotify(user: CurrentUser | null, organisationId: string): boolean {
  return isPlatformAdmin(user) || isStaffOf(user, organisationId, 'service-owner');
}

/** Whether the notifications admin link belongs in the user's navigation. */
export function mayAdministerAnyNotify(user: CurrentUser | null): boolean {
  return isPlatformAdmin(user) || hasRole(user, 'service-owner');
}

/** The role an audit entry records for the acting admin. */
export function notifyAdminRole(user: CurrentUser, organisationId: string): string {
  if (user.organisationId === organisationId && user.kind === 'staff') {
    if (user.roles.includes('admin')) return 'admin';
    if (user.roles.includes('service-owner')) return 'service-owner';
  }
  return 'platform-admin';
}
