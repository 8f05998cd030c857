import type { AppContext, ApplicationSection } from '../../platform/http/types.js';
import { pounds } from './money.js';
import { chargeForSubmission } from './queries/charges.js';
import { payPath } from './tokens.js';

/**
 * The applicant's application page, when the application waits for its fee: what is owed and a
 * button to pay (the submissions module has checked the page is theirs).
 */
export function feeSections({ db, config }: AppContext): ApplicationSection[] {
  return [
    {
      template: 'modules/fees/pages/account/application-fee.njk',
      async load(_request, application) {
        const charge = await chargeForSubmission(db, application.id);
        if (!charge || charge.status === 'paid') return null;
        return {
          amount: pounds(charge.amount),
          payAction: payPath(config.SESSION_SECRET, charge.id),
        };
      },
    },
  ];
}
