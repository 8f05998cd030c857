import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { listPublishedServices } from '../../catalogue/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { ALL } from '../collect/rollups.js';
import { TRANSACTION_CHANNELS, type TransactionChannel } from '../db/tables.js';
import {
  completion,
  cost,
  satisfaction,
  takeUp,
  timeToDecision,
  type ChannelCounts,
} from '../measures/measures.js';
import { eEnablement, registerOf } from './e-enablement.js';
import { addDays, londonTime } from '../../../platform/time/london.js';
import { financeByBody } from '../../procurement/index.js';
import { singleAccount, tellUsOnceByBody } from './joined-up.js';
import { unitCostsOf, volumesByService, type Scope } from './measures.js';

/** The open data sets at /performance/data/<name>.csv and .json, and their fields. */
export const DATASETS = {
  transactions: ['body', 'body_name', 'service', 'service_name', 'channel', 'transactions'],
  'take-up': ['body', 'body_name', 'service', 'service_name', 'transactions', 'digital', 'take_up'],
  completion: [
    'body',
    'body_name',
    'service',
    'service_name',
    'started',
    'completed',
    'completion_rate',
  ],
  satisfaction: [
    'body',
    'body_name',
    'service',
    'service_name',
    'responses',
    'satisfied',
    'mean_rating',
  ],
  cost: [
    'body',
    'body_name',
    'costed_transactions',
    'total_pence',
    'cost_per_transaction_pence',
    'saving_pence',
  ],
  'time-to-decision': [
    'body',
    'body_name',
    'service',
    'service_name',
    'decisions',
    'median_hours',
    'p90_hours',
    'with_deadline',
    'within_deadline',
  ],
  'e-enablement': [
    'body',
    'body_name',
    'service',
    'service_name',
    'interactions',
    'e_enabled',
    'percentage',
    'not_e_enabled',
  ],
  'tell-us-once': [
    'body',
    'body_name',
    'to_be_told',
    'delivered',
    'delivered_share',
    'told_every_body',
    'told_every_body_share',
  ],
  'single-account': [
    'body',
    'body_name',
    'online_services',
    'single_account_services',
    'single_account_share',
  ],
  purchasing: [
    'body',
    'body_name',
    'orders',
    'ordered_pence',
    'invoices',
    'invoiced_pence',
    'approved_pence',
    'invoices_due',
    'approved_within_target',
    'approved_within_target_share',
  ],
} as const;
export type DatasetName = keyof typeof DATASETS;
export type DataRow = Record<string, string | number | null>;

export function isDataset(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** A share rounded to four places for open data (0.8 is 80%); null with no data. */
function ratio(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

interface Names {
  body(id: string): { body: string; body_name: string };
  service(id: string): { service: string; service_name: string };
}

/** Slugs and names of the bodies and services in rows, for readable open data. */
async function namesOf(
  db: Db,
  organisationIds: string[],
  serviceIds: string[],
  locale: Locale,
): Promise<Names> {
  const bodies = new Map(
    (await listOrganisationsByIds(db, organisationIds)).map((o) => [
      o.id,
      { body: o.slug, body_name: (locale === 'cy' ? o.name_cy : null) ?? o.name },
    ]),
  );
  const services = new Map(
    serviceIds.length
      ? (await listPublishedServices(db, { locale, ids: serviceIds })).services.map((s) => [
          s.id,
          { service: s.slug, service_name: s.title },
        ])
      : [],
  );
  return {
    body: (id) => bodies.get(id) ?? { body: id, body_name: '' },
    service: (id) => services.get(id) ?? { service: id, service_name: '' },
  };
}

/** Rows of a roll-up table in scope, grouped by service and body (and `by`), summed. */
async function grouped<T extends Record<string, number | string>>(
  db: Db,
  table: string,
  scope: Scope,
  by: string[],
  sums: string[],
): Promise<(T & { service_id: string; organisation_id: string })[]> {
  // Each service's own rows: not the bodies' and the national totals (service ALL).
  const where = [
    sql`day >= ${scope.from}`,
    sql`day <= ${scope.to}`,
    sql`service_id <> ${ALL}`,
    sql`organisation_id <> ${ALL}`,
  ];
  if (scope.serviceIds?.length) where.push(sql`service_id in (${sql.join([...scope.serviceIds])})`);
  if (scope.organisationIds?.length)
    where.push(sql`organisation_id in (${sql.join([...scope.organisationIds])})`);
  const keys = ['service_id', 'organisation_id', ...by].map((c) => sql.ref(c));
  const result = await sql<T & { service_id: string; organisation_id: string }>`
    select ${sql.join(keys)}, ${sql.join(sums.map((c) => sql`sum(${sql.ref(c)})::int as ${sql.ref(c)}`))}
    from ${sql.table(table)} where ${sql.join(where, sql` and `)}
    group by ${sql.join(keys)}`.execute(db);
  return result.rows;
}

/** Groups rows by "service:body". */
function byPair<R extends { service_id: string; organisation_id: string }>(rows: R[]) {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const key = `${row.service_id}:${row.organisation_id}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

/** One open data set for a scope, as rows with the fields `DATASETS` lists, in a stable order. */
export async function dataset(
  db: Db,
  name: DatasetName,
  scope: Scope,
  locale: Locale,
  now = new Date(),
): Promise<DataRow[]> {
  const rows = await rowsOf(db, name, scope, locale, now);
  const sortKey = (r: DataRow) => `${r.body}\u0000${r.service ?? ''}\u0000${r.channel ?? ''}`;
  return rows.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

async function rowsOf(
  db: Db,
  name: DatasetName,
  scope: Scope,
  locale: Locale,
  now: Date,
): Promise<DataRow[]> {
  if (name === 'e-enablement') return eEnablementRows(db, scope, locale, now);
  if (name === 'tell-us-once' || name === 'single-account')
    return joinedUpRows(db, name, scope, locale);
  if (name === 'purchasing') return purchasingRows(db, scope, locale);
  const volumes = await volumesByService(db, scope);
  if (name === 'cost') {
    const byBody = new Map<string, ChannelCounts>();
    for (const v of volumes) {
      const body = byBody.get(v.organisation_id) ?? {};
      body[v.channel] = (body[v.channel] ?? 0) + v.transactions;
      byBody.set(v.organisation_id, body);
    }
    const costs = await unitCostsOf(db, [...byBody.keys()]);
    const names = await namesOf(db, [...byBody.keys()], [], locale);
    return [...byBody].map(([organisationId, channelVolumes]) => {
      const figure = cost([
        { organisationId, volumes: channelVolumes, unitCosts: costs.get(organisationId) ?? {} },
      ]);
      return {
        ...names.body(organisationId),
        costed_transactions: figure.costed,
        total_pence: figure.totalPence,
        cost_per_transaction_pence:
          figure.perTransactionPence === null ? null : Math.round(figure.perTransactionPence),
        saving_pence: figure.savingPence,
      };
    });
  }
  if (name === 'transactions' || name === 'take-up') {
    const names = await namesOf(
      db,
      volumes.map((v) => v.organisation_id),
      volumes.map((v) => v.service_id),
      locale,
    );
    if (name === 'transactions')
      return volumes.map((v) => ({
        ...names.body(v.organisation_id),
        ...names.service(v.service_id),
        channel: v.channel,
        transactions: v.transactions,
      }));
    return [...byPair(volumes).values()].map((group) => {
      const counts: Partial<Record<TransactionChannel, number>> = {};
      for (const v of group) counts[v.channel] = (counts[v.channel] ?? 0) + v.transactions;
      const figure = takeUp(counts);
      return {
        ...names.body(group[0]!.organisation_id),
        ...names.service(group[0]!.service_id),
        transactions: figure.total,
        digital: figure.digital,
        take_up: ratio(figure.takeUp),
      };
    });
  }
  if (name === 'completion') {
    const started = await grouped<{ started: number; completed: number }>(
      db,
      'performance_daily_journeys',
      scope,
      [],
      ['started', 'completed'],
    );
    const names = await namesOf(
      db,
      started.map((r) => r.organisation_id),
      started.map((r) => r.service_id),
      locale,
    );
    return started.map((r) => {
      const figure = completion(r.started, r.completed, []);
      return {
        ...names.body(r.organisation_id),
        ...names.service(r.service_id),
        started: figure.started,
        completed: figure.completed,
        completion_rate: ratio(figure.rate),
      };
    });
  }
  if (name === 'satisfaction') {
    const ratings = await grouped<{ rating: number; responses: number }>(
      db,
      'performance_daily_satisfaction',
      scope,
      ['rating'],
      ['responses'],
    );
    const names = await namesOf(
      db,
      ratings.map((r) => r.organisation_id),
      ratings.map((r) => r.service_id),
      locale,
    );
    return [...byPair(ratings).values()].map((group) => {
      const figure = satisfaction(group);
      return {
        ...names.body(group[0]!.organisation_id),
        ...names.service(group[0]!.service_id),
        responses: figure.responses,
        satisfied: ratio(figure.satisfied),
        mean_rating: figure.mean === null ? null : Math.round(figure.mean * 100) / 100,
      };
    });
  }
  const decisions = await grouped<{
    hours: number;
    decisions: number;
    with_deadline: number;
    within_deadline: number;
  }>(
    db,
    'performance_daily_decisions',
    scope,
    ['hours'],
    ['decisions', 'with_deadline', 'within_deadline'],
  );
  const names = await namesOf(
    db,
    decisions.map((r) => r.organisation_id),
    decisions.map((r) => r.service_id),
    locale,
  );
  return [...byPair(decisions).values()].map((group) => {
    const figure = timeToDecision(group);
    return {
      ...names.body(group[0]!.organisation_id),
      ...names.service(group[0]!.service_id),
      decisions: figure.decisions,
      median_hours: figure.medianHours,
      p90_hours: figure.p90Hours,
      with_deadline: figure.withDeadline,
      within_deadline: ratio(figure.withinShare),
    };
  });
}

/** BVPI 157 by body and service: interaction types counted, e-enabled, and those not yet. */
async function eEnablementRows(
  db: Db,
  scope: Scope,
  locale: Locale,
  now: Date,
): Promise<DataRow[]> {
  const entries = await registerOf(
    db,
    scope.organisationIds?.length ? scope.organisationIds : null,
    locale,
    now,
  );
  const inScope = scope.serviceIds?.length
    ? entries.filter((e) => scope.serviceIds!.includes(e.serviceId))
    : entries;
  const groups = new Map<string, typeof entries>();
  for (const e of inScope) groups.set(`${e.serviceId}`, [...(groups.get(e.serviceId) ?? []), e]);
  const names = await namesOf(
    db,
    inScope.map((e) => e.organisationId),
    [],
    locale,
  );
  return [...groups.values()].map((group) => {
    const figure = eEnablement(group);
    return {
      ...names.body(group[0]!.organisationId),
      service: group[0]!.serviceSlug,
      service_name: group[0]!.serviceTitle,
      interactions: figure.counted,
      e_enabled: figure.eEnabled,
      percentage: ratio(figure.percentage),
      not_e_enabled: group
        .filter((e) => e.applicable && e.exemption === null && !e.eEnabled)
        .map((e) => e.interactionType)
        .join(' '),
    };
  });
}

/**
 * Joined-up-ness by body: tell us once over the period (changes told in it), or the single
 * account as the catalogue stands today (bodies with online services only). Neither is by service.
 */
async function joinedUpRows(
  db: Db,
  name: 'tell-us-once' | 'single-account',
  scope: Scope,
  locale: Locale,
): Promise<DataRow[]> {
  if (name === 'tell-us-once') {
    return byBody(db, await tellUsOnceByBody(db, scope), locale, (b) => ({
      to_be_told: b.due,
      delivered: b.delivered,
      delivered_share: ratio(b.deliveredShare),
      told_every_body: b.complete,
      told_every_body_share: ratio(b.completeShare),
    }));
  }
  const bodies = (await singleAccount(db, scope.organisationIds, locale)).byBody.filter(
    (b) => b.online > 0,
  );
  return byBody(db, bodies, locale, (b) => ({
    online_services: b.online,
    single_account_services: b.singleAccount,
    single_account_share: ratio(b.share),
  }));
}

/** Each body's purchasing in the period, from its purchase orders (not by service). */
async function purchasingRows(db: Db, scope: Scope, locale: Locale): Promise<DataRow[]> {
  const bodies = await financeByBody(db, {
    from: londonTime(scope.from, 0),
    to: londonTime(addDays(scope.to, 1), 0),
    ...(scope.organisationIds?.length ? { organisationIds: scope.organisationIds } : {}),
  });
  return byBody(db, bodies, locale, (b) => ({
    orders: b.orders,
    ordered_pence: b.orderedPence,
    invoices: b.invoices,
    invoiced_pence: b.invoicedPence,
    approved_pence: b.approvedPence,
    invoices_due: b.invoicesDue,
    approved_within_target: b.approvedWithinTarget,
    approved_within_target_share: ratio(
      b.invoicesDue > 0 ? b.approvedWithinTarget / b.invoicesDue : null,
    ),
  }));
}

/** One row per body of a by-body figure: the body's slug and name, then the figure's fields. */
async function byBody<B extends { organisationId: string }>(
  db: Db,
  bodies: readonly B[],
  locale: Locale,
  fields: (body: B) => DataRow,
): Promise<DataRow[]> {
  const names = await namesOf(
    db,
    bodies.map((b) => b.organisationId),
    [],
    locale,
  );
  return bodies.map((b) => ({ ...names.body(b.organisationId), ...fields(b) }));
}

/** Rows as CSV (RFC 4180): a header of the data set's fields, values quoted when they need it. */
export function toCsv(name: DatasetName, rows: DataRow[]): string {
  const fields = DATASETS[name];
  const cell = (value: string | number | null | undefined) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    // A leading =, +, - or @ would be a formula in a spreadsheet: quoted with a ' first.
    const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const lines = [fields.join(','), ...rows.map((r) => fields.map((f) => cell(r[f])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export { TRANSACTION_CHANNELS };
