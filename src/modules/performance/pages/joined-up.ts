import type { Db } from '../../../platform/db/database.js';
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { addDays, londonTime } from '../../../platform/time/london.js';
import { financeByBody, PROMPT_PAYMENT_DAYS } from '../../procurement/index.js';
import { singleAccount, tellUsOnce, tellUsOnceByBody } from '../queries/joined-up.js';
import type { Scope } from '../queries/measures.js';
import type { BodyOption } from './scope.js';
import { count, money, percent } from './view-model.js';

/** A body's name from the filters' list, or its id when it is not there (a body since removed). */
function nameOf(bodies: readonly BodyOption[], id: string): string {
  return bodies.find((b) => b.id === id)?.name ?? id;
}

/** Sorts table rows by their first cell (the body's name) in the reader's language. */
function byName(locale: Locale) {
  return (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!, locale === 'cy' ? 'cy' : 'en');
}

/**
 * Joined-up-ness for a scope, in the reader's language: tell us once (changes told in the
 * period, delivered to every body that should be told) and the single account (online services
 * of the catalogue as it stands that run here behind Joinedup's sign-in), with each measure's
 * definition; `byBody` adds a row for every body with figures.
 */
export async function joinedUpView(
  db: Db,
  scope: Scope,
  options: { bodies: readonly BodyOption[]; byBody: boolean; t: Translate; locale: Locale },
) {
  const { t, locale } = options;
  const told = await tellUsOnce(db, scope);
  const account = await singleAccount(db, scope.organisationIds, locale);
  const rows = [
    [t('performance.joinedUp.changes'), count(told.changes, locale)],
    [t('performance.joinedUp.complete'), percent(told.completeShare, locale)],
    [t('performance.joinedUp.due'), count(told.due, locale)],
    [t('performance.joinedUp.delivered'), percent(told.deliveredShare, locale)],
    [t('performance.joinedUp.online'), count(account.total.online, locale)],
    [t('performance.joinedUp.singleAccount'), count(account.total.singleAccount, locale)],
    [t('performance.joinedUp.singleAccountShare'), percent(account.total.share, locale)],
  ];
  if (!options.byBody) return { rows, bodies: [] };
  const perBody = new Map<string, string[]>();
  const blank = (id: string) => [nameOf(options.bodies, id), '–', '–', '–', '–', '–', '–'];
  for (const body of await tellUsOnceByBody(db, scope)) {
    const row = blank(body.organisationId);
    row[1] = count(body.due, locale);
    row[2] = percent(body.deliveredShare, locale);
    row[3] = percent(body.completeShare, locale);
    perBody.set(body.organisationId, row);
  }
  for (const body of account.byBody) {
    if (body.online === 0) continue;
    const row = perBody.get(body.organisationId) ?? blank(body.organisationId);
    row[4] = count(body.online, locale);
    row[5] = count(body.singleAccount, locale);
    row[6] = percent(body.share, locale);
    perBody.set(body.organisationId, row);
  }
  return { rows, bodies: [...perBody.values()].sort(byName(locale)) };
}

/**
 * Each body's purchasing in a scope's period: orders placed, invoices received, approved for
 * payment, and the share of invoices approved within the prompt-payment target.
 */
export async function financeView(
  db: Db,
  scope: Scope,
  options: { bodies: readonly BodyOption[]; locale: Locale },
) {
  const { locale } = options;
  const rows = await financeByBody(db, {
    from: londonTime(scope.from, 0),
    to: londonTime(addDays(scope.to, 1), 0),
    ...(scope.organisationIds?.length ? { organisationIds: scope.organisationIds } : {}),
  });
  return {
    days: PROMPT_PAYMENT_DAYS,
    rows: rows
      .map((r) => [
        nameOf(options.bodies, r.organisationId),
        count(r.orders, locale),
        money(r.orderedPence),
        count(r.invoices, locale),
        money(r.invoicedPence),
        money(r.approvedPence),
        percent(r.invoicesDue > 0 ? r.approvedWithinTarget / r.invoicesDue : null, locale),
      ])
      .sort(byName(locale)),
  };
}
