import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { maySetCorrespondenceRules } from '../policies/correspondence.js';

/**
 * Saves a body's time limits (working days): complaint stage 1 and stage 2, replies to members.
 * They apply to what arrives (or is escalated) from now on; a running clock keeps its date.
 */
export async function saveSettings(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  organisationId: string,
  days: { stage1: number; stage2: number; member: number },
): Promise<void> {
  if (!maySetCorrespondenceRules(user, organisationId)) throw notFound();
  const values = {
    complaint_stage1_days: days.stage1,
    complaint_stage2_days: days.stage2,
    member_reply_days: days.member,
    updated_by: user.id,
    updated_at: new Date(),
  };
  await trx
    .insertInto('correspondence_settings')
    .values({ organisation_id: organisationId, ...values })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
    .execute();
  await recordAudit(trx, actor, {
    action: 'correspondence.settings.saved',
    resourceType: 'organisation',
    resourceId: organisationId,
    subjectUserId: null,
    details: days,
  });
}
