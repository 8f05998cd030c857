import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { nameLookup } from '../../submissions/index.js';
import type { ReferralStatus } from '../db/tables.js';
import { referralsOfCase } from './store.js';

/** What the applicant is told of a referral of their application: to whom, why, and where it stands. */
export interface ApplicantReferral {
  kind: 'refer' | 'share';
  organisationName: string;
  reason: string;
  status: ReferralStatus;
  sentAt: Date;
}

/**
 * The referrals and shares of an application's case, newest first, for the applicant's page
 * (`/applications/:reference`): the caller has checked the application is the signed-in
 * person's (or their client's). Consent details, parts and the other body's answer stay between
 * the bodies; the applicant learns who has their case and why. Empty when no case was opened.
 *
 * @example const referrals = await referralsForApplication(db, submission.id, request.locale);
 */
export async function referralsForApplication(
  db: Db,
  submissionId: string,
  locale: Locale,
): Promise<ApplicantReferral[]> {
  const caseRow = await db
    .selectFrom('cases')
    .select('id')
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();
  if (!caseRow) return [];
  const names = nameLookup(db, locale);
  return Promise.all(
    (await referralsOfCase(db, caseRow.id)).map(async (referral) => ({
      kind: referral.kind,
      organisationName: await names.organisation(referral.to_organisation_id),
      reason: referral.reason,
      status: referral.status,
      sentAt: referral.created_at,
    })),
  );
}
