import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../../../platform/audit/audit.js';
import { recordAudit } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import { enqueue } from '../../../../platform/outbox/outbox.js';
import type { FieldError, Outcome } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { Updateable } from 'kysely';
import type {
  ConsultationResponseRow,
  ConsultationRow,
  ConsultationTable,
  RespondentType,
} from '../../db/consultation-tables.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { emailProblem, normaliseEmail } from '../../petitions/rules.js';
import {
  answersToInput,
  firstIncompletePage,
  ukToday,
  validateAnswers,
  validatePage,
  type FormPage,
} from '../../../forms/index.js';
import { responseHeldReasons } from '../moderation.js';
import { answersOf, questionFormOf, type QuestionForm } from '../questions.js';
import { consultationStatus, type ConsultationInput } from '../schema.js';

/** The outbox topic of a consultation just published (the engagement home tells its subscribers). */
export const CONSULTATION_PUBLISHED_TOPIC = 'consultations.published';

/**
 * Stores a consultation a service owner published (already validated), audited, and queues
 * telling the subscribers to new consultations it matches (in the same transaction, so a
 * consultation that is not stored tells no one).
 */
export async function publishConsultation(
  trx: Db,
  actor: Actor,
  organisationId: string,
  input: ConsultationInput,
): Promise<ConsultationRow> {
  // The publish form always has its question slots; null is only for an edit keeping a form.
  if (!input.questions) throw new Error('A new consultation needs its questions');
  const consultation = await trx
    .insertInto('consultations')
    .values({
      organisation_id: organisationId,
      ...detailColumns(input),
      questions: JSON.stringify(input.questions),
      published_by: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'consultation.published',
    resourceType: 'consultation',
    resourceId: consultation.id,
    subjectUserId: null,
    details: { organisationId, questions: input.questions.length, topic: input.topic },
  });
  await enqueue(trx, {
    topic: CONSULTATION_PUBLISHED_TOPIC,
    payload: { consultationId: consultation.id },
    idempotencyKey: `${CONSULTATION_PUBLISHED_TOPIC}:${consultation.id}`,
  });
  return consultation;
}

/** The outbox topic that tells respondents who asked that a consultation they answered changed. */
export const CONSULTATION_CHANGED_TOPIC = 'consultations.changed';

/** What an edit did: changed the consultation in place, or (after responses) made a new version. */
export type EditOutcome = { ok: true; version: number | null } | { ok: false };

/**
 * Makes a change to a consultation, unless withdrawn or its outcome is published (refused).
 * Before anyone has sent a response it is changed in place. Once someone has, the version they
 * answered must stand: it is kept in `consultation_versions` as it was, the consultation
 * becomes the next version, and the respondents who asked to be told are e-mailed (outbox topic
 * {@link CONSULTATION_CHANGED_TOPIC}). Either way drafts in progress lose their answers, as the
 * questions may have changed. Audited as `action`. Every change to a published consultation
 * goes through here: its details (the edit form) and its questions (the questions page).
 */
async function saveChange(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  change: {
    set: Updateable<ConsultationTable>;
    action: 'consultation.edited' | 'consultation.questions-changed';
    details: Record<string, unknown>;
  },
): Promise<EditOutcome> {
  // Locked, so a response sent meanwhile is either counted as answered or waits for this edit.
  const current = await trx
    .selectFrom('consultations')
    .selectAll()
    .where('id', '=', consultation.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (current.withdrawn_at || current.outcome_published_at) return { ok: false };
  const sent = await trx
    .selectFrom('consultation_responses')
    .select('id')
    .where('consultation_id', '=', current.id)
    .where('submitted_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  const version = sent ? current.version + 1 : null;
  if (version !== null)
    await trx
      .insertInto('consultation_versions')
      .values({
        consultation_id: current.id,
        version: current.version,
        title: current.title,
        summary: current.summary,
        body: current.body,
        audience: current.audience,
        topic: current.topic,
        opens_on: current.opens_on,
        closes_on: current.closes_on,
        area_districts: current.area_districts,
        questions: JSON.stringify(current.questions),
        sign_in_required: current.sign_in_required,
        title_cy: current.title_cy,
        summary_cy: current.summary_cy,
        body_cy: current.body_cy,
        easy_read: current.easy_read,
        replaced_by: actor.userId,
      })
      .execute();
  await trx
    .updateTable('consultations')
    .set({ ...change.set, ...(version !== null ? { version } : {}) })
    .where('id', '=', current.id)
    .execute();
  await trx
    .updateTable('consultation_responses')
    .set({ answers: '{}' })
    .where('consultation_id', '=', current.id)
    .where('submitted_at', 'is', null)
    .execute();
  await recordAudit(trx, actor, {
    action: change.action,
    resourceType: 'consultation',
    resourceId: current.id,
    subjectUserId: null,
    details: { ...change.details, version },
  });
  if (version !== null)
    await enqueue(trx, {
      topic: CONSULTATION_CHANGED_TOPIC,
      payload: { consultationId: current.id, version },
      idempotencyKey: `${CONSULTATION_CHANGED_TOPIC}:${current.id}:${version}`,
    });
  return { ok: true, version };
}

/** The columns the publish and edit forms set, but the questions. */
function detailColumns(input: ConsultationInput) {
  return {
    title: input.title,
    summary: input.summary,
    body: input.body,
    audience: input.audience,
    topic: input.topic,
    opens_on: input.opensOn,
    closes_on: input.closesOn,
    area_districts: input.districts,
    sign_in_required: input.signInRequired,
    title_cy: input.titleCy ?? null,
    summary_cy: input.summaryCy ?? null,
    body_cy: input.bodyCy ?? null,
    easy_read: input.easyRead ?? null,
  };
}

/**
 * Edits a consultation's details (and its slot questions, unless its questions are a form of
 * their own: `input.questions` is then null and they stay), as {@link saveChange} says.
 */
export async function editConsultation(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  input: ConsultationInput,
): Promise<EditOutcome> {
  return saveChange(trx, actor, consultation, {
    set: {
      ...detailColumns(input),
      ...(input.questions ? { questions: JSON.stringify(input.questions) } : {}),
    },
    action: 'consultation.edited',
    details: { questions: input.questions?.length ?? null },
  });
}

/**
 * Replaces a consultation's questions with a form definition of its own (already checked by the
 * forms schema and {@link consultationFormProblems}) and its easy read wording, as
 * {@link saveChange} says: a new version once anyone has responded. Service owners only (the
 * caller checked).
 */
export async function changeQuestions(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  questionForm: QuestionForm,
): Promise<EditOutcome> {
  return saveChange(trx, actor, consultation, {
    set: { questions: JSON.stringify(questionForm) },
    action: 'consultation.questions-changed',
    details: {
      pages: questionForm.form.pages.length,
      questions: questionForm.form.pages.reduce((n, page) => n + page.questions.length, 0),
      easyRead: Object.keys(questionForm.easyRead).length,
    },
  });
}

/** Hash of a draft's cookie token: the database never holds the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface About {
  type: RespondentType;
  organisationName: string | null;
}

/** The "about you" page: as an individual, or for an organisation named up to 200 characters. */
export function readAbout(body: unknown): Outcome<{ about: About }> {
  const type = formText(body, 'respondentType');
  const name = formText(body, 'organisationName');
  if (type === 'individual') return { ok: true, about: { type, organisationName: null } };
  if (type !== 'organisation')
    return {
      ok: false,
      errors: [{ field: 'respondentType', message: 'consultations.respond.about.missing' }],
    };
  const errors: FieldError[] = [];
  if (name === '')
    errors.push({
      field: 'organisationName',
      message: 'consultations.respond.organisation.missing',
    });
  else if (name.length > 200)
    errors.push({
      field: 'organisationName',
      message: 'consultations.respond.organisation.tooLong',
    });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, about: { type, organisationName: name } };
}

/**
 * Starts a draft response (returning the token for the respondent's cookie), or updates the
 * "about you" of the draft the token already holds.
 */
export async function startResponse(
  trx: Db,
  consultation: ConsultationRow,
  draft: ConsultationResponseRow | undefined,
  userId: string | null,
  about: About,
): Promise<{ token: string | null }> {
  if (draft && !draft.submitted_at) {
    await trx
      .updateTable('consultation_responses')
      .set({ respondent_type: about.type, organisation_name: about.organisationName })
      .where('id', '=', draft.id)
      .where('submitted_at', 'is', null)
      .execute();
    return { token: null };
  }
  const token = randomBytes(32).toString('base64url');
  await trx
    .insertInto('consultation_responses')
    .values({
      consultation_id: consultation.id,
      token_hash: hashToken(token),
      user_id: userId,
      respondent_type: about.type,
      organisation_name: about.organisationName,
    })
    .execute();
  return { token };
}

/** A draft's answers by question name (a draft kept by question number read as `answersOf` says). */
export function draftAnswers(consultation: ConsultationRow, draft: ConsultationResponseRow) {
  return answersOf(consultation.questions, draft.answers);
}

/**
 * Saves one page of the consultation's questions to a draft, when the forms engine's validator
 * accepts the page's answers (`input` as `readPageInput` reads a posted page); otherwise each
 * problem, in the reader's language, with the id of the input it belongs to. Nothing is saved
 * from a page with a problem.
 */
export async function savePage(
  trx: Db,
  consultation: ConsultationRow,
  draft: ConsultationResponseRow,
  page: FormPage,
  input: Record<string, unknown>,
  locale: Locale,
  now: Date,
): Promise<Outcome<object>> {
  const { form } = questionFormOf(consultation.questions);
  const checked = validatePage(form, page, input, draftAnswers(consultation, draft), {
    today: ukToday(now),
  });
  if (!checked.ok) {
    const errors: FieldError[] = [];
    for (const e of checked.errors)
      if (!errors.some((known) => known.field === e.field))
        errors.push({ field: e.field, message: e.message[locale] });
    return { ok: false, errors };
  }
  // A question of the page its conditions skip has no answer now: it goes, as it would count.
  const unanswered = page.questions.filter((q) => !Object.hasOwn(checked.answers, q.name));
  let answers = sql<string>`answers || ${JSON.stringify(checked.answers)}::jsonb`;
  for (const q of unanswered) answers = sql<string>`(${answers}) - ${q.name}::text`;
  await trx
    .updateTable('consultation_responses')
    // Merged in the database, so two pages sent at once cannot undo each other's answers.
    .set({ answers })
    .where('id', '=', draft.id)
    .where('submitted_at', 'is', null)
    .execute();
  return { ok: true };
}

/**
 * The first page (its 0-based place in the definition) still to answer, or the number of pages
 * when every page asked has a valid answer: the forms engine's guard against jumping ahead.
 */
export function nextUnanswered(
  consultation: ConsultationRow,
  draft: ConsultationResponseRow,
  now = new Date(),
): number {
  const { form } = questionFormOf(consultation.questions);
  const page = firstIncompletePage(form, draftAnswers(consultation, draft), ukToday(now));
  return page ? form.pages.indexOf(page) : form.pages.length;
}

const REFERENCE_CHARACTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A response's reference, e.g. C-7K3MX9QA: no 0/O or 1/I to misread. */
export function newReference(): string {
  const bytes = randomBytes(8);
  return `C-${[...bytes].map((b) => REFERENCE_CHARACTERS[b % REFERENCE_CHARACTERS.length]).join('')}`;
}

export type SubmitOutcome =
  | { ok: true; reference: string; held: boolean }
  | { ok: false; reason: 'closed' | 'incomplete' | 'already' };

/** Who asked to be told of the outcome by e-mail, in which language; null when no one asked. */
export type Notify = { email: string; language: Locale } | null;

/**
 * The check page's "tell me when the outcome is published": unticked is no; ticked needs an
 * e-mail address that passes the petitions' rules (well formed, not disposable).
 */
export function readNotify(body: unknown, language: Locale): Outcome<{ notify: Notify }> {
  if (formText(body, 'notify') !== 'yes') return { ok: true, notify: null };
  const problem = emailProblem(formText(body, 'notifyEmail'));
  if (problem)
    return {
      ok: false,
      errors: [{ field: 'notifyEmail', message: `consultations.respond.notify.${problem}` }],
    };
  return { ok: true, notify: { email: normaliseEmail(formText(body, 'notifyEmail')), language } };
}

/**
 * Sends a draft response: refused when the consultation is not open on `now`'s London day (or
 * was withdrawn), when a question is unanswered, or when it was already sent. Text that looks
 * abusive or holds contact details holds the response for a moderator. Audited, with the
 * respondent's account as the subject when they were signed in.
 */
export async function submitResponse(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  draft: ConsultationResponseRow,
  now: Date,
  notify: Notify = null,
): Promise<SubmitOutcome> {
  if (consultationStatus(consultation, now) !== 'open') return { ok: false, reason: 'closed' };
  // The whole response checked again by the same definition, as the forms engine checks an
  // application before it is sent: what is kept is what the validator made of it.
  const { form } = questionFormOf(consultation.questions);
  const checked = validateAnswers(form, answersToInput(form, draftAnswers(consultation, draft)), {
    today: ukToday(now),
  });
  if (!checked.ok) return { ok: false, reason: 'incomplete' };
  const reference = newReference();
  const heldReasons = responseHeldReasons(form, checked.answers, draft.organisation_name);
  const sent = await trx
    .updateTable('consultation_responses')
    .set({
      answers: JSON.stringify(checked.answers),
      reference,
      submitted_at: now,
      held_reasons: heldReasons,
      held: heldReasons.length > 0,
      notify_email: notify?.email ?? null,
      language: notify?.language ?? 'en',
      version: consultation.version,
    })
    .where('id', '=', draft.id)
    .where('submitted_at', 'is', null)
    // Answers to the version read, not one an edit has just replaced.
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('consultations')
          .select('id')
          .where('id', '=', consultation.id)
          .where('version', '=', consultation.version),
      ),
    )
    .returning('id')
    .executeTakeFirst();
  if (!sent) {
    const now = await trx
      .selectFrom('consultations')
      .select('version')
      .where('id', '=', consultation.id)
      .executeTakeFirst();
    return { ok: false, reason: now?.version !== consultation.version ? 'incomplete' : 'already' };
  }
  await recordAudit(trx, actor, {
    action: 'consultation.response-submitted',
    resourceType: 'consultation_response',
    resourceId: draft.id,
    subjectUserId: draft.user_id,
    details: {
      consultationId: consultation.id,
      reference,
      held: heldReasons,
      version: consultation.version,
    },
  });
  return { ok: true, reference, held: heldReasons.length > 0 };
}
