import { nameLookup } from '../../submissions/index.js';
import type { CasePanel, CasePanelContext } from '../pages/case/panels.js';
import { findCaseById } from '../queries/cases.js';
import { canReadShared, canRefer, canSeeOutgoing, canWithdraw } from './policies.js';
import { referralThatOpened, referralsOfCase } from './store.js';
import { bodiesToReferTo, partsText, referralFormView, statusColour } from './view.js';

/**
 * The case page's "Referrals and sharing": for the case's own staff, its referrals with how each
 * was answered (a declined one with the other body's reason), a way to withdraw one not yet
 * answered, and the form to refer or share it; on a case opened from a referral, a link to what
 * the referring body shared. Nothing for anyone else (a body reading a shared case).
 */
export const referralsPanel: CasePanel = {
  template: 'modules/casework/referrals/panel.njk',
  async load({ caseRow, user, locale, t, db }: CasePanelContext) {
    if (!canRefer(user, caseRow)) return null;
    const names = nameLookup(db, locale);
    const referrals = await Promise.all(
      (await referralsOfCase(db, caseRow.id))
        .filter((referral) => canSeeOutgoing(user, referral))
        .map(async (referral) => ({
          id: referral.id,
          organisationName: await names.organisation(referral.to_organisation_id),
          kind: referral.kind,
          partsText: partsText(referral.shared_parts, t),
          status: referral.status,
          tagColour: statusColour(referral.status),
          response: referral.status === 'declined' ? referral.response : null,
          withdrawable: canWithdraw(user, referral),
          sentAt: referral.created_at,
        })),
    );
    const opener = await referralThatOpened(db, caseRow.id);
    const source =
      opener && canReadShared(user, opener) ? await findCaseById(db, opener.case_id) : undefined;
    return {
      referrals,
      referredFrom:
        opener && source
          ? {
              id: opener.id,
              reference: source.reference,
              organisationName: await names.organisation(opener.from_organisation_id),
            }
          : null,
      referralForm: referralFormView({
        reference: caseRow.reference,
        bodies: await bodiesToReferTo(db, caseRow.organisation_id, locale),
        t,
      }),
    };
  },
};
