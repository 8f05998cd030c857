/**
 * The contact log: every enquiry an adviser handles (channel, reason from a list, outcome, time
 * taken), linked to the customer and any application or case, and the call-backs promised,
 * which go into the contact centre's queue.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { parseDateParts } from '../../../platform/validation/validators.js';
import { parseReference } from '../../submissions/index.js';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_REASONS,
  type ContactChannel,
} from '../db/tables.js';
import type { Adviser } from '../policies/desk.js';

export const MAX_NOTES = 1000;

/** The contact form as typed. */
export interface ContactInput {
  channel: string;
  reason: string;
  outcome: string;
  minutes: string;
  applicationReference: string;
  notes: string;
  callback: string;
  callbackDay: string;
  callbackMonth: string;
  callbackYear: string;
  callbackTime: string;
  callbackPhone: string;
}

export interface CheckedContact {
  channel: ContactChannel;
  reason: string;
  outcome: string;
  minutes: number;
  applicationReference: string | null;
  notes: string;
  callback: { dueAt: Date; phone: string } | null;
}

/** A London wall-clock date and time ("2026-11-27", "14:30") as an instant. */
function londonInstant(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const shown = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(guess);
  const [h, m] = shown.split(':').map(Number) as [number, number];
  const offsetMinutes = h * 60 + m - (guess.getUTCHours() * 60 + guess.getUTCMinutes());
  return new Date(guess.getTime() - (((offsetMinutes + 720) % 1440) - 720) * 60_000);
}

/**
 * The form's answers, checked: a channel, reason and outcome from the lists, whole minutes
 * (1–600), an application reference in the right form if given, and for a call-back a future
 * date, a time and a number to call.
 */
export function readContact(
  input: ContactInput,
  now = new Date(),
): Outcome<{ contact: CheckedContact }> {
  const errors: FieldError[] = [];
  const channel = CONTACT_CHANNELS.find((c) => c === input.channel);
  if (!channel) errors.push({ field: 'channel', message: 'crm.contact.error.channel' });
  if (!(CONTACT_REASONS as readonly string[]).includes(input.reason))
    errors.push({ field: 'reason', message: 'crm.contact.error.reason' });
  if (!(CONTACT_OUTCOMES as readonly string[]).includes(input.outcome))
    errors.push({ field: 'outcome', message: 'crm.contact.error.outcome' });
  const minutes = /^\d{1,3}$/.test(input.minutes) ? Number(input.minutes) : NaN;
  if (!(minutes >= 1 && minutes <= 600))
    errors.push({ field: 'minutes', message: 'crm.contact.error.minutes' });
  let applicationReference: string | null = null;
  if (input.applicationReference) {
    applicationReference = parseReference(input.applicationReference) ?? null;
    if (!applicationReference)
      errors.push({ field: 'applicationReference', message: 'crm.contact.error.reference' });
  }
  if (input.notes.length > MAX_NOTES)
    errors.push({ field: 'notes', message: 'crm.contact.error.notes' });
  let callback: CheckedContact['callback'] = null;
  if (input.callback === 'yes') {
    const date = parseDateParts(input.callbackDay, input.callbackMonth, input.callbackYear);
    const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(input.callbackTime);
    if (!('date' in date))
      errors.push({ field: 'callbackDay', message: 'crm.contact.error.callbackDate' });
    else if (!time)
      errors.push({ field: 'callbackTime', message: 'crm.contact.error.callbackTime' });
    else {
      const dueAt = londonInstant(date.date, `${time[1]!.padStart(2, '0')}:${time[2]}`);
      if (dueAt <= now)
        errors.push({ field: 'callbackDay', message: 'crm.contact.error.callbackPast' });
      else callback = { dueAt, phone: input.callbackPhone };
    }
    if (!/^\+?[\d\s()-]{7,30}$/.test(input.callbackPhone))
      errors.push({ field: 'callbackPhone', message: 'crm.contact.error.callbackPhone' });
  }
  if (errors.length || !channel) return { ok: false, errors };
  return {
    ok: true,
    contact: {
      channel,
      reason: input.reason,
      outcome: input.outcome,
      minutes,
      applicationReference,
      notes: input.notes,
      callback,
    },
  };
}

/** Logs the contact (and its call-back) for the adviser's contact centre; audited. */
export async function logContact(
  trx: Db,
  adviser: Adviser,
  actor: Actor,
  customerId: string,
  contact: CheckedContact,
): Promise<string> {
  const row = await trx
    .insertInto('crm_contacts')
    .values({
      contact_centre_id: adviser.organisationId,
      adviser_user_id: adviser.id,
      customer_user_id: customerId,
      channel: contact.channel,
      reason: contact.reason,
      outcome: contact.outcome,
      minutes: contact.minutes,
      application_reference: contact.applicationReference,
      notes: contact.notes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (contact.callback)
    await trx
      .insertInto('crm_callbacks')
      .values({
        contact_id: row.id,
        contact_centre_id: adviser.organisationId,
        customer_user_id: customerId,
        due_at: contact.callback.dueAt,
        phone: contact.callback.phone,
      })
      .execute();
  await recordAudit(trx, actor, {
    action: 'crm.contact.logged',
    resourceType: 'crm_contact',
    resourceId: row.id,
    subjectUserId: customerId,
    details: {
      channel: contact.channel,
      reason: contact.reason,
      outcome: contact.outcome,
      minutes: contact.minutes,
      reference: contact.applicationReference,
      callback: contact.callback?.dueAt.toISOString() ?? null,
    },
  });
  return row.id;
}

/** Marks a call-back of the adviser's contact centre done; false if it is not theirs or not open. */
export async function completeCallback(
  trx: Db,
  adviser: Adviser,
  actor: Actor,
  callbackId: string,
): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(callbackId)) return false;
  const done = await trx
    .updateTable('crm_callbacks')
    .set({ status: 'done', done_by: adviser.id, done_at: new Date() })
    .where('id', '=', callbackId)
    .where('contact_centre_id', '=', adviser.organisationId)
    .where('status', '=', 'open')
    .returning(['id', 'customer_user_id'])
    .executeTakeFirst();
  if (!done) return false;
  await recordAudit(trx, actor, {
    action: 'crm.callback.done',
    resourceType: 'crm_callback',
    resourceId: done.id,
    subjectUserId: done.customer_user_id,
  });
  return true;
}
