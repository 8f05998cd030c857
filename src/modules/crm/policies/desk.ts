/**
 * Who may use the adviser's desk and what it shows. Checked first in every command and query of
 * the crm module; unit-tested both ways in desk.test.ts.
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin } from '../../identity/index.js';
import type { ItemKind } from '../db/tables.js';

/** A signed-in adviser: staff of a body, holding the counter-adviser role. */
export type Adviser = CurrentUser & { organisationId: string };

/** Staff of a body with the counter-adviser role; citizens, agents and other staff may not. */
export function isAdviser(user: CurrentUser | null): user is Adviser {
  return (
    !!user &&
    user.kind === 'staff' &&
    !!user.organisationId &&
    user.roles.includes('counter-adviser')
  );
}

/** Only platform administrators make and end contact-centre sharing agreements. */
export function mayManageAgreements(user: CurrentUser | null): boolean {
  return !!user && isPlatformAdmin(user);
}

/** What a contact centre may see of other bodies: per owning body, the kinds of item shared. */
export type SharedKinds = ReadonlyMap<string, ReadonlySet<ItemKind>>;

/**
 * Whether an item of `kind` owned by `owningBodyId` may be shown at the contact centre: its own
 * body's items always, another body's only when a live agreement shares that kind. An item
 * whose owner is unknown is hidden.
 */
export function itemVisible(
  contactCentreId: string,
  shared: SharedKinds,
  owningBodyId: string | null,
  kind: ItemKind,
): boolean {
  if (!owningBodyId) return false;
  if (owningBodyId === contactCentreId) return true;
  return shared.get(owningBodyId)?.has(kind) ?? false;
}

/** A body works as a contact centre only while at least one agreement names it. */
export function isContactCentre(shared: SharedKinds): boolean {
  return shared.size > 0;
}

/**
 * Whether a service needing `requiredLevel` may be filled in with this customer (ADR 0008). A
 * service needing a verified identity (level 3) may be assisted only when the customer's own
 * account already holds that level: the identity questions on the phone confirm who is
 * calling, they do not verify an identity, so they never stand in for it.
 */
export function mayAssistAtLevel(
  requiredLevel: number,
  customer: { identity_verified_at: Date | null },
): boolean {
  return requiredLevel < 3 || customer.identity_verified_at !== null;
}
