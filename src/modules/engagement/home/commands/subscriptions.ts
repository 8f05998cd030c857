import { randomBytes } from 'node:crypto';
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { authoritiesOfPostcodeDistrict } from '../../../address/index.js';
import { findOrganisationById } from '../../../organisations/index.js';
import { emailedTokenHash, link, queueEngagementMail } from '../../petitions/commands/mail.js';
import { emailProblem, normaliseEmail, postcodeDistrict } from '../../petitions/rules.js';
import { isNationalBody } from '../queries/home.js';

const NOBODY: Actor = { userId: null, organisationId: null, role: null };

/** The engagement e-mails, each `engagement.mail.<kind>.subject` and `.body` in the locales. */
type MailKind = 'confirm' | 'already' | 'new-petition';

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
  /** '' for any body. */
  organisationId: string;
  area: string;
  postcode: string;
}

export function subscriptionFormValues(body: unknown): SubscriptionForm {
  return {
    email: formText(body, 'email'),
    organisationId: formText(body, 'organisationId'),
    area: formText(body, 'area'),
    postcode: formText(body, 'postcode'),
  };
}

/**
 * Subscribes an e-mail address to new petitions to one body (or any) near a postcode district
 * (or nationally: wherever in the country): checked like a petition signer's address (malformed and disposable refused),
 * stored unconfirmed, and the confirming link e-mailed. Subscribing again unconfirmed sends a
 * fresh link; once confirmed it sends an "already subscribed" e-mail, so the page never says
 * whether an address is subscribed.
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
  const organisation =
    values.organisationId === ''
      ? null
      : /^[0-9a-f-]{36}$/.test(values.organisationId)
        ? ((await findOrganisationById(trx, values.organisationId)) ?? undefined)
        : undefined;
  if (organisation === undefined)
    errors.push({ field: 'organisationId', message: 'engagement.subscribe.body.unknown' });
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
  if (errors.length > 0 || organisation === undefined) return { ok: false, errors };

  const email = normaliseEmail(values.email);
  const token = randomBytes(32).toString('base64url');
  const choice = `${organisation?.id ?? 'any'}:${district ?? 'national'}`;
  const row = await trx
    .insertInto('engagement_subscriptions')
    .values({
      email,
      organisation_id: organisation?.id ?? null,
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
  if (row) {
    await queueMail(
      trx,
      'confirm',
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
      details: { organisationId: organisation?.id ?? null, district },
    });
  } else {
    await queueMail(
      trx,
      'already',
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
