/**
 * Records of every kind retention handles, written straight into a test database with the
 * clock start a test needs (tests may use any module's tables).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';

type Db = Kysely<Database>;
const code = (length: number) =>
  Array.from(randomBytes(length), (b) => '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'[b % 32]).join('');

/** The seeded demo body's id by slug. */
export async function organisationId(db: Db, slug: string): Promise<string> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A citizen account; returns its id. */
export async function aPerson(db: Db, email = `p-${randomUUID()}@example.com`): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      email,
      password_hash: 'x',
      display_name: 'Pat Person',
      kind: 'citizen',
      organisation_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function aService(db: Db, organisation: string): Promise<string> {
  const existing = await db
    .selectFrom('services')
    .select('id')
    .where('organisation_id', '=', organisation)
    .executeTakeFirst();
  if (existing) return existing.id;
  const slug = `svc-${code(6).toLowerCase()}`;
  const row = await db
    .insertInto('services')
    .values({
      slug,
      organisation_id: organisation,
      title: 'A service',
      title_cy: 'Gwasanaeth',
      summary: 's',
      summary_cy: 's',
      body: 'b',
      body_cy: 'b',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A decided application (its last change at `decidedAt`) with an event and an attachment. */
export async function aSubmission(
  db: Db,
  organisation: string,
  person: string | null,
  decidedAt: Date,
): Promise<{ id: string; reference: string; attachmentId: string; storageKey: string }> {
  const reference = `JU-${code(4)}-${code(4)}`;
  const submission = await db
    .insertInto('submissions')
    .values({
      reference,
      service_id: await aService(db, organisation),
      organisation_id: organisation,
      applicant_user_id: person,
      submitted_by_user_id: person,
      answers: JSON.stringify({
        values: { name: 'Pat Person', address: '1 High Street' },
        summary: { en: [{ question: 'Name', answer: 'Pat Person' }], cy: [] },
      }),
      applicant: JSON.stringify({ name: 'Pat Person', email: 'pat@example.com' }),
      on_behalf_of: JSON.stringify({ consentReference: 'C-1', name: 'Pat Person' }),
      status: 'approved',
      channel: 'web',
      form_version: 3,
      submitted_at: new Date(decidedAt.getTime() - 86_400_000),
      updated_at: decidedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('submission_events')
    .values({
      submission_id: submission.id,
      status: 'approved',
      details: JSON.stringify({ reason: 'Pat lives at 1 High Street' }),
      actor_user_id: person,
      actor_organisation_id: organisation,
    })
    .execute();
  const attachment = await db
    .insertInto('attachments')
    .values({
      storage_key: randomBytes(16).toString('hex'),
      owner_user_id: person,
      filename: 'passport.pdf',
      content_type: 'application/pdf',
      size_bytes: 10,
      sha256: '0'.repeat(64),
      submission_id: submission.id,
      organisation_id: organisation,
      linked_at: decidedAt,
    })
    .returning(['id', 'storage_key'])
    .executeTakeFirstOrThrow();
  return {
    id: submission.id,
    reference,
    attachmentId: attachment.id,
    storageKey: attachment.storage_key,
  };
}

/** A closed case (closed at `closedAt`) with an event, a note, a question and a referral. */
export async function aCase(
  db: Db,
  organisation: string,
  person: string | null,
  closedAt: Date,
  referTo: string,
  /** Its application's reference; a new one when absent. */
  caseReference?: string,
): Promise<{ id: string; reference: string }> {
  const workflow = await db
    .insertInto('workflow_versions')
    .values({
      organisation_id: null,
      key: `wf-${code(6).toLowerCase()}`,
      version: 1,
      definition: JSON.stringify({}),
      status: 'published',
      created_by: null,
      published_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reference = caseReference ?? `JU-${code(4)}-${code(4)}`;
  const row = await db
    .insertInto('cases')
    .values({
      reference,
      organisation_id: organisation,
      service_id: await aService(db, organisation),
      submission_id: null,
      source: 'submission',
      applicant_user_id: person,
      applicant_name: 'Pat Person',
      workflow_id: workflow.id,
      state: 'closed',
      due_at: null,
      paused_at: null,
      escalated_at: null,
      assigned_to: null,
      closed_at: closedAt,
      location: JSON.stringify({ address: '1 High Street', postcode: 'GL5 1AA' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('case_events')
    .values({
      case_id: row.id,
      kind: 'message',
      action: null,
      from_state: null,
      to_state: null,
      actor_user_id: null,
      actor_organisation_id: organisation,
      comment: 'Dear Pat, we have decided',
      documents: JSON.stringify([randomUUID()]),
      details: JSON.stringify({ note: 'personal' }),
    })
    .execute();
  await db
    .insertInto('case_notes')
    .values({ case_id: row.id, author_user_id: null, body: 'Pat was upset' })
    .execute();
  await db
    .insertInto('information_requests')
    .values({
      case_id: row.id,
      asked_by_user_id: null,
      question: 'What is your income, Pat?',
      pauses_clock: false,
      answer: '£12,000',
      answered_at: closedAt,
      attachment_ids: JSON.stringify([randomUUID()]),
    })
    .execute();
  await db
    .insertInto('case_referrals')
    .values({
      case_id: row.id,
      from_organisation_id: organisation,
      to_organisation_id: referTo,
      kind: 'share',
      shared_parts: ['answers'],
      reason: 'Pat needs help with rent',
      consent: JSON.stringify({
        how: 'phone',
        recordedBy: 'x',
        recordedAt: closedAt.toISOString(),
        note: 'Pat said yes',
      }),
      status: 'declined',
      response: 'Not ours, Pat',
    })
    .execute();
  return { id: row.id, reference };
}

/** A message a body sent to the person at `sentAt`, with a reply. */
export async function aMessage(
  db: Db,
  organisation: string,
  person: string,
  sentAt: Date,
  /** The application it is about, if any. */
  submissionReference: string | null = null,
): Promise<string> {
  const row = await db
    .insertInto('inbox_messages')
    .values({
      organisation_id: organisation,
      recipient_user_id: person,
      subject: 'Your council tax',
      body: 'Dear Pat',
      sent_at: sentAt,
      submission_reference: submissionReference,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('inbox_replies')
    .values({ message_id: row.id, author_user_id: person, body: 'Thanks' })
    .execute();
  return row.id;
}

/** A finished card payment (last changed at `finishedAt`) paid by `email`. */
export async function aPayment(
  db: Db,
  organisation: string,
  email: string,
  finishedAt: Date,
): Promise<{ id: string; reference: string }> {
  const reference = `PAY-${code(6)}`;
  const row = await db
    .insertInto('payments')
    .values({
      external_id: `ext${code(20).toLowerCase()}`,
      organisation_id: organisation,
      api_key_id: null,
      amount: 2500,
      description: 'Parking permit',
      reference,
      return_url: 'https://service.example/return',
      language: 'en',
      email,
      metadata: JSON.stringify({ permit: 'P-1' }),
      status: 'success',
      state_code: null,
      gateway: 'sandbox',
      gateway_transaction_id: `gw-${code(8)}`,
      gateway_unknown_since: null,
      card_last_four: '4242',
      card_brand: 'visa',
      cardholder_name: 'PAT PERSON',
      card_expiry: '12/30',
      next_url_used_at: null,
      idempotency_key: null,
      idempotency_digest: null,
      purpose_kind: null,
      purpose_id: null,
      next_url_sha256: null,
      created_at: finishedAt,
      updated_at: finishedAt,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, reference };
}

/** A confirmed booking of a new resource that ended at `endedAt`. */
export async function aBooking(
  db: Db,
  organisation: string,
  person: string,
  email: string,
  endedAt: Date,
): Promise<{ id: string; reference: string }> {
  const resource = await db
    .insertInto('booking_resources')
    .values({
      organisation_id: organisation,
      slug: `hall-${code(6).toLowerCase()}`,
      kind: 'venue',
      name: 'Hall',
      slot_minutes: 60,
      capacity: 1,
      price_pence: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const startsAt = new Date(endedAt.getTime() - 3_600_000);
  await db
    .insertInto('booking_slots')
    .values({ resource_id: resource.id, starts_at: startsAt, capacity: 1, taken: 1 })
    .execute();
  const reference = `BK-${code(8)}`;
  const row = await db
    .insertInto('bookings')
    .values({
      reference,
      resource_id: resource.id,
      organisation_id: organisation,
      user_id: person,
      person_name: 'Pat Person',
      email,
      language: 'en',
      starts_at: startsAt,
      ends_at: endedAt,
      amount: 0,
      status: 'confirmed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, reference };
}

/** The body's Notify service and an e-mail template of it, made the first time they are asked for. */
async function aNotifyTemplate(
  db: Db,
  organisation: string,
): Promise<{ service: string; template: string }> {
  const service =
    (
      await db
        .selectFrom('notify_services')
        .select('id')
        .where('organisation_id', '=', organisation)
        .executeTakeFirst()
    )?.id ??
    (
      await db
        .insertInto('notify_services')
        .values({ organisation_id: organisation, name: 'A body' } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const template = await db
    .insertInto('notify_templates')
    .values({
      service_id: service,
      type: 'email',
      name: 'Reminder',
      subject: 'Hi',
      body: 'Hello',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('notify_template_versions')
    .values({
      template_id: template.id,
      version: 1,
      name: 'Reminder',
      subject: 'Hi',
      body: 'Hello',
    } as never)
    .execute();
  return { service, template: template.id };
}

/** An e-mail the body sent through its Notify service at `sentAt` to `recipient`. */
export async function aNotification(
  db: Db,
  organisation: string,
  sentAt: Date,
  options: { recipient?: string; status?: string; reference?: string | null } = {},
): Promise<string> {
  const { service, template } = await aNotifyTemplate(db, organisation);
  const id = randomUUID();
  await db
    .insertInto('notify_notifications')
    .values({
      id,
      service_id: service,
      api_key_id: null,
      key_type: 'normal',
      type: 'email',
      template_id: template,
      template_version: 1,
      recipient: options.recipient ?? 'pat@example.com',
      reference: options.reference ?? null,
      subject: 'Hi',
      body: 'Hello Pat',
      status: options.status ?? 'delivered',
      created_at: sentAt,
      completed_at: sentAt,
    } as never)
    .execute();
  return id;
}

/**
 * A check the requesting body made with the answering body about the person: answered at
 * `endedAt` (or, `status: 'sent'`, left unanswered until its time ran out then).
 */
export async function anEvidenceRequest(
  db: Db,
  requesting: string,
  answering: string,
  person: string | null,
  endedAt: Date,
  status: 'answered' | 'sent' = 'answered',
): Promise<string> {
  const type = await db
    .insertInto('evidence_types')
    .values({
      organisation_id: answering,
      code: `check-${code(8).toLowerCase()}`,
      name: 'Pension Credit',
      name_cy: 'Credyd Pensiwn',
      wording: JSON.stringify({ en: {}, cy: {} }),
      subject_kind: 'person',
      answer_kind: 'yes-no',
      consent_needed: false,
      sla_seconds: 60,
      answered_by: 'table',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('evidence_requests')
    .values({
      type_id: type.id,
      answering_organisation_id: answering,
      requesting_organisation_id: requesting,
      user_id: person,
      journey_key: 'free-school-meals:benefit',
      subject: JSON.stringify({ nino: 'QQ123456C', dateOfBirth: '1950-01-01' }),
      subject_key: 'QQ123456C',
      subject_digest: 'd'.repeat(64),
      consent: 'not-needed',
      status,
      due_at: endedAt,
      answer: status === 'answered' ? JSON.stringify(true) : null,
      answered_at: status === 'answered' ? endedAt : null,
      signature: status === 'answered' ? 'signed' : null,
      created_at: new Date(endedAt.getTime() - 60_000),
      updated_at: endedAt,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A contact centre adviser's check of the customer's identity at `checkedAt`. */
export async function anIdentityCheck(
  db: Db,
  centre: string,
  adviser: string,
  customer: string,
  checkedAt: Date,
): Promise<string> {
  const row = await db
    .insertInto('crm_identity_checks')
    .values({
      adviser_user_id: adviser,
      contact_centre_id: centre,
      customer_user_id: customer,
      results: JSON.stringify([{ question: 'postcode', right: true }]),
      passed: true,
      reason: 'payment',
      checked_at: checkedAt,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The person's subject access request to the body, answered at `respondedAt` (null: not yet). */
export async function aSubjectAccessRequest(
  db: Db,
  organisation: string,
  person: string,
  respondedAt: Date | null,
): Promise<{ id: string; reference: string }> {
  const reference = `SAR-${code(4)}-${code(4)}`;
  const received = new Date((respondedAt ?? new Date()).getTime() - 20 * 86_400_000);
  const day = received.toISOString().slice(0, 10);
  const row = await db
    .insertInto('subject_access_requests')
    .values({
      request_group: randomUUID(),
      reference,
      user_id: person,
      organisation_id: organisation,
      details: 'Letters about my council tax',
      received_at: received,
      received_on: day,
      due_on: day,
      status: respondedAt ? 'responded' : 'received',
      response_note: respondedAt ? 'Sent by post' : null,
      responded_at: respondedAt,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, reference };
}
