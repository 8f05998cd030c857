import type { AppContext, ApplicationSection } from '../../../../platform/http/types.js';
import { caseworkForApplicant } from '../../information/review/review.js';
import { referralsForApplication } from '../../referrals/applicant.js';

/**
 * What casework adds to the person's application page: the requests waiting for their answer,
 * the review they may ask for, and where the application was referred. The page has checked
 * the person may see the application; the queries check again.
 */
export function applicantSections({ db }: AppContext): ApplicationSection[] {
  return [
    {
      template: 'modules/casework/pages/applicant/section.njk',
      async load(request, application) {
        const [casework, referrals] = await Promise.all([
          caseworkForApplicant(db, request.user, application.reference),
          referralsForApplication(db, application.id, request.locale),
        ]);
        if (!casework.requests.length && !casework.review && !referrals.length) return null;
        return { casework, referrals };
      },
    },
  ];
}
