/**
 * The case page's rules panel (deciding by rules, docs/guides/rules.md): for an application made
 * under a service's eligibility rules, the version, the outcome, each rule with whether its
 * conditions held, the evidence checked with other bodies, and — when the rules decided on their
 * own — that decision, whether it was sampled for checking and the applicant's request for review.
 */
import { ruleOutcomesOf } from '../../rules/index.js';
import { findSubmissionById } from '../../submissions/index.js';
import type { CasePanel } from '../pages/case/panels.js';

export const rulesPanel: CasePanel = {
  template: 'modules/casework/rules-panel/panel.njk',
  async load({ caseRow, db, locale }) {
    if (!caseRow.submission_id) return null;
    const submission = await findSubmissionById(db, caseRow.submission_id);
    if (!submission?.rule_set_version_id) return null;
    const view = await ruleOutcomesOf(
      db,
      {
        id: submission.id,
        ruleSetVersionId: submission.rule_set_version_id,
        answers: submission.answers.values,
      },
      locale,
    );
    return view ? { ...view } : null;
  },
};
