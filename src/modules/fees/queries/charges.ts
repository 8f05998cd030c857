import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { FeeChargeRow, FeePlanRow } from '../db/tables.js';

/** Every column of a charge, its due day as text (YYYY-MM-DD). */
export const chargeColumns = [
  'fee_charges.id',
  'fee_charges.kind',
  'fee_charges.organisation_id',
  'fee_charges.user_id',
  'fee_charges.email',
  'fee_charges.amount',
  'fee_charges.description',
  'fee_charges.reference',
  sql<string | null>`fee_charges.due_date::text`.as('due_date'),
  'fee_charges.submission_id',
  'fee_charges.plan_id',
  'fee_charges.instalment',
  'fee_charges.status',
  'fee_charges.paid_at',
  'fee_charges.paid_by_payment',
  'fee_charges.created_by',
  'fee_charges.created_at',
  'fee_charges.rule_set_version_id',
] as const;

const planColumns = [
  'id',
  'organisation_id',
  'user_id',
  'email',
  'description',
  'reference',
  'total',
  'instalments',
  sql<string>`first_due::text`.as('first_due'),
  'created_by',
  'created_at',
] as const;

export async function findCharge(db: Db, id: string): Promise<FeeChargeRow | undefined> {
  return db.selectFrom('fee_charges').select(chargeColumns).where('id', '=', id).executeTakeFirst();
}

/** The charge, locked for the rest of the transaction (paying and settling queue behind). */
export async function lockCharge(trx: Db, id: string): Promise<FeeChargeRow | undefined> {
  return trx
    .selectFrom('fee_charges')
    .select(chargeColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The form fee held for an application, if its form charged one. */
export async function chargeForSubmission(
  db: Db,
  submissionId: string,
): Promise<FeeChargeRow | undefined> {
  return db
    .selectFrom('fee_charges')
    .select(chargeColumns)
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();
}

/** The payments asked for a charge, newest first (a person tries a few times at most). */
export async function attemptsOf(db: Db, chargeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('fee_attempts')
    .select('payment_id')
    .where('charge_id', '=', chargeId)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return rows.map((row) => row.payment_id);
}

/** Whether this payment was asked for this charge (the outbox message is checked against it). */
export async function isAttemptOf(db: Db, paymentId: string, chargeId: string): Promise<boolean> {
  const row = await db
    .selectFrom('fee_attempts')
    .select('id')
    .where('payment_id', '=', paymentId)
    .where('charge_id', '=', chargeId)
    .executeTakeFirst();
  return !!row;
}

export interface PlanWithInstalments extends FeePlanRow {
  charges: FeeChargeRow[];
}

async function withInstalments(db: Db, plans: FeePlanRow[]): Promise<PlanWithInstalments[]> {
  if (plans.length === 0) return [];
  const charges = await db
    .selectFrom('fee_charges')
    .select(chargeColumns)
    .where(
      'plan_id',
      'in',
      plans.map((p) => p.id),
    )
    .orderBy('instalment')
    .execute();
  return plans.map((plan) => ({
    ...plan,
    charges: charges.filter((c) => c.plan_id === plan.id),
  }));
}

/** A person's bills (unpaid first, soonest due first) and their instalment plans. */
export async function chargesOfPerson(db: Db, userId: string) {
  const bills = await db
    .selectFrom('fee_charges')
    .select(chargeColumns)
    .where('user_id', '=', userId)
    .where('kind', '=', 'bill')
    .orderBy(sql`status = 'paid'`)
    .orderBy('due_date')
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  const plans = await db
    .selectFrom('fee_plans')
    .select(planColumns)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return { bills, plans: await withInstalments(db, plans) };
}

/** A body's bills and plans, newest first, with the e-mail address of who owes each. */
export async function chargesOfOrganisation(db: Db, organisationId: string) {
  const bills = await db
    .selectFrom('fee_charges')
    .select(chargeColumns)
    .where('fee_charges.organisation_id', '=', organisationId)
    .where('fee_charges.kind', '=', 'bill')
    .orderBy('fee_charges.created_at', 'desc')
    .limit(500)
    .execute();
  const plans = await db
    .selectFrom('fee_plans')
    .select([
      'fee_plans.id',
      'fee_plans.reference',
      'fee_plans.description',
      'fee_plans.total',
      'fee_plans.instalments',
      'fee_plans.email',
    ])
    .select((eb) =>
      eb
        .selectFrom('fee_charges')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('fee_charges.plan_id', '=', 'fee_plans.id')
        .where('fee_charges.status', '=', 'paid')
        .as('paid'),
    )
    .where('fee_plans.organisation_id', '=', organisationId)
    .orderBy('fee_plans.created_at', 'desc')
    .limit(500)
    .execute();
  return { bills, plans };
}

export async function findPlan(db: Db, id: string): Promise<PlanWithInstalments | undefined> {
  const plan = await db
    .selectFrom('fee_plans')
    .select(planColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return plan ? (await withInstalments(db, [plan]))[0] : undefined;
}
