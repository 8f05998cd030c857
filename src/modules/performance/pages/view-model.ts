import type { FieldError } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { addDays, addMonths, isIsoDate, londonDate } from '../../../platform/time/london.js';
import { formatPence } from '../../forms/index.js';
import type { Measures } from '../queries/measures.js';
import { barChart, lineChart } from './charts.js';

/** The longest range a dashboard takes: ten years. */
const MAX_RANGE_DAYS = 3660;

/**
 * The date range of a dashboard from its query (`from`, `to`, as YYYY-MM-DD): by default the
 * twelve months to today. A bad date, or `to` before `from`, is an error (the page says so).
 */
export function readRange(
  query: unknown,
  now = new Date(),
):
  | { ok: true; from: string; to: string }
  | { ok: false; errors: FieldError[]; from: string; to: string } {
  const today = londonDate(now);
  const to = formText(query, 'to') || today;
  const from = formText(query, 'from') || addDays(addMonths(to, -12), 1);
  const errors: FieldError[] = [];
  if (!isIsoDate(from)) errors.push({ field: 'from', message: 'performance.filters.errors.from' });
  if (!isIsoDate(to)) errors.push({ field: 'to', message: 'performance.filters.errors.to' });
  if (!errors.length) {
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (days < 0) errors.push({ field: 'to', message: 'performance.filters.errors.order' });
    else if (days > MAX_RANGE_DAYS)
      errors.push({ field: 'from', message: 'performance.filters.errors.long' });
  }
  return errors.length ? { ok: false, errors, from, to } : { ok: true, from, to };
}

/** A share (0–1) as a whole percentage, "–" for no data. */
export function percent(value: number | null, locale: Locale): string {
  if (value === null) return '–';
  return `${new Intl.NumberFormat(locale === 'cy' ? 'cy-GB' : 'en-GB', { maximumFractionDigits: 1 }).format(value * 100)}%`;
}

export function count(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'cy' ? 'cy-GB' : 'en-GB').format(value);
}

/** Pence as money, "–" for no data. */
export function money(pence: number | null): string {
  return pence === null ? '–' : formatPence(Math.round(pence));
}

/** Hours taken as "3 days 4 hours" (or "5 hours"), "–" for no data. */
export function duration(hours: number | null, t: Translate): string {
  if (hours === null) return '–';
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return t('performance.duration.hours', { hours: rest });
  return t('performance.duration.daysHours', { days, hours: rest });
}

/** The headline figures, charts and tables of a dashboard, in the reader's language. */
export function dashboardView(measures: Measures, t: Translate, locale: Locale) {
  const { takeUp, completion, timeToDecision, satisfaction, cost, trend } = measures;
  const channelName = (channel: string) => t(`performance.channels.${channel}`);
  const pageName = (page: string) =>
    page === 'check-answers' ? t('performance.completion.checkAnswers') : page;
  return {
    headline: [
      { label: t('performance.measures.transactions'), value: count(takeUp.total, locale) },
      { label: t('performance.measures.takeUp'), value: percent(takeUp.takeUp, locale) },
      { label: t('performance.measures.completion'), value: percent(completion.rate, locale) },
      {
        label: t('performance.measures.satisfaction'),
        value: percent(satisfaction.satisfied, locale),
      },
      {
        label: t('performance.measures.costPerTransaction'),
        value: money(cost.perTransactionPence),
      },
      {
        label: t('performance.measures.medianDecision'),
        value: duration(timeToDecision.medianHours, t),
      },
    ],
    channels: {
      chart: barChart(
        takeUp.byChannel.map((c) => ({
          label: channelName(c.channel),
          value: c.transactions,
          text: count(c.transactions, locale),
        })),
      ),
      rows: takeUp.byChannel.map((c) => [
        channelName(c.channel),
        count(c.transactions, locale),
        percent(c.share, locale),
      ]),
    },
    trend: {
      chart: lineChart(
        trend.map((p) => ({
          label: p.period,
          value: p.takeUp === null ? null : p.takeUp * 100,
          text: percent(p.takeUp, locale),
        })),
        100,
      ),
      rows: trend.map((p) => [
        p.period,
        count(p.total, locale),
        count(p.digital, locale),
        percent(p.takeUp, locale),
      ]),
    },
    completion: {
      rows: [
        [t('performance.completion.started'), count(completion.started, locale)],
        [t('performance.completion.completed'), count(completion.completed, locale)],
        [t('performance.measures.completion'), percent(completion.rate, locale)],
      ],
      leftAt: completion.leftAt.map((l) => [
        pageName(l.page),
        count(l.journeys, locale),
        percent(l.share, locale),
      ]),
      chart: barChart(
        completion.leftAt.slice(0, 8).map((l) => ({
          label: pageName(l.page),
          value: l.journeys,
          text: count(l.journeys, locale),
        })),
      ),
    },
    satisfaction: {
      chart: barChart(
        satisfaction.distribution.map((d) => ({
          label: t(`performance.feedback.ratings.${d.rating}`),
          value: d.responses,
          text: count(d.responses, locale),
        })),
      ),
      rows: satisfaction.distribution.map((d) => [
        t(`performance.feedback.ratings.${d.rating}`),
        count(d.responses, locale),
        percent(d.share, locale),
      ]),
      summary: [
        [t('performance.satisfaction.responses'), count(satisfaction.responses, locale)],
        [t('performance.satisfaction.satisfied'), percent(satisfaction.satisfied, locale)],
        [
          t('performance.satisfaction.mean'),
          satisfaction.mean === null ? '–' : satisfaction.mean.toFixed(2),
        ],
      ],
    },
    cost: [
      [t('performance.cost.costed'), count(cost.costed, locale)],
      [t('performance.cost.total'), money(cost.costed ? cost.totalPence : null)],
      [t('performance.measures.costPerTransaction'), money(cost.perTransactionPence)],
      [t('performance.cost.saving'), money(cost.savingPence)],
    ],
    decisions: [
      [t('performance.decisions.count'), count(timeToDecision.decisions, locale)],
      [t('performance.measures.medianDecision'), duration(timeToDecision.medianHours, t)],
      [t('performance.decisions.p90'), duration(timeToDecision.p90Hours, t)],
      [t('performance.decisions.withDeadline'), count(timeToDecision.withDeadline, locale)],
      [t('performance.decisions.within'), percent(timeToDecision.withinShare, locale)],
    ],
  };
}
