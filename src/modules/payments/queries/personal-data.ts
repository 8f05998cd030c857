/** What the payments module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { findUserById } from '../../identity/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/**
 * Payments made with the person's account e-mail address (a payment records the e-mail the
 * service gave, not an account): amount, what for, the card's brand, last four digits and
 * expiry, the name on it, and refunds. Never a whole card number: none is held.
 */
export async function paymentsPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const user = await findUserById(db, userId);
  if (!user) return [];
  const payments = await db
    .selectFrom('payments')
    .select([
      'id',
      'organisation_id',
      'reference',
      'description',
      'amount',
      'status',
      'email',
      'cardholder_name',
      'card_brand',
      'card_last_four',
      'card_expiry',
      'created_at',
    ])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', user.email.toLowerCase()))
    .orderBy('created_at')
    .execute();
  const ids = payments.map((p) => p.id);
  const [refunds, bodies] = await Promise.all([
    ids.length
      ? db
          .selectFrom('payment_refunds')
          .select(['payment_id', 'amount', 'status', 'created_at'])
          .where('payment_id', 'in', ids)
          .orderBy('created_at')
          .execute()
      : [],
    listOrganisationsByIds(
      db,
      payments.map((p) => p.organisation_id),
    ).then((rows) => new Map(rows.map((o) => [o.id, o.name]))),
  ]);
  const referenceOf = new Map(payments.map((p) => [p.id, p.reference]));
  return [
    {
      key: 'payments',
      title: 'payments.personalData.payments',
      rows: payments.map((p) => ({
        body: bodies.get(p.organisation_id) ?? p.organisation_id,
        reference: p.reference,
        description: p.description,
        amountPence: p.amount,
        status: p.status,
        email: p.email,
        nameOnCard: p.cardholder_name,
        cardBrand: p.card_brand,
        cardLastFour: p.card_last_four,
        cardExpiry: p.card_expiry,
        at: isoInstant(p.created_at),
      })),
    },
    {
      key: 'refunds',
      title: 'payments.personalData.refunds',
      rows: refunds.map((r) => ({
        reference: referenceOf.get(r.payment_id) ?? null,
        amountPence: r.amount,
        status: r.status,
        at: isoInstant(r.created_at),
      })),
    },
  ];
}
