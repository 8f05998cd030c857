import type { Db } from '../../../platform/db/database.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { findUserIdByEmail } from '../../identity/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { createPlan, raiseBill } from '../commands/bills.js';

/** The demo citizen's bill and plan, from Stroud (README "Fees, bills and instalments"). */
export const DEMO_FEES = {
  citizenEmail: 'citizen@example.com',
  staffEmail: 'counter@stroud.example.gov.uk',
  bill: {
    reference: 'SD40123456',
    description:
      'Penalty charge notice: parked in a permit holders’ bay, Lansdown car park, Stroud',
    amount: '70.00',
  },
  plan: {
    reference: 'CT-4400123',
    description: 'Council Tax 2026 to 2027',
    total: '1850.05',
    instalments: '10',
  },
};

function parts(isoDate: string): [string, string, string] {
  const [year, month, day] = isoDate.split('-') as [string, string, string];
  return [day, month, year];
}

function daysFromToday(days: number): string {
  const date = new Date(`${ukToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The first of next month (council tax instalments fall on the same day each month). */
function firstOfNextMonth(): string {
  const date = new Date(`${ukToday()}T12:00:00Z`);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1))
    .toISOString()
    .slice(0, 10);
}

/**
 * Raises the demo bill (a penalty charge notice due in 14 days) and sets the demo Council Tax
 * plan (10 monthly instalments from the first of next month) for the demo citizen, as Stroud's
 * counter adviser. Skipped when the demo accounts are not there.
 */
export async function seedDemoFees(trx: Db): Promise<void> {
  const stroud = await findOrganisationBySlug(trx, 'stroud');
  const staffId = await findUserIdByEmail(trx, DEMO_FEES.staffEmail);
  if (!stroud || !staffId) return;
  const actor = { userId: staffId, organisationId: stroud.id, role: 'staff' };
  const [dueDay, dueMonth, dueYear] = parts(daysFromToday(14));
  const bill = await raiseBill(trx, actor, stroud.id, {
    email: DEMO_FEES.citizenEmail,
    ...DEMO_FEES.bill,
    dueDay,
    dueMonth,
    dueYear,
  });
  const [firstDay, firstMonth, firstYear] = parts(firstOfNextMonth());
  const plan = await createPlan(trx, actor, stroud.id, {
    email: DEMO_FEES.citizenEmail,
    ...DEMO_FEES.plan,
    firstDay,
    firstMonth,
    firstYear,
  });
  for (const outcome of [bill, plan])
    if (!outcome.ok)
      throw new Error(
        `Could not seed the demo fees: ${outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      );
}
