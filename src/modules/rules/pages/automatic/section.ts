import type { AppContext, ApplicationSection } from '../../../../platform/http/types.js';
import { formatDateTime } from '../../../../platform/i18n/i18n.js';
import { automaticDecisionOf } from '../../automatic/review.js';

/**
 * The applicant's application page, when the rules decided it on their own: that the decision
 * was automatic, why, and the way to ask for a person to review it — or that they asked, and
 * when (the submissions module has checked the page is theirs).
 */
export function automaticSections({ db }: AppContext): ApplicationSection[] {
  return [
    {
      template: 'modules/rules/pages/automatic/section.njk',
      async load(request, application) {
        const decision = await automaticDecisionOf(db, application.id);
        if (!decision) return null;
        return {
          reference: application.reference,
          decidedAt: formatDateTime(decision.decided_at, request.locale),
          explanation: decision.explanation[request.locale],
          requestedAt: decision.review_requested_at
            ? formatDateTime(decision.review_requested_at, request.locale)
            : null,
        };
      },
    },
  ];
}
