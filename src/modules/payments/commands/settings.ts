/**
 * A body's payment settings: today, whether it takes card payments over the phone (MOTO).
 * MOTO is off until one of the body's admins turns it on, as GOV.UK Pay's accounts are: a card
 * typed in by staff skips 3-D Secure, so the body takes the risk of a disputed payment, and it
 * should choose to. Every change is audited.
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';

export interface PaymentSettings {
  motoAllowed: boolean;
}

/** The body's settings; a body that never changed them has the defaults (no MOTO). */
export async function paymentSettings(db: Db, organisationId: string): Promise<PaymentSettings> {
  const row = await db
    .selectFrom('payment_settings')
    .select('moto_allowed')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return { motoAllowed: row?.moto_allowed ?? false };
}

/**
 * Turns MOTO on or off for a body, audited as `payments.settings.moto-allowed` or
 * `payments.settings.moto-stopped`. Answers false (and records nothing) when nothing changed.
 */
export async function setMotoAllowed(
  trx: Db,
  input: { organisationId: string; allowed: boolean; userId: string | null },
  actor: Actor,
): Promise<boolean> {
  const before = await paymentSettings(trx, input.organisationId);
  if (before.motoAllowed === input.allowed) return false;
  await trx
    .insertInto('payment_settings')
    .values({
      organisation_id: input.organisationId,
      moto_allowed: input.allowed,
      updated_by: input.userId,
    })
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({
        moto_allowed: input.allowed,
        updated_by: input.userId,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
  await recordAudit(trx, actor, {
    action: input.allowed ? 'payments.settings.moto-allowed' : 'payments.settings.moto-stopped',
    resourceType: 'organisation',
    resourceId: input.organisationId,
    subjectUserId: null,
    details: { organisationId: input.organisationId, motoAllowed: input.allowed },
  });
  return true;
}
