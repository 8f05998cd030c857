/**
 * The case page's extension point: features of casework (requests for information, referrals,
 * decision letters …) add a panel here rather than editing the case page. The page renders each
 * panel whose `load` returns values, with `{% include panel.template %}` and the values under
 * `panel`; a panel's own forms post to routes in the feature's folder.
 */
import type { Db } from '../../../../platform/db/database.js';
import type { CurrentUser } from '../../../../platform/http/types.js';
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import type { CaseRow } from '../../db/tables.js';
import { referralsPanel } from '../../referrals/panel.js';
import { informationPanel } from '../../information/panel.js';
import { rulesPanel } from '../../rules-panel/panel.js';

export interface CasePanelContext {
  caseRow: CaseRow;
  user: CurrentUser;
  locale: Locale;
  t: Translate;
  db: Db;
}

export interface CasePanel {
  /** The Nunjucks template, e.g. 'modules/casework/information/panel.njk'. */
  template: string;
  /** The panel's values, or null when it has nothing to show on this case for this user. */
  load(ctx: CasePanelContext): Promise<Record<string, unknown> | null>;
}

export const CASE_PANELS: CasePanel[] = [
  /* others append their panel here */
  referralsPanel,
  informationPanel,
  rulesPanel,
];
