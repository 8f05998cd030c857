import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { parseDateParts, ukToday } from '../../../platform/validation/validators.js';
import { findCitizenByEmail } from '../../identity/index.js';
import { MAX_PENCE, parseAmount } from '../money.js';
import { instalmentSchedule } from '../schedule.js';

/** A bill as a member of staff types it (strings from the form). */
export interface BillInput {
  email: string;
  amount: string;
  description: string;
  reference: string;
  dueDay: string;
  dueMonth: string;
  dueYear: string;
}

/** An instalment plan as a member of staff types it. */
export interface PlanInput {
  email: string;
  total: string;
  instalments: string;
  description: string;
  reference: string;
  firstDay: string;
  firstMonth: string;
  firstYear: string;
}

type Person = { id: string; email: string };

/** What bills and plans share: who owes it (a citizen's account), what it is, its reference. */
async function checkCommon(
  db: Db,
  input: { email: string; description: string; reference: string },
  errors: FieldError[],
): Promise<Person | undefined> {
  const email = input.email.trim();
  const person = /^[^\s@]+@[^\s@]+$/.test(email) ? await findCitizenByEmail(db, email) : undefined;
  if (!email) errors.push({ field: 'email', message: 'fees.errors.emailRequired' });
  else if (!person || person.deleted_at)
    errors.push({ field: 'email', message: 'fees.errors.noAccount' });
  const description = input.description.trim();
  if (!description || description.length > 255)
    errors.push({ field: 'description', message: 'fees.errors.description' });
  if (!/^[A-Za-z0-9][A-Za-z0-9 /-]{0,39}$/.test(input.reference.trim()))
    errors.push({ field: 'reference', message: 'fees.errors.reference' });
  return person && !person.deleted_at ? { id: person.id, email: person.email } : undefined;
}

function checkAmount(value: string, field: string, errors: FieldError[]): number {
  const pence = parseAmount(value);
  if (pence === undefined || pence < 1 || pence > MAX_PENCE) {
    errors.push({ field, message: 'fees.errors.amount' });
    return 0;
  }
  return pence;
}

/** A day from today on, from the three boxes of a date input. */
function checkDate(day: string, month: string, year: string, field: string, errors: FieldError[]) {
  const parsed = parseDateParts(day, month, year);
  if ('problem' in parsed) {
    errors.push({ field: `${field}-day`, message: 'fees.errors.date' });
    return '';
  }
  if (parsed.date < ukToday()) errors.push({ field: `${field}-day`, message: 'fees.errors.past' });
  return parsed.date;
}

/**
 * A body raises a bill to a person with an account (a penalty charge notice, say): it is theirs
 * to pay from "Bills to pay". The body's staff are checked by the caller's policy; every bill
 * raised is audited against the person.
 */
export async function raiseBill(
  trx: Db,
  actor: Actor & { userId: string },
  organisationId: string,
  input: BillInput,
): Promise<Outcome<{ id: string }>> {
  const errors: FieldError[] = [];
  const person = await checkCommon(trx, input, errors);
  const amount = checkAmount(input.amount, 'amount', errors);
  const due = checkDate(input.dueDay, input.dueMonth, input.dueYear, 'due', errors);
  if (errors.length || !person) return { ok: false, errors };
  const bill = await trx
    .insertInto('fee_charges')
    .values({
      kind: 'bill',
      organisation_id: organisationId,
      user_id: person.id,
      email: person.email,
      amount,
      description: input.description.trim(),
      reference: input.reference.trim(),
      due_date: due,
      submission_id: null,
      plan_id: null,
      instalment: null,
      paid_at: null,
      paid_by_payment: null,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'fees.bill.raised',
    resourceType: 'fee_charge',
    resourceId: bill.id,
    subjectUserId: person.id,
    details: { reference: input.reference.trim(), amount },
  });
  return { ok: true, id: bill.id };
}

/**
 * A body sets a council tax-style plan for a person: the total in 2 to 12 monthly instalments
 * from the first date (see `instalmentSchedule`), each a charge the person pays in turn.
 */
export async function createPlan(
  trx: Db,
  actor: Actor & { userId: string },
  organisationId: string,
  input: PlanInput,
): Promise<Outcome<{ id: string }>> {
  const errors: FieldError[] = [];
  const person = await checkCommon(trx, input, errors);
  const total = checkAmount(input.total, 'total', errors);
  const count = /^\d{1,2}$/.test(input.instalments.trim()) ? Number(input.instalments) : 0;
  if (count < 2 || count > 12)
    errors.push({ field: 'instalments', message: 'fees.errors.instalments' });
  else if (total && total < count) errors.push({ field: 'total', message: 'fees.errors.amount' });
  const first = checkDate(input.firstDay, input.firstMonth, input.firstYear, 'first', errors);
  if (errors.length || !person) return { ok: false, errors };
  const description = input.description.trim();
  const reference = input.reference.trim();
  const plan = await trx
    .insertInto('fee_plans')
    .values({
      organisation_id: organisationId,
      user_id: person.id,
      email: person.email,
      description,
      reference,
      total,
      instalments: count,
      first_due: first,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('fee_charges')
    .values(
      instalmentSchedule(total, count, first).map((instalment) => ({
        kind: 'instalment' as const,
        organisation_id: organisationId,
        user_id: person.id,
        email: person.email,
        amount: instalment.amount,
        description: `${description} (${instalment.number}/${count})`.slice(0, 255),
        reference,
        due_date: instalment.dueDate,
        submission_id: null,
        plan_id: plan.id,
        instalment: instalment.number,
        paid_at: null,
        paid_by_payment: null,
        created_by: actor.userId,
      })),
    )
    .execute();
  await recordAudit(trx, actor, {
    action: 'fees.plan.created',
    resourceType: 'fee_plan',
    resourceId: plan.id,
    subjectUserId: person.id,
    details: { reference, total, instalments: count },
  });
  return { ok: true, id: plan.id };
}
