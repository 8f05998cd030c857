import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import { formatDate, type Locale, type Translate } from '../../../platform/i18n/i18n.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { londonDate } from '../../../platform/time/london.js';
import { parseUkPhone } from '../../forms/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import type { ContactPointRow, ExpertRow, RoutingRuleRow } from '../db/tables.js';
import { formatOpeningHours, openAt, type OpeningPeriod, type OpenState } from '../hours.js';
import { mayReadKnowledge, mayWriteKnowledgeOf } from '../policies/knowledge.js';
import { isDueForReview, type ArticleRow } from '../queries/articles.js';
import { areaName } from '../schema.js';

export const VIEWS = 'modules/knowledge/pages';

export type Adviser = CurrentUser & { organisationId: string };

/** The signed-in member of staff, or 404 for anyone else: the knowledge base is not public. */
export function adviserOf(user: CurrentUser): Adviser {
  if (!mayReadKnowledge(user)) throw notFound();
  return user as Adviser;
}

/** The body whose drafts this adviser sees: their own, when they may write it. */
export function writerBody(user: Adviser): string | null {
  return mayWriteKnowledgeOf(user, user.organisationId) ? user.organisationId : null;
}

export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

/** Bodies' names by id, in the reader's language. */
export async function bodyNames(
  db: Db,
  ids: readonly string[],
  locale: Locale,
): Promise<Map<string, string>> {
  const rows = await listOrganisationsByIds(db, ids);
  return new Map(rows.map((o) => [o.id, (locale === 'cy' && o.name_cy) || o.name]));
}

/** Plain paragraphs of typed text: blank lines part them; Nunjucks escapes each one. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** An article in the reader's language: the Welsh where written, otherwise the English, marked so. */
export function articleView(
  article: ArticleRow,
  bodies: Map<string, string>,
  locale: Locale,
  now: Date,
) {
  const welsh = locale === 'cy' && !!article.title_cy;
  return {
    ...article,
    shownTitle: welsh ? article.title_cy : article.title,
    paragraphs: paragraphs(welsh && article.body_cy ? article.body_cy : article.body),
    inEnglish: locale === 'cy' && !welsh,
    bodyName: bodies.get(article.organisation_id) ?? '',
    due: isDueForReview(article, londonDate(now)),
  };
}

/** "Open now, until 17:00" / "Closed, opens Monday 30 November 2026 at 09:00" / "Hours not given". */
export function openText(open: OpenState, t: Translate, locale: Locale, now: Date): string {
  if (!open.known) return t('knowledge.open.unknown');
  if (open.open) return t('knowledge.open.now', { time: open.closesAt });
  if (!open.opensOn || !open.opensAt) return t('knowledge.open.closed');
  const day =
    open.opensOn === londonDate(now)
      ? t('knowledge.open.today')
      : formatDate(open.opensOn, locale, { weekday: true });
  return t('knowledge.open.opens', { day, time: open.opensAt });
}

/** What a page shows of a contact point: phone as people dial it, hours, open now. */
export function contactPointView(
  point: ContactPointRow,
  bodies: Map<string, string>,
  request: { t: Translate; locale: Locale },
  now: Date,
  hours: OpeningPeriod[] = point.opening_hours,
) {
  const open = openAt(hours, now);
  return {
    ...point,
    shownName: (request.locale === 'cy' && point.name_cy) || point.name,
    phoneShown: point.phone ? (parseUkPhone(point.phone)?.national ?? point.phone) : null,
    bodyName: bodies.get(point.organisation_id) ?? '',
    hoursLines: formatOpeningHours(hours, request.locale).split('\n').filter(Boolean),
    isOpen: open.known && open.open,
    openText: openText(open, request.t, request.locale, now),
  };
}

export function expertView(expert: ExpertRow, bodies: Map<string, string>) {
  return { ...expert, bodyName: bodies.get(expert.organisation_id) ?? '' };
}

export function ruleView(rule: RoutingRuleRow, bodies: Map<string, string>, locale: Locale) {
  return {
    ...rule,
    areaName: areaName(rule.area_gss, locale) ?? rule.area_gss,
    bodyName: bodies.get(rule.organisation_id) ?? '',
  };
}
