/** The queue page: reading its filters from the query string and describing its rows. */
import type { Db } from '../../../../platform/db/database.js';
import type { CurrentUser } from '../../../../platform/http/types.js';
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import { staffWithRoles } from '../../../identity/index.js';
import { publishedServiceTitles } from '../../../catalogue/index.js';
import { slaRisk } from '../../calendar/index.js';
import {
  listQueue,
  QUEUE_AGES,
  QUEUE_PAGE_SIZE,
  QUEUE_RISKS,
  QUEUE_SORTS,
  servicesWithCases,
  type QueueFilter,
} from '../../queries/queue.js';
import { loadWorkflow } from '../../queries/workflows.js';
import { stateOf } from '../../workflow/engine.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

function one<T extends string | number>(value: unknown, allowed: readonly T[]): T | undefined {
  const text = typeof value === 'string' ? value : '';
  return allowed.find((item) => String(item) === text);
}

/** The queue's filters from the query string; anything unknown is ignored, never an error. */
export function readQueueFilter(query: Record<string, unknown>): QueueFilter {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  const page = Number.parseInt(text('page'), 10);
  const sort = one(query.sort, QUEUE_SORTS) ?? 'due';
  return {
    serviceId: isUuid(text('service')) ? text('service') : undefined,
    state: /^[a-z][a-z0-9-]{0,62}$/.test(text('state')) ? text('state') : undefined,
    olderThanDays: one(Number(text('age')), QUEUE_AGES),
    risk: one(query.risk, QUEUE_RISKS),
    assigned: one(query.assigned, ['me', 'unassigned', 'anyone'] as const) ?? 'anyone',
    show: one(query.show, ['open', 'closed', 'all'] as const) ?? 'open',
    sort,
    order: one(query.order, ['asc', 'desc'] as const) ?? (sort === 'opened' ? 'desc' : 'asc'),
    page: Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

/** The query string of a filter, with some of it changed (for links that keep the rest). */
export function queueHref(filter: QueueFilter, change: Partial<QueueFilter> = {}): string {
  const merged = { ...filter, page: 1, ...change };
  const params = new URLSearchParams();
  if (merged.serviceId) params.set('service', merged.serviceId);
  if (merged.state) params.set('state', merged.state);
  if (merged.olderThanDays) params.set('age', String(merged.olderThanDays));
  if (merged.risk) params.set('risk', merged.risk);
  if (merged.assigned !== 'anyone') params.set('assigned', merged.assigned);
  if (merged.show !== 'open') params.set('show', merged.show);
  if (merged.sort !== 'due') params.set('sort', merged.sort);
  params.set('order', merged.order);
  if (merged.page > 1) params.set('page', String(merged.page));
  return `/casework?${params.toString()}`;
}

/** A state's label from the workflow version a case follows (its name if the version lacks it). */
export function stateLabeller(db: Db, locale: Locale) {
  return async (workflowId: string, state: string) =>
    stateOf(await loadWorkflow(db, workflowId), state)?.label[locale] ?? state;
}

/** Everything the queue page shows. */
export async function queueView(
  db: Db,
  user: CurrentUser,
  filter: QueueFilter,
  locale: Locale,
  t: Translate,
  now = new Date(),
) {
  const organisationId = user.organisationId!;
  const [queue, colleagues, serviceIds] = await Promise.all([
    listQueue(db, user, filter, now),
    staffWithRoles(db, organisationId, ['caseworker', 'team-leader']),
    servicesWithCases(db, organisationId),
  ]);
  // Every service named on the page in one query: a queue can show dozens of services.
  const titles = await publishedServiceTitles(
    db,
    [...queue.rows.map((row) => row.service_id), ...serviceIds],
    locale,
  );
  const serviceTitle = (id: string) => titles.get(id) ?? '—';
  const label = stateLabeller(db, locale);
  const people = new Map(colleagues.map((c) => [c.id, c.display_name]));
  const rows = await Promise.all(
    queue.rows.map(async (row) => ({
      reference: row.reference,
      version: row.version,
      applicantName: row.applicant_name ?? '—',
      service: serviceTitle(row.service_id),
      state: await label(row.workflow_id, row.state),
      assignedTo: row.assigned_to
        ? row.assigned_to === user.id
          ? t('casework.queue.you')
          : (people.get(row.assigned_to) ?? t('casework.queue.formerColleague'))
        : t('casework.queue.unassigned'),
      openedAt: row.opened_at,
      dueAt: row.due_at,
      paused: row.paused_at !== null,
      escalated: row.escalated_at !== null,
      closed: row.closed_at !== null,
      risk: row.closed_at || row.paused_at ? 'none' : slaRisk(row.due_at, now),
    })),
  );
  // Counts by state name: versions of workflows that share a state's name share its count.
  const byState = new Map<string, { state: string; label: string; count: number }>();
  for (const count of queue.counts) {
    const existing = byState.get(count.state);
    if (existing) existing.count += count.count;
    else
      byState.set(count.state, {
        state: count.state,
        label: await label(count.workflowId, count.state),
        count: count.count,
      });
  }
  const stateCounts = [...byState.values()].map((s) => ({
    ...s,
    href: queueHref(filter, { state: s.state }),
    current: filter.state === s.state,
  }));
  const services = serviceIds.map((id) => ({ value: id, text: serviceTitle(id) }));
  services.sort((a, b) => a.text.localeCompare(b.text, locale));
  const pages = Math.max(1, Math.ceil(queue.total / QUEUE_PAGE_SIZE));
  return {
    filter,
    rows,
    total: queue.total,
    stateCounts,
    allStatesHref: queueHref(filter, { state: undefined }),
    services,
    colleagues: colleagues.map((c) => ({
      value: c.id,
      text: c.id === user.id ? `${c.display_name} (${t('casework.queue.you')})` : c.display_name,
      selected: c.id === user.id,
    })),
    sortLinks: Object.fromEntries(
      QUEUE_SORTS.map((sort) => {
        const current = filter.sort === sort;
        const order = current && filter.order === 'asc' ? 'desc' : 'asc';
        return [
          sort,
          {
            href: queueHref(filter, { sort, order }),
            ariaSort: current ? (filter.order === 'asc' ? 'ascending' : 'descending') : 'none',
          },
        ];
      }),
    ),
    pagination: {
      page: filter.page,
      pages,
      previous: filter.page > 1 ? queueHref(filter, { page: filter.page - 1 }) : null,
      next: filter.page < pages ? queueHref(filter, { page: filter.page + 1 }) : null,
      items: Array.from({ length: Math.min(pages, 10) }, (_, i) => {
        const number = Math.max(1, Math.min(filter.page - 4, pages - 9)) + i;
        return {
          number,
          href: queueHref(filter, { page: number }),
          current: number === filter.page,
        };
      }),
    },
    returnTo: queueHref(filter, { page: filter.page }),
  };
}
