/** What the fees module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/** Fees, bills and instalments the person owes or paid, and the instalment plans set for them. */
export async function feesPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const [charges, plans] = await Promise.all([
    db
      .selectFrom('fee_charges')
      .select([
        'organisation_id',
        'kind',
        'reference',
        'description',
        'amount',
        'due_date',
        'status',
        'paid_at',
        'email',
        'created_at',
      ])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('fee_plans')
      .select([
        'organisation_id',
        'reference',
        'description',
        'total',
        'instalments',
        'first_due',
        'email',
        'created_at',
      ])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
  ]);
  const bodies = new Map(
    (
      await listOrganisationsByIds(db, [
        ...charges.map((c) => c.organisation_id),
        ...plans.map((p) => p.organisation_id),
      ])
    ).map((o) => [o.id, o.name]),
  );
  return [
    {
      key: 'fees',
      title: 'fees.personalData.charges',
      rows: charges.map((c) => ({
        body: bodies.get(c.organisation_id) ?? c.organisation_id,
        kind: c.kind,
        reference: c.reference,
        description: c.description,
        amountPence: c.amount,
        dueDate: c.due_date,
        status: c.status,
        paidAt: isoInstant(c.paid_at),
        email: c.email,
        at: isoInstant(c.created_at),
      })),
    },
    {
      key: 'fee-plans',
      title: 'fees.personalData.plans',
      rows: plans.map((p) => ({
        body: bodies.get(p.organisation_id) ?? p.organisation_id,
        reference: p.reference,
        description: p.description,
        totalPence: p.total,
        instalments: p.instalments,
        firstDue: p.first_due,
        email: p.email,
        at: isoInstant(p.created_at),
      })),
    },
  ];
}
