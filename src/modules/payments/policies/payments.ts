import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin, isStaffOf } from '../../identity/index.js';
import type { PaymentRow } from '../db/tables.js';
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

/**
 * Who may use a MOTO payment's card page (any other payment's is the paying person's, tied to
 * their browser by the link it works once): the member of staff it names — the adviser who
 * asked for it —, or for one made through the Pay API and not yet opened, a member of the
 * body's own staff (who then becomes the one it names). Never a citizen, never anyone else.
 */
export function mayTakeMotoCard(
  user: CurrentUser | null,
  payment: Pick<PaymentRow, 'moto' | 'moto_user_id' | 'organisation_id'>,
): boolean {
  if (!payment.moto) return true;
  if (!user || user.kind !== 'staff') return false;
  if (payment.moto_user_id) return payment.moto_user_id === user.id;
  return isStaffOf(user, payment.organisation_id);
}
