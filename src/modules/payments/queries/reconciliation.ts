import type { Db } from '../../../platform/db/database.js';

/** A day as bodies count it: midnight to midnight in the UK. */
const ZONE = 'Europe/London';

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function londonDateTime(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/** The instant a UK day starts: midnight GMT, or BST's midnight an hour earlier. */
export function londonMidnight(date: string): Date {
  const utc = new Date(`${date}T00:00:00Z`);
  const bst = new Date(utc.getTime() - 3600_000);
  return londonDateTime(bst) === `${date} 00:00:00` ? bst : utc;
}

function nextDate(date: string): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
}

export interface ReconciliationLine {
  /** When the money moved, UK time, `YYYY-MM-DD HH:MM:SS`. */
  at: string;
  kind: 'payment' | 'refund' | 'refund-failed';
  /** The module a payment was for (`bookings`), or `api` for the Pay API's. */
  service: string;
  paymentId: string;
  refundId: string | null;
  reference: string;
  description: string;
  /** Pence into the body's income: positive for payments, negative for refunds. */
  amount: number;
}

export interface ServiceTotal {
  service: string;
  payments: number;
  taken: number;
  refunds: number;
  refunded: number;
  net: number;
}

export interface Reconciliation {
  date: string;
  lines: ReconciliationLine[];
  services: ServiceTotal[];
  total: ServiceTotal;
}

function kindOf(posting: string): ReconciliationLine['kind'] {
  if (posting.startsWith('payment:')) return 'payment';
  return posting.startsWith('refund-failed:') ? 'refund-failed' : 'refund';
}

function totalsOf(service: string, lines: ReconciliationLine[]): ServiceTotal {
  const total = { service, payments: 0, taken: 0, refunds: 0, refunded: 0, net: 0 };
  for (const line of lines) {
    if (line.kind === 'payment') {
      total.payments += 1;
      total.taken += line.amount;
    } else {
      total.refunds += line.kind === 'refund' ? 1 : -1;
      total.refunded -= line.amount;
    }
    total.net += line.amount;
  }
  return total;
}

/**
 * A body's day from its ledger: each payment taken, refund given and refund that failed (its
 * money put back), UK time, with totals by service (the module the payments were for, or `api`).
 * The ledger, not the payments, is the source: it is what moved, and when.
 */
export async function dailyReconciliation(
  db: Db,
  organisationId: string,
  date: string,
): Promise<Reconciliation> {
  const rows = await db
    .selectFrom('ledger_entries as l')
    .innerJoin('payments as p', 'p.id', 'l.payment_id')
    .leftJoin('payment_refunds as r', 'r.id', 'l.refund_id')
    .select([
      'l.posting',
      'l.created_at',
      'l.debit',
      'l.credit',
      'p.external_id as payment_id',
      'p.purpose_kind',
      'p.reference',
      'p.description',
      'r.external_id as refund_id',
    ])
    .where('l.organisation_id', '=', organisationId)
    .where('l.account', '=', 'income')
    .where('l.created_at', '>=', londonMidnight(date))
    .where('l.created_at', '<', londonMidnight(nextDate(date)))
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
  const lines = rows.map((row): ReconciliationLine => ({
    at: londonDateTime(row.created_at),
    kind: kindOf(row.posting),
    service: row.purpose_kind ?? 'api',
    paymentId: row.payment_id,
    refundId: row.refund_id,
    reference: row.reference,
    description: row.description,
    amount: Number(row.credit) - Number(row.debit),
  }));
  const services = [...new Set(lines.map((l) => l.service))].sort().map((service) =>
    totalsOf(
      service,
      lines.filter((l) => l.service === service),
    ),
  );
  return { date, lines, services, total: totalsOf('all', lines) };
}

/** Text a spreadsheet would run as a formula is made plain (OWASP's CSV injection advice). */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const pounds = (pence: number) => (pence / 100).toFixed(2);

/**
 * The day as CSV: one line per movement, then a net total line per service and for the day
 * (service `all`).
 * Amounts in pounds, refunds negative.
 */
export function reconciliationCsv(day: Reconciliation): string {
  const header = [
    'date_time',
    'type',
    'service',
    'payment_id',
    'refund_id',
    'reference',
    'description',
    'amount',
  ];
  const lines = day.lines.map((l) =>
    [
      l.at,
      l.kind,
      cell(l.service),
      l.paymentId,
      l.refundId ?? '',
      cell(l.reference),
      cell(l.description),
      pounds(l.amount),
    ].join(','),
  );
  const totals = [...day.services, day.total].map((t) =>
    [day.date, 'total', cell(t.service), '', '', '', '', pounds(t.net)].join(','),
  );
  return [header.join(','), ...lines, ...totals].join('\r\n') + '\r\n';
}
