/**
 * Taking a report of a problem: its answers are the service's form filled from the report (see
 * attributes/mapping.ts) and checked by the forms module's validator, whichever channel it came
 * through; it becomes a submission to the responsible body's service — which the submissions
 * module delivers to the body's own system or to Joinedup's casework, where it is a case — and
 * a row saying where the problem is.
 */
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import {
  parseEmail,
  parseUkPhone,
  summariseAnswersInBoth,
  ukToday,
  validateAnswers,
  type Answers,
  type Bilingual,
} from '../../forms/index.js';
import { createSubmission, type HubKeyScope } from '../../submissions/index.js';
import {
  composeAnswers,
  roleOfField,
  rolesOf,
  type QuestionRole,
  type ReportContent,
} from '../attributes/mapping.js';
import type { Place } from '../location/place.js';
import { mayReport } from '../policies/keys.js';
import type { ReportableService } from '../queries/services.js';

/** A problem with a report: the question (by name) and its role, or a contact detail. */
export interface ReportError {
  /** The question's name, or `email` / `phone` for contact details the form does not ask. */
  name: string;
  role: QuestionRole;
  /** The field as the validator names it (`address.line1`, `collectionDate` …). */
  field: string;
  message: Bilingual;
}

export type ReportCheck = { ok: true; answers: Answers } | { ok: false; errors: ReportError[] };

const BAD_EMAIL: Bilingual = {
  en: 'Enter an email address in the correct format, like name@example.com',
  cy: 'Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com',
};
const BAD_PHONE: Bilingual = {
  en: 'Enter a UK phone number, like 01632 960 001 or 07700 900 982',
  cy: 'Rhowch rif ffôn yn y DU, fel 01632 960 001 neu 07700 900 982',
};
const LONG_NAME: Bilingual = {
  en: 'Your name must be 100 characters or fewer',
  cy: 'Rhaid i’ch enw fod yn 100 nod neu lai',
};

/**
 * Checks a report against the service's form, and the contact details the form does not ask
 * for itself (they go with the submission as the applicant's details).
 */
export function checkReport(
  reportable: ReportableService,
  content: ReportContent,
  today = ukToday(),
): ReportCheck {
  const definition = reportable.form.definition;
  const roles = rolesOf(definition);
  const asks = new Set(roles.values());
  const errors: ReportError[] = [];
  if (!asks.has('email') && content.email && !parseEmail(content.email))
    errors.push({ name: 'email', role: 'email', field: 'email', message: BAD_EMAIL });
  if (!asks.has('phone') && content.phone && !parseUkPhone(content.phone))
    errors.push({ name: 'phone', role: 'phone', field: 'phone', message: BAD_PHONE });
  if (!asks.has('name') && content.name.length > 100)
    errors.push({ name: 'name', role: 'name', field: 'name', message: LONG_NAME });
  const checked = validateAnswers(definition, composeAnswers(definition, content), { today });
  if (!checked.ok)
    for (const error of checked.errors) {
      const found = roleOfField(roles, error.field);
      errors.push({
        name: found?.name ?? '',
        role: found?.role ?? 'attribute',
        field: error.field,
        message: error.message,
      });
    }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, answers: checked.ok ? checked.answers : {} };
}

export interface NewReport {
  reportable: ReportableService;
  place: Place;
  content: ReportContent;
  /** Answers `checkReport` returned for this report. */
  answers: Answers;
  mediaUrl: string | null;
  channel: 'open311' | 'web';
  /** The Open311 key that sent it (API reports). */
  key: { keyId: string; organisationId: string; scope: HubKeyScope } | null;
  /** The reporter's account, when they were signed in on the journey. */
  applicantUserId: string | null;
}

const PLACE: Bilingual = { en: 'Where the problem is', cy: 'Ble mae’r broblem' };
const DESCRIPTION: Bilingual = { en: 'Description', cy: 'Disgrifiad' };
const MEDIA: Bilingual = { en: 'Photo or video', cy: 'Llun neu fideo' };

/**
 * The answers in words for the body, in both languages: the form's questions, then what the
 * report says that the form does not ask (the place with its coordinates, a description, a
 * photo's address).
 */
function summaryOf(report: NewReport) {
  const { definition } = report.reportable.form;
  const asks = new Set(rolesOf(definition).values());
  const answered = summariseAnswersInBoth(definition, report.answers);
  const rows = (locale: 'en' | 'cy') => [
    ...answered[locale],
    { question: PLACE[locale], answer: report.place.words },
    ...(!asks.has('description') && report.content.description
      ? [{ question: DESCRIPTION[locale], answer: report.content.description }]
      : []),
    ...(report.mediaUrl ? [{ question: MEDIA[locale], answer: report.mediaUrl }] : []),
  ];
  return { en: rows('en'), cy: rows('cy') };
}

/** Who the reporter said they are, for the submission (null when they said nothing). */
function applicantOf(content: ReportContent) {
  const email = content.email ? parseEmail(content.email) : undefined;
  const phone = content.phone ? parseUkPhone(content.phone)?.e164 : undefined;
  const name = content.name.trim() || undefined;
  if (!email && !phone && !name) return null;
  return { ...(name ? { name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/**
 * Stores a checked report in the caller's transaction: the submission (with its first event,
 * the outbox message that delivers it and the audit entry: see createSubmission) and where the
 * problem is. The caller read everything it needed before, and wakes the outbox after.
 */
export async function createReport(
  trx: Db,
  report: NewReport,
  actor: Actor,
): Promise<{ submissionId: string; reference: string }> {
  // The route refused other keys with a 403; a report through the API is never stored without one.
  if (report.channel === 'open311' && !(report.key && mayReport(report.key)))
    throw new Error('An Open311 report needs a key with the open311 scope');
  const { reportable, place } = report;
  const summary = summaryOf(report);
  const confirmation = reportable.form.definition.confirmation.body;
  const submission = await createSubmission(
    trx,
    {
      serviceId: reportable.service.id,
      organisationId: reportable.service.organisation.id,
      applicantUserId: report.applicantUserId,
      answers: { values: report.answers, summary, nextSteps: confirmation },
      applicant: applicantOf(report.content),
      channel: report.channel,
      submittedBy: report.key
        ? { organisationId: report.key.organisationId, keyId: report.key.keyId }
        : null,
      formVersion: reportable.form.version,
    },
    actor,
    {
      channel: report.channel,
      serviceCode: reportable.problem.code,
      ...(report.key ? { keyId: report.key.keyId } : {}),
    },
  );
  await trx
    .insertInto('open311_requests')
    .values({
      submission_id: submission.id,
      reference: submission.reference,
      service_code: reportable.problem.code,
      organisation_id: reportable.service.organisation.id,
      service_id: reportable.service.id,
      district_gss: place.districtGss,
      postcode: place.postcode,
      latitude: place.latitude,
      longitude: place.longitude,
      public_address: place.publicAddress,
      media_url: report.mediaUrl,
      channel: report.channel,
      key_id: report.key?.keyId ?? null,
    })
    .execute();
  return { submissionId: submission.id, reference: submission.reference };
}
