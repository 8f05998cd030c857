import { randomBytes } from 'node:crypto';
import type { Actor } from '../../../../platform/audit/audit.js';
import { recordAudit } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { consumeRateLimit } from '../../../../platform/http/rate-limit-store.js';
import type { PetitionRow } from '../../db/tables.js';
import { emailProblem, normaliseEmail, petitionStatus, postcodeDistrict } from '../rules.js';
import { emailedTokenHash, link, queuePetitionMail } from './mail.js';
import { tellStaffOfThreshold } from './petitions.js';

/**
 * How many signing attempts one IP address may make on one petition in an hour; beyond that
 * signing from it is refused and flagged for the body's staff. Generous enough for a family or
 * a shared office, far below a script's pace.
 */
export const SIGNATURES_PER_ADDRESS_PER_HOUR = 20;

export interface SignatureForm {
  name: string;
  email: string;
  postcode: string;
  notify: boolean;
}

export function signatureFormValues(body: unknown): SignatureForm {
  return {
    name: formText(body, 'name'),
    email: formText(body, 'email'),
    postcode: formText(body, 'postcode'),
    notify: formText(body, 'notify') === 'yes',
  };
}

/**
 * Counts one signing attempt from `ip` on the petition. Over the hourly limit it records (or
 * adds to) a flag for staff review and says no. Runs outside the signing transaction, so a
 * refused attempt is still counted and flagged.
 */
export async function checkSigningRate(
  db: Db,
  petitionId: string,
  ip: string,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const limit = await consumeRateLimit(
    db,
    `petitions:sign:${petitionId}:${ip}`,
    SIGNATURES_PER_ADDRESS_PER_HOUR,
    3_600_000,
  );
  if (limit.allowed) return { allowed: true, retryAfterSeconds: 0 };
  await db
    .insertInto('petition_flags')
    .values({ petition_id: petitionId, ip_address: ip })
    .onConflict((oc) =>
      oc
        .columns(['petition_id', 'ip_address'])
        .where('reviewed_at', 'is', null)
        .doUpdateSet((eb) => ({
          refused: eb('petition_flags.refused', '+', 1),
          last_at: new Date(),
        })),
    )
    .execute();
  return { allowed: false, retryAfterSeconds: Math.ceil(limit.resetInMs / 1000) };
}

/**
 * Takes a signature on an open petition: checks the name, the e-mail address (malformed and
 * disposable ones refused) and the postcode, then stores it unconfirmed and e-mails the link
 * that confirms it. Signing again with the same address (any case) before confirming sends a
 * fresh link to the same signature; after confirming it sends an "already signed" e-mail, so
 * the page never says whether an address has signed.
 */
export async function signPetition(
  trx: Db,
  petition: PetitionRow,
  values: SignatureForm,
  by: { ip: string; userId: string | null; language: Locale },
  now: Date,
  baseUrl: string,
): Promise<Outcome<Record<never, never>>> {
  const errors: FieldError[] = [];
  if (values.name === '') errors.push({ field: 'name', message: 'petitions.sign.name.missing' });
  else if (values.name.length > 120)
    errors.push({ field: 'name', message: 'petitions.sign.name.tooLong' });
  const problem = emailProblem(values.email);
  if (problem) errors.push({ field: 'email', message: `petitions.sign.email.${problem}` });
  const place = postcodeDistrict(values.postcode);
  if (!place)
    errors.push({
      field: 'postcode',
      message:
        values.postcode === ''
          ? 'petitions.sign.postcode.missing'
          : 'petitions.sign.postcode.malformed',
    });
  if (errors.length > 0 || !place) return { ok: false, errors };
  if (petitionStatus(petition, now) !== 'open')
    return { ok: false, errors: [{ field: 'name', message: 'petitions.sign.closed' }] };

  const email = normaliseEmail(values.email);
  const token = randomBytes(32).toString('base64url');
  const row = await trx
    .insertInto('petition_signatures')
    .values({
      petition_id: petition.id,
      name: values.name,
      email,
      postcode: place.postcode,
      district: place.district,
      ip_address: by.ip,
      user_id: by.userId,
      notify: values.notify,
      language: by.language,
      token_hash: emailedTokenHash(token),
    })
    .onConflict((oc) =>
      oc
        .columns(['petition_id', 'email'])
        .doUpdateSet({
          name: values.name,
          postcode: place.postcode,
          district: place.district,
          ip_address: by.ip,
          notify: values.notify,
          language: by.language,
          token_hash: emailedTokenHash(token),
        })
        .where('petition_signatures.confirmed_at', 'is', null),
    )
    .returning(['id'])
    .executeTakeFirst();
  const mailValues = {
    name: values.name,
    title: petition.title,
    link: link(baseUrl, `/petitions/${petition.id}/confirm?token=${token}`),
    page: link(baseUrl, `/petitions/${petition.id}`),
  };
  if (row) {
    await queuePetitionMail(
      trx,
      'confirm',
      email,
      by.language,
      mailValues,
      `petitions.mail.confirm:${row.id}:${emailedTokenHash(token).slice(0, 16)}`,
    );
  } else {
    // Already confirmed: nothing changes; the address's owner is told, once a petition.
    await queuePetitionMail(
      trx,
      'already-signed',
      email,
      by.language,
      mailValues,
      `petitions.mail.already-signed:${petition.id}:${email}`,
    );
  }
  return { ok: true };
}

export type Confirmation = 'confirmed' | 'already-confirmed' | 'closed' | 'unknown';

/**
 * Confirms the signature whose link was followed: counted once, however often the link is
 * used. The petition's row is locked so the count and the thresholds it crosses are exact;
 * crossing one tells the body's staff. A petition that has closed takes no more signatures.
 */
export async function confirmSignature(
  trx: Db,
  petitionId: string,
  token: string,
  now: Date,
  baseUrl: string,
): Promise<Confirmation> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return 'unknown';
  const petition = await trx
    .selectFrom('petitions')
    .selectAll()
    .where('id', '=', petitionId)
    .forUpdate()
    .executeTakeFirst();
  if (!petition) return 'unknown';
  const signature = await trx
    .selectFrom('petition_signatures')
    .select(['id', 'confirmed_at', 'struck_at', 'user_id'])
    .where('petition_id', '=', petitionId)
    .where('token_hash', '=', emailedTokenHash(token))
    .executeTakeFirst();
  if (!signature) return 'unknown';
  if (signature.confirmed_at) return 'already-confirmed';
  if (petitionStatus(petition, now) !== 'open') return 'closed';
  await trx
    .updateTable('petition_signatures')
    .set({ confirmed_at: now })
    .where('id', '=', signature.id)
    .execute();
  const count = petition.signature_count + 1;
  const crossesResponse =
    !petition.response_threshold_reached_at &&
    petition.response_threshold !== null &&
    count >= petition.response_threshold;
  const crossesDebate =
    !petition.debate_threshold_reached_at &&
    petition.debate_threshold !== null &&
    count >= petition.debate_threshold;
  await trx
    .updateTable('petitions')
    .set({
      signature_count: count,
      ...(crossesResponse ? { response_threshold_reached_at: now } : {}),
      ...(crossesDebate ? { debate_threshold_reached_at: now } : {}),
    })
    .where('id', '=', petitionId)
    .execute();
  await recordAudit(
    trx,
    { userId: null, organisationId: null, role: null },
    {
      action: 'petition.signature-confirmed',
      resourceType: 'petition_signature',
      resourceId: signature.id,
      subjectUserId: signature.user_id,
      details: { petitionId, count },
    },
  );
  if (crossesResponse) await tellStaffOfThreshold(trx, petition, 'response', baseUrl);
  if (crossesDebate) await tellStaffOfThreshold(trx, petition, 'debate', baseUrl);
  return 'confirmed';
}

/**
 * Staff review of a bulk-signing flag: dismiss it (the signatures stand) or strike every
 * signature from that address on that petition (no longer counted). Audited.
 */
export async function reviewFlag(
  trx: Db,
  actor: Actor,
  flagId: string,
  outcome: 'dismissed' | 'struck',
  now: Date,
): Promise<boolean> {
  const flag = await trx
    .selectFrom('petition_flags')
    .selectAll()
    .where('id', '=', flagId)
    .where('reviewed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!flag) return false;
  await trx
    .selectFrom('petitions')
    .select('id')
    .where('id', '=', flag.petition_id)
    .forUpdate()
    .execute();
  let struck = 0;
  if (outcome === 'struck') {
    const rows = await trx
      .updateTable('petition_signatures')
      .set({ struck_at: now })
      .where('petition_id', '=', flag.petition_id)
      .where('ip_address', '=', flag.ip_address)
      .where('struck_at', 'is', null)
      .returning(['confirmed_at'])
      .execute();
    struck = rows.filter((r) => r.confirmed_at !== null).length;
    if (struck > 0)
      await trx
        .updateTable('petitions')
        .set((eb) => ({ signature_count: eb('signature_count', '-', struck) }))
        .where('id', '=', flag.petition_id)
        .execute();
  }
  await trx
    .updateTable('petition_flags')
    .set({ reviewed_at: now, reviewed_by: actor.userId, outcome })
    .where('id', '=', flagId)
    .execute();
  await recordAudit(trx, actor, {
    action: 'petition.flag-reviewed',
    resourceType: 'petition',
    resourceId: flag.petition_id,
    subjectUserId: null,
    details: { flagId, outcome, struck },
  });
  return true;
}

/**
 * Tells every confirmed, counted signer who asked that the body has responded: one e-mail per
 * signature (the outbox drops a repeat), handled by the `petitions.response-published` topic.
 */
export async function tellSignersOfResponse(
  trx: Db,
  petitionId: string,
  baseUrl: string,
): Promise<number> {
  const petition = await trx
    .selectFrom('petitions')
    .select(['id', 'title'])
    .where('id', '=', petitionId)
    .executeTakeFirst();
  if (!petition) return 0;
  const signers = await trx
    .selectFrom('petition_signatures')
    .select(['id', 'name', 'email', 'language'])
    .where('petition_id', '=', petitionId)
    .where('notify', '=', true)
    .where('confirmed_at', 'is not', null)
    .where('struck_at', 'is', null)
    .execute();
  for (const signer of signers)
    await queuePetitionMail(
      trx,
      'response',
      signer.email,
      signer.language,
      { name: signer.name, title: petition.title, link: link(baseUrl, `/petitions/${petitionId}`) },
      `petitions.mail.response:${signer.id}`,
    );
  return signers.length;
}
