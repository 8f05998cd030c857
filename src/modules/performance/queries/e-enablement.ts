import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { addDays, londonDate } from '../../../platform/time/london.js';
import { listPublishedServices, type PublicService } from '../../catalogue/index.js';
import type { Exemption, TransactionChannel } from '../db/tables.js';

/** One line of a body's BVPI 157 register: a service and one interaction type it involves. */
export interface RegisterEntry {
  serviceId: string;
  serviceSlug: string;
  serviceTitle: string;
  organisationId: string;
  organisationName: string;
  interactionType: string;
  applicable: boolean;
  exemption: Exemption | null;
  exemptionReason: string;
  eEnabled: boolean;
  channels: string[];
  targetDate: string | null;
  /** `register` when a service owner saved it; `joinedup` when pre-filled from what runs here. */
  source: 'register' | 'joinedup';
  /** The service's transactions in the last twelve months (the weight of a weighted percentage). */
  transactions: number;
}

/** What Joinedup saw of one service in the last twelve months. */
interface Running {
  transactions: number;
  online: boolean;
  /** Phone transactions an adviser filled in on-line there and then (the crm desk). */
  assistedPhone: boolean;
}

/** What ran in Joinedup in the year to `today`, by service, from the facts' roll-ups and facts. */
async function runningServices(
  db: Db,
  serviceIds: readonly string[],
  today: string,
): Promise<Map<string, Running>> {
  const running = new Map<string, Running>();
  if (serviceIds.length === 0) return running;
  const from = addDays(today, -365);
  const volumes = await db
    .selectFrom('performance_daily_transactions')
    .select([
      'service_id',
      sql<number>`sum(transactions)::int`.as('transactions'),
      sql<number>`coalesce(sum(transactions) filter (where channel in ('online', 'online-agent')), 0)::int`.as(
        'online',
      ),
    ])
    .where('service_id', 'in', [...serviceIds])
    .where('day', '>=', from)
    .groupBy('service_id')
    .execute();
  for (const v of volumes)
    running.set(v.service_id, {
      transactions: v.transactions,
      online: v.online > 0,
      assistedPhone: false,
    });
  const phoned = await db
    .selectFrom('performance_transactions')
    .select('service_id')
    .distinct()
    .where('service_id', 'in', [...serviceIds])
    .where('channel', '=', 'phone')
    .where('assisted', '=', true)
    .where('submitted_at', '>=', new Date(`${from}T00:00:00Z`))
    .execute();
  for (const p of phoned) {
    const entry = running.get(p.service_id);
    if (entry) entry.assistedPhone = true;
  }
  return running;
}

/**
 * The pre-filled line for a service and interaction nobody has saved yet: applicable, and
 * e-enabled when the catalogue says so, when the service is done online (here or elsewhere) or
 * when it ran online in Joinedup; a phone line counts only when advisers filled it in on-line.
 */
export function prefilledEntry(
  service: Pick<PublicService, 'channels' | 'interactions'>,
  interactionType: string,
  running: Running | undefined,
): Pick<RegisterEntry, 'applicable' | 'eEnabled' | 'channels' | 'exemption' | 'exemptionReason'> {
  const channels = new Set<TransactionChannel>();
  if (
    running?.online ||
    service.channels.some((c) => c.kind === 'online-here' || c.kind === 'online-elsewhere')
  )
    channels.add('online');
  if (running?.assistedPhone) channels.add('phone');
  const catalogue = service.interactions.find((i) => i.type === interactionType)?.eEnabled ?? false;
  return {
    applicable: true,
    exemption: null,
    exemptionReason: '',
    eEnabled: catalogue || channels.size > 0,
    channels: [...channels],
  };
}

/**
 * A body's register (or, with no body, every body's): every published service × each BVPI 157
 * interaction type it involves, as saved by the service owners or else pre-filled.
 */
export async function registerOf(
  db: Db,
  organisationIds: readonly string[] | null,
  locale: Locale,
  now = new Date(),
): Promise<RegisterEntry[]> {
  const { services } = await listPublishedServices(db, {
    locale,
    ...(organisationIds ? { organisationIds } : {}),
  });
  const ids = services.map((s) => s.id);
  const running = await runningServices(db, ids, londonDate(now));
  const saved =
    ids.length > 0
      ? await db
          .selectFrom('performance_e_enablement')
          .selectAll()
          // A date as YYYY-MM-DD, not a JavaScript Date at some time zone's midnight.
          .select(sql<string | null>`target_date::text`.as('target_date'))
          .where('service_id', 'in', ids)
          .execute()
      : [];
  const savedOf = new Map(saved.map((row) => [`${row.service_id}:${row.interaction_type}`, row]));
  const entries: RegisterEntry[] = [];
  for (const service of services) {
    if (organisationIds && !organisationIds.includes(service.organisation.id)) continue;
    for (const { type } of service.interactions) {
      const row = savedOf.get(`${service.id}:${type}`);
      const base = {
        serviceId: service.id,
        serviceSlug: service.slug,
        serviceTitle: service.title,
        organisationId: service.organisation.id,
        organisationName: service.organisation.name,
        interactionType: type,
        transactions: running.get(service.id)?.transactions ?? 0,
      };
      entries.push(
        row
          ? {
              ...base,
              applicable: row.applicable,
              exemption: row.exemption,
              exemptionReason: row.exemption_reason,
              eEnabled: row.e_enabled,
              channels: row.channels,
              targetDate: row.target_date,
              source: 'register',
            }
          : {
              ...base,
              ...prefilledEntry(service, type, running.get(service.id)),
              targetDate: null,
              source: 'joinedup',
            },
      );
    }
  }
  return entries;
}

/** An entry counts towards BVPI 157 when it applies and is not exempt. */
export function counts(entry: Pick<RegisterEntry, 'applicable' | 'exemption'>): boolean {
  return entry.applicable && entry.exemption === null;
}

export interface EEnablementFigure {
  counted: number;
  eEnabled: number;
  /** BVPI 157: e-enabled over counted interactions (0–1). */
  percentage: number | null;
  /** The same, each interaction weighted by its service's transactions in the last year. */
  weighted: number | null;
}

/** BVPI 157 over a set of register entries: plain and weighted by volume. */
export function eEnablement(
  entries: Pick<RegisterEntry, 'applicable' | 'exemption' | 'eEnabled' | 'transactions'>[],
): EEnablementFigure {
  const counted = entries.filter(counts);
  const enabled = counted.filter((e) => e.eEnabled);
  const weight = counted.reduce((s, e) => s + e.transactions, 0);
  const enabledWeight = enabled.reduce((s, e) => s + e.transactions, 0);
  return {
    counted: counted.length,
    eEnabled: enabled.length,
    percentage: counted.length ? enabled.length / counted.length : null,
    weighted: weight ? enabledWeight / weight : null,
  };
}

/** A body's saved BVPI 157 percentages, oldest first: its trajectory. */
export async function trajectoryOf(
  db: Db,
  organisationId: string,
): Promise<{ day: string; counted: number; eEnabled: number; percentage: number | null }[]> {
  const rows = await db
    .selectFrom('performance_e_enablement_history')
    .select([sql<string>`day::text`.as('day'), 'counted', 'e_enabled'])
    .where('organisation_id', '=', organisationId)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    counted: r.counted,
    eEnabled: r.e_enabled,
    percentage: r.counted ? r.e_enabled / r.counted : null,
  }));
}
