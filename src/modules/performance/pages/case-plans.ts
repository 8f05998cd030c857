import type { Db } from '../../../platform/db/database.js';
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { casePlanOutcomes, type SafeCount } from '../../caseplans/index.js';
import { count } from './view-model.js';

/**
 * The outcomes of multi-agency case plans for the dashboards, in the reader's language: per kind
 * of case, plans, plans reassessed, plans whose needs fell, actions done and actions done on
 * time. The figures come anonymised from the caseplans module (its index): a count from 1 to 4
 * arrives suppressed and is shown as "fewer than 5", so no person can be picked out.
 */
export async function casePlansView(db: Db, options: { t: Translate; locale: Locale }) {
  const { t, locale } = options;
  const shown = (figure: SafeCount) =>
    figure.suppressed || figure.value === null
      ? t('caseplans.outcomes.fewerThan5')
      : count(figure.value, locale);
  const figures = await casePlanOutcomes(db);
  return {
    rows: figures.map((f) => [
      locale === 'cy' ? f.nameCy : f.name,
      shown(f.plans),
      shown(f.reassessed),
      shown(f.needsReduced),
      shown(f.actionsDone),
      shown(f.actionsDoneOnTime),
    ]),
  };
}
