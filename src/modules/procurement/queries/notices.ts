import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { FormDefinition } from '../../forms/index.js';
import type { NoticeRow, TenderQuestion } from '../db/tables.js';
import { questionFormOf } from '../notices/questions.js';
import { WHOLE_UK } from '../reference/regions.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** A notice by id, or undefined (also for an id that is not a UUID). */
export async function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('procurement_notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A notice by its Open Contracting id. */
export async function findNoticeByOcid(db: Db, ocid: string): Promise<NoticeRow | undefined> {
  return db
    .selectFrom('procurement_notices')
    .selectAll()
    .where('ocid', '=', ocid)
    .executeTakeFirst();
}

/** The partner bodies buying together with a notice's lead body. */
export async function partnersOf(db: Db, noticeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('procurement_notice_buyers')
    .select('organisation_id')
    .where('notice_id', '=', noticeId)
    .execute();
  return rows.map((r) => r.organisation_id);
}

/** What anyone may search notices by. */
export interface NoticeSearch {
  /** Words in the title or description. */
  text?: string;
  /** A CPV division or group (8 digits): notices with a code in it. */
  sector?: string;
  /** A region's GSS code: notices delivered there or UK-wide. */
  region?: string;
  /** Only notices the buyer marked as suitable for small and medium-sized businesses. */
  smeOnly?: boolean;
  /** Only notices still taking tenders at `now`. */
  openOnly?: boolean;
}

/**
 * Published notices for the public search at /procurement, newest first (at most 100). Anyone
 * may search, signed in or not: notices are public.
 */
export async function searchNotices(db: Db, search: NoticeSearch, now: Date): Promise<NoticeRow[]> {
  let query = db.selectFrom('procurement_notices').selectAll();
  const text = search.text?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('title', 'ilike', like), eb('description', 'ilike', like)]),
    );
  }
  if (search.sector) {
    const prefix = search.sector.endsWith('000000')
      ? search.sector.slice(0, 2)
      : search.sector.endsWith('00000')
        ? search.sector.slice(0, 3)
        : search.sector;
    query = query.where(
      sql<boolean>`exists (select 1 from unnest(cpv_codes) c where c like ${`${prefix}%`})`,
    );
  }
  if (search.region) query = query.where('region', 'in', [search.region, WHOLE_UK]);
  if (search.smeOnly) query = query.where('sme_suitable', '=', true);
  if (search.openOnly)
    query = query.where('status', '=', 'open').where('tender_deadline', '>', now);
  return query.orderBy('published_at', 'desc').orderBy('id').limit(100).execute();
}

/** A body's notices, as lead buyer or partner, newest first, for its staff. */
export async function noticesOfBody(db: Db, organisationId: string): Promise<NoticeRow[]> {
  return db
    .selectFrom('procurement_notices')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('organisation_id', '=', organisationId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('procurement_notice_buyers')
            .select('notice_id')
            .where('organisation_id', '=', organisationId),
        ),
      ]),
    )
    .orderBy('published_at', 'desc')
    .execute();
}

/** A notice's earlier versions, newest first. */
export async function versionsOf(db: Db, noticeId: string) {
  return db
    .selectFrom('procurement_notice_versions')
    .select(['version', 'replaced_at', 'change_summary'])
    .where('notice_id', '=', noticeId)
    .orderBy('version', 'desc')
    .execute();
}

/**
 * The tender questions a notice asked at one of its versions: the notice's own for its current
 * version, otherwise those kept with the earlier version — so a tender made against an earlier
 * version is read with the questions it answered.
 */
export async function questionFormAt(
  db: Db,
  notice: NoticeRow,
  version: number,
): Promise<FormDefinition> {
  if (version === notice.version) return questionFormOf(notice);
  const earlier = await db
    .selectFrom('procurement_notice_versions')
    .select('snapshot')
    .where('notice_id', '=', notice.id)
    .where('version', '=', version)
    .executeTakeFirst();
  const snapshot = earlier?.snapshot as
    { questions?: TenderQuestion[]; questionForm?: unknown } | undefined;
  if (!snapshot?.questions) return questionFormOf(notice);
  return questionFormOf({
    questions: snapshot.questions,
    question_form: snapshot.questionForm ?? null,
  });
}

/**
 * A notice's clarification questions as published: answered ones only, with no word of who
 * asked (the supplier and the person stay with the body).
 */
export async function publishedClarifications(db: Db, noticeId: string) {
  return db
    .selectFrom('procurement_clarifications')
    .select(['id', 'question', 'answer', 'answered_at'])
    .where('notice_id', '=', noticeId)
    .where('answer', 'is not', null)
    .orderBy('answered_at')
    .execute();
}
