import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin, isStaffOf } from '../../identity/index.js';

/**
 * Who sees a body's staff dashboard (its figures, feedback comments and e-enablement register):
 * any member of its staff, and the centre (platform administrators) for every body.
 */
export function maySeeBodyPerformance(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId) || isCentre(user);
}

/** The centre's performance team: platform administrators see and compare every body. */
export function isCentre(user: CurrentUser | null): boolean {
  return isPlatformAdmin(user);
}

/** Who sets a body's unit costs per channel: its service owners (admins hold every role). */
export function maySetUnitCosts(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/** Who keeps a body's e-enablement (BVPI 157) register: its service owners. */
export function mayKeepEEnablement(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/** Staff who see the performance link in their navigation: staff of a body, or the centre. */
export function seesStaffPerformance(user: CurrentUser | null): boolean {
  return (!!user && user.kind === 'staff' && !!user.organisationId) || isCentre(user);
}
