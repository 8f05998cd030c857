import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin, isStaffOf } from '../../identity/index.js';
import type { PayCaller } from '../keys.js';

/**
 * A key sees and acts on only its own body's payments. Callers answer "not found" when this
 * refuses, so another body's payment ids give nothing away.
 */
export function mayActOnPayment(caller: PayCaller, payment: { organisation_id: string }): boolean {
  return payment.organisation_id === caller.organisationId;
}

/** A body's admins (and platform admins, for every body) make and revoke its payments keys. */
export function mayAdministerPayments(user: CurrentUser | null, organisationId: string): boolean {
  return isPlatformAdmin(user) || isStaffOf(user, organisationId, 'admin');
}

/** Whether to show the payments admin link: a platform admin, or an admin of some body. */
export function mayAdministerAnyPayments(user: CurrentUser | null): boolean {
  return isPlatformAdmin(user) || (!!user?.organisationId && user.roles.includes('admin'));
}
