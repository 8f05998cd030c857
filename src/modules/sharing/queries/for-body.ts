import type { Db } from '../../../platform/db/database.js';
import type { DeliveryStatus, EventType } from '../db/tables.js';

/** What a body may be shown of a change it received: never what the person told, only its summary. */
export interface ChangeForBody {
  reference: string;
  /** The kind of change (`change-of-address`, …). */
  kind: EventType;
  /** When the person told it. */
  reportedAt: Date;
  /** Where the body's copy stands: `sent`, `acknowledged`, `updated` or `failed`. */
  status: DeliveryStatus;
}

/**
 * A change of circumstances as a body holds it — only if that person told it and that body
 * received it (sent to its webhook or taken from its inbox at least once); undefined otherwise,
 * whether the change does not exist, is another person's, was not sent to the body or was
 * deleted, so the caller cannot tell which. Other modules use it to link a change by its
 * reference (case plans) and resolve it when shown, without copying it.
 *
 * @example
 * const change = await changeForBody(db, {
 *   reference: 'TUO-7K3M9QXA',
 *   organisationId: body.id,
 *   userId: person.id,
 * });
 */
export async function changeForBody(
  db: Db,
  input: { reference: string; organisationId: string; userId: string },
): Promise<ChangeForBody | undefined> {
  const row = await db
    .selectFrom('sharing_changes as c')
    .innerJoin('sharing_deliveries as d', 'd.change_id', 'c.id')
    .select(['c.reference', 'c.event_type', 'c.submitted_at', 'd.status'])
    .where('c.reference', '=', input.reference)
    .where('c.user_id', '=', input.userId)
    .where('d.organisation_id', '=', input.organisationId)
    // Received: sent at least once, or already answered by the body. A change waiting, not sent
    // (no agreement, no consent, withdrawn) or held for checking never reached the body.
    .where((eb) => eb.or([eb('d.sent_at', 'is not', null), eb('d.answered_at', 'is not', null)]))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    reference: row.reference,
    kind: row.event_type,
    reportedAt: row.submitted_at,
    status: row.status,
  };
}
