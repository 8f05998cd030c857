import type { CurrentUser } from '../../../platform/http/types.js';
import type { StaffRole } from '../db/tables.js';

/** True when the user is staff of that organisation holding that role (admins hold every role). */
export function isStaffOf(
  user: CurrentUser | null,
  organisationId: string,
  role?: StaffRole,
): boolean {
  if (!user || user.kind !== 'staff' || user.organisationId !== organisationId) return false;
  return role === undefined || user.roles.includes(role) || user.roles.includes('admin');
}

export function hasRole(user: CurrentUser | null, role: StaffRole): boolean {
  return (
    !!user && user.kind === 'staff' && (user.roles.includes(role) || user.roles.includes('admin'))
  );
}

export function isPlatformAdmin(user: CurrentUser | null): boolean {
  return !!user && user.kind === 'staff' && user.roles.includes('platform-admin');
}

export function isCitizen(user: CurrentUser | null): boolean {
  return !!user && user.kind === 'citizen';
}
