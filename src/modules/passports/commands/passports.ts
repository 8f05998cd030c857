/**
 * Declaring what an approval on a service passports to: "you get Pension Credit, so you can also
 * get Council Tax Reduction", with the reason in English and Welsh. Only those who may edit the
 * service declare or remove its passports; each change is audited.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { findPublishedService, ownedServices } from '../../catalogue/index.js';
import { canDeclarePassports } from '../policies/passports.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** The longest reason kept (the migration checks it too). */
export const MAX_REASON = 500;

export interface DeclarePassport {
  fromServiceId: string;
  /** The web address of the service it passports to, as typed: `apply-for-a-blue-badge-gloucestershire`. */
  toSlug: string;
  reasonEn: string;
  reasonCy: string;
}

/** A problem with one field, as the page shows it: the field and a locale key. */
export interface PassportProblem {
  field: 'toSlug' | 'reasonEn' | 'reasonCy';
  key: string;
}

export type DeclareOutcome =
  | { ok: true; id: string }
  | { ok: false; forbidden: true }
  | { ok: false; forbidden?: false; errors: PassportProblem[] };

/**
 * Declares that an approval on a service passports to another published service (of any body).
 * The caller opens the transaction.
 *
 * @example await db.transaction().execute((trx) => declarePassport(trx, owner, input, actor));
 */
export async function declarePassport(
  db: Db,
  user: CurrentUser,
  input: DeclarePassport,
  actor: Actor,
): Promise<DeclareOutcome> {
  const from = isUuid(input.fromServiceId)
    ? (await ownedServices(db, { id: input.fromServiceId }))[0]
    : undefined;
  if (!from || !canDeclarePassports(user, from)) return { ok: false, forbidden: true };
  const errors: PassportProblem[] = [];
  const slug = input.toSlug
    .trim()
    .replace(/^\/?services\//, '')
    .toLowerCase();
  const to = slug ? await findPublishedService(db, slug, 'en') : undefined;
  if (!slug) errors.push({ field: 'toSlug', key: 'passports.staff.error.toSlugRequired' });
  else if (!to) errors.push({ field: 'toSlug', key: 'passports.staff.error.toSlugUnknown' });
  else if (to.id === from.id) errors.push({ field: 'toSlug', key: 'passports.staff.error.toSelf' });
  const reasonEn = input.reasonEn.trim();
  const reasonCy = input.reasonCy.trim();
  if (!reasonEn) errors.push({ field: 'reasonEn', key: 'passports.staff.error.reasonEnRequired' });
  else if (reasonEn.length > MAX_REASON)
    errors.push({ field: 'reasonEn', key: 'passports.staff.error.reasonEnLong' });
  if (!reasonCy) errors.push({ field: 'reasonCy', key: 'passports.staff.error.reasonCyRequired' });
  else if (reasonCy.length > MAX_REASON)
    errors.push({ field: 'reasonCy', key: 'passports.staff.error.reasonCyLong' });
  if (errors.length > 0 || !to) return { ok: false, errors };
  const inserted = await db
    .insertInto('passports')
    .values({
      from_service_id: from.id,
      to_service_id: to.id,
      reason_en: reasonEn,
      reason_cy: reasonCy,
      created_by: user.id,
    })
    .onConflict((oc) => oc.columns(['from_service_id', 'to_service_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted)
    return { ok: false, errors: [{ field: 'toSlug', key: 'passports.staff.error.already' }] };
  await recordAudit(db, actor, {
    action: 'passports.declared',
    resourceType: 'passport',
    resourceId: inserted.id,
    subjectUserId: null,
    details: { fromServiceId: from.id, toServiceId: to.id, reasonEn, reasonCy },
  });
  return { ok: true, id: inserted.id };
}

/**
 * Removes a passport of a service: approvals from now on no longer offer it (offers already made
 * stay, with their reason). Returns false when there is no such passport of a service the user
 * may edit.
 */
export async function removePassport(
  db: Db,
  user: CurrentUser,
  serviceId: string,
  passportId: string,
  actor: Actor,
): Promise<boolean> {
  if (!isUuid(serviceId) || !isUuid(passportId)) return false;
  const from = (await ownedServices(db, { id: serviceId }))[0];
  if (!from || !canDeclarePassports(user, from)) return false;
  const removed = await db
    .deleteFrom('passports')
    .where('id', '=', passportId)
    .where('from_service_id', '=', from.id)
    .returning(['to_service_id'])
    .executeTakeFirst();
  if (!removed) return false;
  await recordAudit(db, actor, {
    action: 'passports.removed',
    resourceType: 'passport',
    resourceId: passportId,
    subjectUserId: null,
    details: { fromServiceId: from.id, toServiceId: removed.to_service_id },
  });
  return true;
}
