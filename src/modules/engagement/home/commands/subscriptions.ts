import { randomBytes } from 'node:crypto';
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { authoritiesOfPostcodeDistrict } from '../../../address/index.js';
import { findOrganisationById } from '../../../organisations/index.js';
import { isConsultationTopic, type ConsultationTopic } from '../../consultations/topics.js';
import { emailedTokenHash, link, queueEngagementMail } from '../../petitions/commands/mail.js';
import { emailProblem, normaliseEmail, postcodeDistrict } from '../../petitions/rules.js';
import { consultsNear, isNationalBody, isNationalConsultation } from '../queries/home.js';

const NOBODY: Actor = { userId: null, organisationId: null, role: null };

/** The engagement e-mails, each `engagement.mail.<kind>.subject` and `.body` in the locales. */
type MailKind =
  | 'confirm'
  | 'already'
  | 'new-petition'
  | 'confirm-consultations'
  | 'already-consultations'
  | 'new-consultation';

/** Queues one engagement e-mail through the outbox; the key makes it once only. */
function queueMail(
  trx: Db,
  kind: MailKind,
  to: string,
  language: Locale,
  values: Record<string, string>,
  idempotencyKey: string,
): Promise<void> {
  return queueEngagementMail(trx, `engagement.mail.${kind}`, to, language, values, idempotencyKey);
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The subscribe form as typed, for re-showing it. */
export interface SubscriptionForm {
  email: string;
  /** 'petitions' or 'consultations'. */
  kind: string;
  /** Petitions: '' for any body. */
  organisationId: string;
  /** Consultations: '' for any topic. */
  topic: string;
  area: string;
  postcode: string;
}

export function subscriptionFormValues(body: unknown): SubscriptionForm {
  return {
    email: formText(body, 'email'),
    kind: formText(body, 'kind'),
    organisationId: formText(body, 'organisationId'),
    topic: formText(body, 'topic'),
    area: formText(body, 'area'),
    postcode: formText(body, 'postcode'),
  };
}

/** What a subscription is to, read from the form: new petitions to a body, or consultations on a topic. */
type Subject =
  | { kind: 'petitions'; organisationId: string | null }
  | { kind: 'consultations'; topic: ConsultationTopic | null };

/** Reads what the subscription is to; undefined (with the error pushed) when the form is wrong. */
async function readSubject(
  trx: Db,
  values: SubscriptionForm,
  errors: FieldError[],
): Promise<Subject | undefined> {
  if (values.kind === 'consultations') {
    if (values.topic === '') return { kind: 'consultations', topic: null };
    if (isConsultationTopic(values.topic)) return { kind: 'consultations', topic: values.topic };
    errors.push({ field: 'topic', message: 'engagement.subscribe.topic.unknown' });
    return undefined;
  }
  if (values.kind !== 'petitions') {
    errors.push({ field: 'kind', message: 'engagement.subscribe.kind.missing' });
    return undefined;
  }
  if (values.organisationId === '') return { kind: 'petitions', organisationId: null };
  const organisation = /^[0-9a-f-]{36}$/.test(values.organisationId)
    ? await findOrganisationById(trx, values.organisationId)
    : undefined;
  if (organisation) return { kind: 'petitions', organisationId: organisation.id };
  errors.push({ field: 'organisationId', message: 'engagement.subscribe.body.unknown' });
  return undefined;
}

/**
 * The subscription's key among an address's subscriptions. Petitions keep the form of migration
 * 0039 (`<body or any>:<district or national>`), so subscriptions made before still match.
 */
function choiceOf(subject: Subject, district: string | null): string {
  const place = district ?? 'national';
  return subject.kind === 'petitions'
    ? `${subject.organisationId ?? 'any'}:${place}`
    : `consultations:${subject.topic ?? 'any'}:${place}`;
}

/**
 * Subscribes an e-mail address to new petitions to one body (or any), or to new consultations on
 * one topic (or any), near a postcode district (or nationally: wherever in the country): checked
 * like a petition signer's address (malformed and disposable refused), stored unconfirmed, and
 * the confirming link e-mailed. Subscribing again unconfirmed sends a fresh link; once confirmed
 * it sends an "already subscribed" e-mail, so the page never says whether an address is
 * subscribed.
 */
export async function subscribe(
  trx: Db,
  values: SubscriptionForm,
  language: Locale,
  baseUrl: string,
): Promise<Outcome<Record<never, never>>> {
  const errors: FieldError[] = [];
  const problem = emailProblem(values.email);
  if (problem) errors.push({ field: 'email', message: `engagement.subscribe.email.${problem}` });
  const subject = await readSubject(trx, values, errors);
  let district: string | null = null;
  if (values.area === 'postcode') {
    const place = postcodeDistrict(values.postcode);
    if (place) district = place.district;
    else
      errors.push({
        field: 'postcode',
        message:
          values.postcode === ''
            ? 'engagement.subscribe.postcode.missing'
            : 'engagement.subscribe.postcode.malformed',
      });
  } else if (values.area !== 'national')
    errors.push({ field: 'area', message: 'engagement.subscribe.area.missing' });
  if (errors.length > 0 || subject === undefined) return { ok: false, errors };

  const email = normaliseEmail(values.email);
  const token = randomBytes(32).toString('base64url');
  const choice = choiceOf(subject, district);
  const row = await trx
    .insertInto('engagement_subscriptions')
    .values({
      email,
      kind: subject.kind,
      organisation_id: subject.kind === 'petitions' ? subject.organisationId : null,
      topic: subject.kind === 'consultations' ? subject.topic : null,
      district,
      language,
      token_hash: emailedTokenHash(token),
      unsubscribe_token: randomBytes(32).toString('base64url'),
      choice,
    })
    .onConflict((oc) =>
      oc
        .columns(['email', 'choice'])
        .doUpdateSet({ token_hash: emailedTokenHash(token), language })
        .where('engagement_subscriptions.confirmed_at', 'is', null),
    )
    .returning(['id', 'unsubscribe_token'])
    .executeTakeFirst();
  const existing =
    row ??
    (await trx
      .selectFrom('engagement_subscriptions')
      .select(['id', 'unsubscribe_token'])
      .where('email', '=', email)
      .where('choice', '=', choice)
      .executeTakeFirstOrThrow());
  const mailValues = {
    link: link(baseUrl, `/engage/subscriptions/confirm?token=${token}`),
    unsubscribe: link(
      baseUrl,
      `/engage/subscriptions/unsubscribe?token=${existing.unsubscribe_token}`,
    ),
  };
  const ofConsultations = subject.kind === 'consultations';
  if (row) {
    await queueMail(
      trx,
      ofConsultations ? 'confirm-consultations' : 'confirm',
      email,
      language,
      mailValues,
      `engagement.mail.confirm:${row.id}:${emailedTokenHash(token).slice(0, 16)}`,
    );
    await recordAudit(trx, NOBODY, {
      action: 'engagement.subscribed',
      resourceType: 'engagement_subscription',
      resourceId: row.id,
      subjectUserId: null,
      details: {
        kind: subject.kind,
        ...(subject.kind === 'petitions'
          ? { organisationId: subject.organisationId }
          : { topic: subject.topic }),
        district,
      },
    });
  } else {
    await queueMail(
      trx,
      ofConsultations ? 'already-consultations' : 'already',
      email,
      language,
      mailValues,
      `engagement.mail.already:${existing.id}`,
    );
  }
  return { ok: true };
}

/** Confirms the subscription whose e-mailed link was followed; true when the link is known. */
export async function confirmSubscription(trx: Db, token: string, now: Date): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  const row = await trx
    .selectFrom('engagement_subscriptions')
    .select(['id', 'confirmed_at'])
    .where('token_hash', '=', emailedTokenHash(token))
    .executeTakeFirst();
  if (!row) return false;
  if (row.confirmed_at) return true;
  await trx
    .updateTable('engagement_subscriptions')
    .set({ confirmed_at: now })
    .where('id', '=', row.id)
    .execute();
  await recordAudit(trx, NOBODY, {
    action: 'engagement.subscription-confirmed',
    resourceType: 'engagement_subscription',
    resourceId: row.id,
    subjectUserId: null,
    details: {},
  });
  return true;
}

/** Ends the subscription of an unsubscribe link (deleted: nothing of it is kept). */
export async function unsubscribe(trx: Db, token: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  const row = await trx
    .deleteFrom('engagement_subscriptions')
    .where('unsubscribe_token', '=', token)
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await recordAudit(trx, NOBODY, {
    action: 'engagement.unsubscribed',
    resourceType: 'engagement_subscription',
    resourceId: row.id,
    subjectUserId: null,
    details: {},
  });
  return true;
}

/**
 * E-mails every confirmed subscriber a newly published petition matches, once per address and
 * petition (the outbox drops a repeat): subscriptions to its body or any body, nationally (every
 * petition in the country) or in a postcode district the body covers (the district has a
 * postcode in the body's area in the ONS Postcode Directory; a national body covers them all).
 */
export async function tellSubscribersOfPetition(
  trx: Db,
  petitionId: string,
  baseUrl: string,
): Promise<number> {
  const petition = await trx
    .selectFrom('petitions')
    .select(['id', 'title', 'organisation_id', 'state'])
    .where('id', '=', petitionId)
    .executeTakeFirst();
  if (!petition || petition.state !== 'open') return 0;
  const body = await findOrganisationById(trx, petition.organisation_id);
  if (!body) return 0;
  const national = isNationalBody(body);
  const candidates = await trx
    .selectFrom('engagement_subscriptions')
    .select(['email', 'language', 'unsubscribe_token', 'district'])
    .where('kind', '=', 'petitions')
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', body.id)]))
    .orderBy('created_at')
    .execute();
  // A subscription with a district takes a national body's petitions and those of the councils
  // whose area reaches it; one without (nationally) takes every petition.
  const reached = new Map<string, boolean>();
  if (!national && body.gss_code)
    for (const district of new Set(candidates.flatMap((c) => (c.district ? [c.district] : []))))
      reached.set(
        district,
        (await authoritiesOfPostcodeDistrict(trx, district)).includes(body.gss_code),
      );
  const subscribers = candidates.filter(
    (c) => national || c.district === null || reached.get(c.district) === true,
  );
  const told = new Set<string>();
  for (const s of subscribers) {
    if (told.has(s.email)) continue;
    told.add(s.email);
    await queueMail(
      trx,
      'new-petition',
      s.email,
      s.language,
      {
        title: petition.title,
        body: (s.language === 'cy' && body.name_cy) || body.name,
        link: link(baseUrl, `/petitions/${petition.id}`),
        unsubscribe: link(
          baseUrl,
          `/engage/subscriptions/unsubscribe?token=${s.unsubscribe_token}`,
        ),
      },
      `engagement.mail.new-petition:${s.email}:${petition.id}`,
    );
  }
  return told.size;
}

/**
 * E-mails every confirmed subscriber to new consultations a newly published consultation
 * matches, once per address and consultation (the outbox drops a repeat): its topic (or any)
 * and its area by the rules of the engagement home: nationally takes every consultation; a
 * postcode district takes those whose area lists it or whose body serves it (a council asking
 * its whole area, as "near a postcode" on /engage), and a national body's consultations of the
 * whole country. A withdrawn consultation reaches no one.
 */
export async function tellSubscribersOfConsultation(
  trx: Db,
  consultationId: string,
  baseUrl: string,
): Promise<number> {
  const consultation = await trx
    .selectFrom('consultations')
    .select([
      'id',
      'title',
      'title_cy',
      'topic',
      'area_districts',
      'organisation_id',
      'withdrawn_at',
    ])
    .where('id', '=', consultationId)
    .executeTakeFirst();
  if (!consultation || consultation.withdrawn_at) return 0;
  const body = await findOrganisationById(trx, consultation.organisation_id);
  if (!body) return 0;
  const candidates = await trx
    .selectFrom('engagement_subscriptions')
    .select(['email', 'language', 'unsubscribe_token', 'district'])
    .where('kind', '=', 'consultations')
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('topic', 'is', null), eb('topic', '=', consultation.topic)]))
    .orderBy('created_at')
    .execute();
  const everywhere = isNationalBody(body) && isNationalConsultation(consultation);
  const near = new Map<string, boolean>();
  for (const district of new Set(candidates.flatMap((c) => (c.district ? [c.district] : [])))) {
    const served =
      body.gss_code !== null &&
      (await authoritiesOfPostcodeDistrict(trx, district)).includes(body.gss_code);
    near.set(district, everywhere || consultsNear(consultation, district, served ? [body.id] : []));
  }
  const told = new Set<string>();
  for (const s of candidates) {
    if (s.district !== null && near.get(s.district) !== true) continue;
    if (told.has(s.email)) continue;
    told.add(s.email);
    await queueMail(
      trx,
      'new-consultation',
      s.email,
      s.language,
      {
        title: (s.language === 'cy' && consultation.title_cy) || consultation.title,
        body: (s.language === 'cy' && body.name_cy) || body.name,
        link: link(baseUrl, `/consultations/${consultation.id}`),
        unsubscribe: link(
          baseUrl,
          `/engage/subscriptions/unsubscribe?token=${s.unsubscribe_token}`,
        ),
      },
      `engagement.mail.new-consultation:${s.email}:${consultation.id}`,
    );
  }
  return told.size;
}
