import type { FastifyInstance } from 'fastify';
import { errorView } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { administeredOrganisation, type OrganisationAdminArea } from '../../../identity/index.js';
import { dailyReconciliation, isIsoDate, reconciliationCsv } from '../../queries/reconciliation.js';

const VIEW = 'modules/payments/pages/admin/reconciliation.njk';

/** Today in the UK, YYYY-MM-DD. */
function ukToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

/** The date the form asks for (day, month, year), or null when it is not a real date. */
function askedDate(query: Record<string, string | undefined>): string | null {
  const [day, month, year] = [query.day, query.month, query.year].map((v) => (v ?? '').trim());
  if (!/^\d{1,2}$/.test(day!) || !/^\d{1,2}$/.test(month!) || !/^\d{4}$/.test(year!)) return null;
  const date = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  return isIsoDate(date) ? date : null;
}

const pounds = (pence: number) =>
  `${pence < 0 ? '−' : ''}£${(Math.abs(pence) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

/**
 * A body's daily reconciliation: the day's payments, refunds and failed refunds from the ledger,
 * totals by service, and the same as CSV. For the body's admins (and platform admins).
 */
export function reconciliationRoutes(
  app: FastifyInstance,
  { db }: AppContext,
  area: OrganisationAdminArea,
): void {
  app.get('/admin/payments/:org/reconciliation', async (request, reply) => {
    const found = await administeredOrganisation(db, area, request, reply);
    if (!found) return reply;
    const query = request.query as Record<string, string | undefined>;
    const asked = query.day !== undefined || query.month !== undefined || query.year !== undefined;
    const date = asked ? askedDate(query) : ukToday();
    const values = { day: query.day, month: query.month, year: query.year };
    if (!date)
      return reply.code(400).view(VIEW, {
        ...found,
        values,
        ...errorView(
          [{ field: 'date-day', message: 'payments.admin.reconciliation.errors.date' }],
          request.t,
        ),
      });
    const day = await dailyReconciliation(db, found.organisation.id, date);
    const [year, month, dayOfMonth] = date.split('-');
    return reply.view(VIEW, {
      ...found,
      values: asked ? values : { day: dayOfMonth, month, year },
      fieldErrors: {},
      date,
      csvUrl: `${found.base}/reconciliation.csv?date=${date}`,
      lines: day.lines.map((l) => ({ ...l, amount: pounds(l.amount) })),
      services: [...day.services, day.total].map((t) => ({
        ...t,
        taken: pounds(t.taken),
        refunded: pounds(t.refunded),
        net: pounds(t.net),
      })),
    });
  });

  app.get('/admin/payments/:org/reconciliation.csv', async (request, reply) => {
    const found = await administeredOrganisation(db, area, request, reply);
    if (!found) return reply;
    const { date } = request.query as { date?: string };
    if (!date || !isIsoDate(date))
      return reply.code(400).type('text/plain; charset=utf-8').send('date must be YYYY-MM-DD');
    const csv = reconciliationCsv(await dailyReconciliation(db, found.organisation.id, date));
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="payments-${found.organisation.slug}-${date}.csv"`,
      )
      .send(csv);
  });
}
