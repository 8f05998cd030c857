/**
 * Versions of a consultation: an edit after someone has responded keeps the version they
 * answered (`consultation_versions`), and tells the respondents who asked that it changed.
 */
import type { Db } from '../../../../platform/db/database.js';
import { findOrganisationById } from '../../../organisations/index.js';
import type { ConsultationRow, ConsultationVersionRow } from '../../db/consultation-tables.js';
import { link, queueEngagementMail } from '../../petitions/commands/mail.js';
import { respondentsAskingToBeTold } from './outcome.js';

/** The versions an edit replaced, oldest first. */
export async function earlierVersions(
  db: Db,
  consultationId: string,
): Promise<ConsultationVersionRow[]> {
  return db
    .selectFrom('consultation_versions')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .orderBy('version')
    .execute();
}

/**
 * The consultation as it stood at `version`: the current row itself, or an earlier version's
 * kept text and questions over it (its body, state and dates of withdrawal and outcome stay the
 * current ones). Undefined for a version it never had.
 */
export async function consultationAtVersion(
  db: Db,
  consultation: ConsultationRow,
  version: number,
): Promise<(ConsultationRow & { replacedAt: Date | null }) | undefined> {
  if (version === consultation.version) return { ...consultation, replacedAt: null };
  if (!Number.isInteger(version) || version < 1 || version > consultation.version) return undefined;
  const kept = await db
    .selectFrom('consultation_versions')
    .selectAll()
    .where('consultation_id', '=', consultation.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!kept) return undefined;
  return {
    ...consultation,
    version: kept.version,
    title: kept.title,
    summary: kept.summary,
    body: kept.body,
    audience: kept.audience,
    topic: kept.topic,
    opens_on: kept.opens_on,
    closes_on: kept.closes_on,
    area_districts: kept.area_districts,
    questions: kept.questions,
    sign_in_required: kept.sign_in_required,
    title_cy: kept.title_cy,
    summary_cy: kept.summary_cy,
    body_cy: kept.body_cy,
    easy_read: kept.easy_read,
    replacedAt: kept.replaced_at,
  };
}

/**
 * One e-mail to each respondent who asked to be told (the address given for the outcome) and
 * answered an earlier version than `version`, in the language they responded in; once per
 * response and version however often the outbox runs it. The address is kept for the outcome.
 */
export async function tellRespondentsOfChange(
  trx: Db,
  consultationId: string,
  version: number,
  baseUrl: string,
): Promise<number> {
  const consultation = await trx
    .selectFrom('consultations')
    .select(['id', 'title', 'title_cy', 'organisation_id', 'version', 'withdrawn_at'])
    .where('id', '=', consultationId)
    .executeTakeFirst();
  if (!consultation || consultation.withdrawn_at || consultation.version < version) return 0;
  const body = await findOrganisationById(trx, consultation.organisation_id);
  const respondents = await respondentsAskingToBeTold(trx, consultationId)
    .where('version', '<', version)
    .execute();
  for (const r of respondents)
    await queueEngagementMail(
      trx,
      'consultations.mail.changed',
      r.notify_email!,
      r.language,
      {
        title: (r.language === 'cy' && consultation.title_cy) || consultation.title,
        body: (body && ((r.language === 'cy' && body.name_cy) || body.name)) ?? '',
        reference: r.reference ?? '',
        link: link(baseUrl, `/consultations/${consultationId}`),
      },
      `consultations.mail.changed:${r.id}:${version}`,
    );
  return respondents.length;
}
