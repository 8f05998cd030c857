import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin, isStaffOf } from '../../identity/index.js';

/**
 * A body's admins (and platform admins, for every body) set its retention periods and place and
 * lift its legal holds; nobody else, not even its caseworkers or another body's admins.
 */
export function mayManageRetention(user: CurrentUser | null, organisationId: string): boolean {
  return isPlatformAdmin(user) || isStaffOf(user, organisationId, 'admin');
}

/** Whether to show the retention admin link: a platform admin, or an admin of some body. */
export function mayManageAnyRetention(user: CurrentUser | null): boolean {
  return isPlatformAdmin(user) || (!!user?.organisationId && user.roles.includes('admin'));
}
