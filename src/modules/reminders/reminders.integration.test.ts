import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen, CITIZEN_PASSWORD } from '../../../test/helpers/citizens.js';
import { ukToday } from '../../platform/validation/validators.js';
import { handleReminderDue } from './commands/deliver.js';
import { addDays, londonInstant, weekdayOf } from './schedule.js';

const SERVICE = 'pay-council-tax-stroud';
const BINS = 'garden-waste-subscription-stroud';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

/** A date `days` from today in the UK, as the date input's three boxes. */
function boxes(prefix: string, days: number): Record<string, string> {
  const [year, month, day] = addDays(ukToday(), days).split('-');
  return {
    [`${prefix}-day`]: String(Number(day)),
    [`${prefix}-month`]: String(Number(month)),
    [`${prefix}-year`]: year!,
  };
}

/** Sets up a reminder through the form; returns the new reminder's id. */
async function subscribe(
  visitor: Visitor,
  fields: Record<string, string>,
  service = SERVICE,
): Promise<string> {
  await visitor.get(`/reminders/new?service=${service}`);
  const before = new Date();
  const response = await visitor.post('/reminders/new', {
    service,
    channel: 'email',
    ...fields,
  });
  expect(response.status, response.html).toBe(303);
  expect(response.headers.get('location')).toBe('/reminders?done=created');
  const row = await db()
    .selectFrom('reminders')
    .select('id')
    .where('created_at', '>=', new Date(before.getTime() - 1000))
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function dueMessages(reminderId: string) {
  return db()
    .selectFrom('outbox')
    .select(['payload', 'available_at', 'idempotency_key', 'status'])
    .where('topic', '=', 'reminder.due')
    .where(sql<string>`payload->>'reminderId'`, '=', reminderId)
    .orderBy('id')
    .execute();
}

/** The fake clock: makes the reminder's waiting message due now, then drains the outbox. */
async function comeDue(reminderId: string): Promise<void> {
  await db()
    .updateTable('outbox')
    .set({ available_at: sql`now()` })
    .where('topic', '=', 'reminder.due')
    .where('status', '=', 'pending')
    .where(sql<string>`payload->>'reminderId'`, '=', reminderId)
    .execute();
  await app.platform.worker.drain();
}

async function sentFor(reminderId: string) {
  return db()
    .selectFrom('outbox')
    .select(['topic', 'payload', 'idempotency_key', 'status'])
    .where('idempotency_key', 'like', `reminder-message:${reminderId}:%`)
    .orderBy('id')
    .execute();
}

async function audited(reminderId: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('audit_log')
    .select('action')
    .where('resource_type', '=', 'reminder')
    .where('resource_id', '=', reminderId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

describe('setting up reminders', () => {
  it('sends someone who is not signed in to sign in first', async () => {
    const response = await new Visitor(app.baseUrl).get(`/reminders/new?service=${SERVICE}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('/sign-in?returnTo=');
  });

  it('shows every kind of reminder with all its fields, and offers text only with a confirmed mobile', async () => {
    const { visitor } = await aSignedInCitizen(app);
    const page = await visitor.get(`/reminders/new?service=${SERVICE}`);
    expect(page.status).toBe(200);
    for (const name of [
      'date-day',
      'daysBefore',
      'dayOfMonth',
      'startMonth-month',
      'instalments',
      'firstDate-day',
      'everyWeeks',
    ])
      expect(page.html).toContain(`name="${name}"`);
    expect(page.html).toContain('data-aria-controls="conditional-kind"');
    expect(page.html).not.toContain('value="sms"');
    expect(page.html).toContain('<input type="hidden" name="channel" value="email">');

    const texter = await aSignedInCitizen(app, { phone: '+447700900123' });
    const withPhone = await texter.visitor.get(`/reminders/new?service=${SERVICE}`);
    expect(withPhone.html).toContain('value="sms"');
    expect(withPhone.html).toContain('+447700900123');
  });

  it('gives 404 for a service that does not exist', async () => {
    const { visitor } = await aSignedInCitizen(app);
    expect((await visitor.get('/reminders/new?service=no-such-service')).status).toBe(404);
    expect((await visitor.get('/reminders/new')).status).toBe(404);
  });

  it('shows what is wrong with the GOV.UK error summary, keeping what was typed', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    await visitor.get(`/reminders/new?service=${SERVICE}`);
    const none = await visitor.post('/reminders/new', { service: SERVICE, channel: 'email' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('govuk-error-summary');
    expect(none.html).toContain('href="#kind"');
    expect(none.html).toContain('Select what you want to be reminded about');

    const past = await visitor.post('/reminders/new', {
      service: SERVICE,
      channel: 'email',
      kind: 'date',
      ...boxes('date', -1),
      daysBefore: '0',
    });
    expect(past.status).toBe(400);
    expect(past.html).toContain('The date must be today or in the future');
    expect(past.html).toContain('href="#date-day"');

    const impossible = await visitor.post('/reminders/new', {
      service: SERVICE,
      channel: 'email',
      kind: 'weekly',
      'firstDate-day': '31',
      'firstDate-month': '2',
      'firstDate-year': String(new Date().getUTCFullYear() + 1),
      everyWeeks: '2',
    });
    expect(impossible.status).toBe(400);
    expect(impossible.html).toContain('The date of the next collection must be a real date');
    expect(impossible.html).toMatch(/name="firstDate-day"[^>]*value="31"/);
    expect(impossible.html).toMatch(/value="2" checked/);

    const text = await visitor.post('/reminders/new', {
      service: SERVICE,
      channel: 'sms',
      kind: 'weekly',
      ...boxes('firstDate', 3),
      everyWeeks: '1',
    });
    expect(text.status).toBe(400);
    expect(text.html).toContain('Select how you want to get reminders');
    expect(
      await db().selectFrom('reminders').select('id').where('user_id', '=', userId).execute(),
    ).toEqual([]);
  });

  it('sets up a date reminder, scheduled in the outbox for 8am London time the chosen days before', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    const id = await subscribe(visitor, { kind: 'date', ...boxes('date', 40), daysBefore: '14' });
    const expected = londonInstant(addDays(ukToday(), 26), 8);

    const [message, ...others] = await dueMessages(id);
    expect(others).toEqual([]);
    expect(message!.available_at.toISOString()).toBe(expected.toISOString());
    expect(message!.idempotency_key).toBe(`reminder:${id}:${expected.toISOString()}`);
    expect(message!.payload).toMatchObject({ reminderId: id, dueAt: expected.toISOString() });
    expect(await audited(id)).toEqual(['reminder.created']);

    const list = await visitor.get('/reminders?done=created');
    expect(list.html).toContain('Your reminders are set up.');
    expect(list.html).toContain('Pay your Council Tax');
    expect(list.html).toContain('14 days before');
    expect(
      (
        await db()
          .selectFrom('reminders')
          .select('user_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).user_id,
    ).toBe(userId);
  });

  it('sets up a monthly series from next month, the first reminder at 8am on its day', async () => {
    const { visitor } = await aSignedInCitizen(app);
    const [year, month] = addDays(ukToday(), 40).split('-');
    const id = await subscribe(visitor, {
      kind: 'monthly',
      dayOfMonth: '15',
      'startMonth-month': String(Number(month)),
      'startMonth-year': year!,
      instalments: '10',
    });
    const [message] = await dueMessages(id);
    expect(message!.available_at.toISOString()).toBe(
      londonInstant(`${year}-${month}-15`, 8).toISOString(),
    );
    expect((await visitor.get('/reminders')).html).toContain(
      'On day 15 of each month, 10 months from',
    );
  });

  it('sets up a fortnightly collection reminder for 6pm the evening before, described in English and Welsh', async () => {
    const { visitor } = await aSignedInCitizen(app);
    const first = addDays(ukToday(), 5);
    const id = await subscribe(visitor, {
      kind: 'weekly',
      ...boxes('firstDate', 5),
      everyWeeks: '2',
    });
    const [message] = await dueMessages(id);
    expect(message!.available_at.toISOString()).toBe(
      londonInstant(addDays(first, -1), 18).toISOString(),
    );
    const weekday = weekdayOf(first);
    expect((await visitor.get('/reminders')).html).toContain(`Every other ${WEEKDAYS[weekday]}`);
    const cy = ['Sul', 'Llun', 'Mawrth', 'Mercher', 'Iau', 'Gwener', 'Sadwrn'][weekday];
    expect((await visitor.get('/reminders?lang=cy')).html).toContain(`Bob yn ail ddydd ${cy}`);
  });
});

describe('stopping a reminder from the list', () => {
  it('stops my own reminder, with an audit entry, and a 404 for anyone else', async () => {
    const owner = await aSignedInCitizen(app);
    const other = await aSignedInCitizen(app);
    const id = await subscribe(owner.visitor, {
      kind: 'weekly',
      ...boxes('firstDate', 2),
      everyWeeks: '1',
    });

    await other.visitor.get('/reminders');
    const refused = await other.visitor.post(`/reminders/${id}/cancel`, {});
    expect(refused.status).toBe(404);
    const still = await db()
      .selectFrom('reminders')
      .select('cancelled_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(still.cancelled_at).toBeNull();
    expect((await other.visitor.post('/reminders/not-a-uuid/cancel', {})).status).toBe(404);

    const list = await owner.visitor.get('/reminders');
    expect(list.html).toContain(`action="/reminders/${id}/cancel"`);
    const cancelled = await owner.visitor.post(`/reminders/${id}/cancel`, {});
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get('location')).toBe('/reminders?done=cancelled');
    const after = await owner.visitor.get('/reminders?done=cancelled');
    expect(after.html).toContain('You will not get that reminder any more.');
    expect(after.html).not.toContain(`/reminders/${id}/cancel`);
    expect(await audited(id)).toEqual(['reminder.created', 'reminder.cancelled']);
  });

  it('does not send a reminder that was stopped before it came due', async () => {
    const { visitor } = await aSignedInCitizen(app);
    const id = await subscribe(visitor, { kind: 'date', ...boxes('date', 10), daysBefore: '1' });
    await visitor.get('/reminders');
    await visitor.post(`/reminders/${id}/cancel`, {});
    await comeDue(id);
    expect(await sentFor(id)).toEqual([]);
    const [message, ...more] = await dueMessages(id);
    expect(message!.status).toBe('done');
    expect(more).toEqual([]);
  });
});

describe('sending a reminder when it comes due', () => {
  it('e-mails it with the unsubscribe link and RFC 8058 headers, then schedules the next one', async () => {
    const { visitor, email } = await aSignedInCitizen(app);
    const first = addDays(ukToday(), 3);
    const id = await subscribe(
      visitor,
      { kind: 'weekly', ...boxes('firstDate', 3), everyWeeks: '1' },
      BINS,
    );
    await comeDue(id);

    const [mail, ...more] = await sentFor(id);
    expect(more).toEqual([]);
    expect(mail!.topic).toBe('mail.send');
    expect(mail!.status).toBe('done');
    const payload = mail!.payload as { to: string; subject: string; text: string };
    expect(payload.to).toBe(email);
    expect(payload.subject).toBe('Reminder: Subscribe to garden waste collections');
    expect(payload.text).toContain('Put your bin out this evening.');
    const link = /(http\S+\/reminders\/unsubscribe\/[\w-]{43})/.exec(payload.text)?.[1];
    expect(link).toBeDefined();

    // The headers travel with the message; the platform mailer writes them (see mail-headers.test.ts).
    expect((mail!.payload as { headers: unknown }).headers).toEqual({
      'List-Unsubscribe': `<${link}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });

    const reminder = await db()
      .selectFrom('reminders')
      .select(['last_sent_at', 'next_due_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(reminder.last_sent_at).not.toBeNull();
    const next = londonInstant(addDays(first, 6), 18);
    expect(reminder.next_due_at?.toISOString()).toBe(next.toISOString());
    const messages = await dueMessages(id);
    // The first was made due early by the fake clock; the next waits for its own instant.
    expect(messages.map((m) => [m.status, m.idempotency_key])).toEqual([
      ['done', `reminder:${id}:${londonInstant(addDays(first, -1), 18).toISOString()}`],
      ['pending', `reminder:${id}:${next.toISOString()}`],
    ]);
    expect(messages[1]!.available_at.toISOString()).toBe(next.toISOString());
  });

  it('does nothing when the same due message comes again (a retry)', async () => {
    const { visitor } = await aSignedInCitizen(app);
    const id = await subscribe(visitor, { kind: 'date', ...boxes('date', 20), daysBefore: '7' });
    const [message] = await dueMessages(id);
    await comeDue(id);
    const again = await db()
      .transaction()
      .execute((trx) =>
        handleReminderDue(trx, { baseUrl: 'http://localhost' }, message!.payload as never),
      );
    expect(again).toBe('dropped');
    expect(await sentFor(id)).toHaveLength(1);
    // A one-off date has no next reminder.
    expect(await dueMessages(id)).toHaveLength(1);
  });

  it('texts it to the confirmed mobile number when text was chosen', async () => {
    const { visitor } = await aSignedInCitizen(app, { phone: '+447700900456' });
    const id = await subscribe(visitor, {
      kind: 'date',
      ...boxes('date', 9),
      daysBefore: '0',
      channel: 'sms',
    });
    await comeDue(id);
    const [text] = await sentFor(id);
    expect(text!.topic).toBe('sms.send');
    const payload = text!.payload as { to: string; text: string };
    expect(payload.to).toBe('+447700900456');
    expect(payload.text).toMatch(
      /To stop these reminders: http\S+\/reminders\/unsubscribe\/[\w-]{43}/,
    );
  });
});

describe('a reminder handled late or after a change', () => {
  it('skips a reminder whose day is over (the worker was down) and schedules the next after now', async () => {
    const { visitor } = await aSignedInCitizen(app);
    const first = addDays(ukToday(), 2);
    const id = await subscribe(
      visitor,
      { kind: 'weekly', ...boxes('firstDate', 2), everyWeeks: '1' },
      BINS,
    );
    const [message] = await dueMessages(id);
    // Handled three weeks later: three collections have gone by.
    const late = londonInstant(addDays(first, 20), 12);
    const outcome = await db()
      .transaction()
      .execute((trx) =>
        handleReminderDue(trx, { baseUrl: 'http://localhost' }, message!.payload as never, late),
      );
    expect(outcome).toBe('skipped');
    expect(await sentFor(id)).toEqual([]);
    const row = await db()
      .selectFrom('reminders')
      .select(['next_due_at', 'last_sent_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.last_sent_at).toBeNull();
    expect(row.next_due_at?.toISOString()).toBe(
      londonInstant(addDays(first, 20), 18).toISOString(),
    );
  });

  it('comes by e-mail when text was chosen but the mobile number is no longer confirmed', async () => {
    const { visitor, userId, email } = await aSignedInCitizen(app, { phone: '+447700900789' });
    const id = await subscribe(visitor, {
      kind: 'date',
      ...boxes('date', 12),
      daysBefore: '1',
      channel: 'sms',
    });
    await db()
      .updateTable('users')
      .set({ phone: null, phone_verified_at: null })
      .where('id', '=', userId)
      .execute();
    await comeDue(id);
    const [message] = await sentFor(id);
    expect(message!.topic).toBe('mail.send');
    expect((message!.payload as { to: string }).to).toBe(email);
  });
});

describe('one-click unsubscribe', () => {
  async function sentLink(): Promise<{ id: string; token: string }> {
    const { visitor } = await aSignedInCitizen(app);
    const id = await subscribe(visitor, {
      kind: 'weekly',
      ...boxes('firstDate', 4),
      everyWeeks: '2',
    });
    await comeDue(id);
    const [mail] = await sentFor(id);
    const token = /\/reminders\/unsubscribe\/([\w-]{43})/.exec(
      (mail!.payload as { text: string }).text,
    )![1]!;
    return { id, token };
  }

  it('asks first on GET, then stops the reminders on a POST from a browser', async () => {
    const { id, token } = await sentLink();
    const stranger = new Visitor(app.baseUrl);
    const page = await stranger.get(`/reminders/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Stop these reminders');
    expect(
      (
        await db()
          .selectFrom('reminders')
          .select('cancelled_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).cancelled_at,
    ).toBeNull();

    const stopped = await stranger.post(`/reminders/unsubscribe/${token}`, {});
    expect(stopped.status).toBe(200);
    expect(stopped.html).toContain('Reminders stopped');
    const row = await db()
      .selectFrom('reminders')
      .select(['cancelled_at', 'cancelled_via', 'next_due_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.cancelled_via).toBe('unsubscribe');
    expect(row.next_due_at).toBeNull();
    expect(await audited(id)).toEqual(['reminder.created', 'reminder.unsubscribed']);

    // The next reminder was already waiting in the outbox: it is dropped, not sent.
    await comeDue(id);
    expect(await sentFor(id)).toHaveLength(1);

    const reused = await stranger.get(`/reminders/unsubscribe/${token}`);
    expect(reused.status).toBe(200);
    expect(reused.html).toContain('These reminders are already stopped');
  });

  it('takes an e-mail program’s one-click POST with no cookies and no CSRF token', async () => {
    const { id, token } = await sentLink();
    const url = `${app.baseUrl}/reminders/unsubscribe/${token}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect(
      (
        await db()
          .selectFrom('reminders')
          .select('cancelled_via')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).cancelled_via,
    ).toBe('unsubscribe');

    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const again = await fetch(url, { method: 'POST', body: form });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('These reminders are already stopped');
  });

  it('gives 404 for a token that was never issued, on GET and POST', async () => {
    const bad = 'A'.repeat(43);
    expect((await fetch(`${app.baseUrl}/reminders/unsubscribe/${bad}`)).status).toBe(404);
    expect(
      (await fetch(`${app.baseUrl}/reminders/unsubscribe/${bad}`, { method: 'POST' })).status,
    ).toBe(404);
    expect((await fetch(`${app.baseUrl}/reminders/unsubscribe/short`)).status).toBe(404);
  });

  it('still needs a CSRF token for the other reminder forms', async () => {
    const { visitor } = await aSignedInCitizen(app);
    await visitor.get(`/reminders/new?service=${SERVICE}`);
    const forged = await visitor.post(
      '/reminders/new',
      { service: SERVICE, kind: 'date' },
      'forged',
    );
    expect(forged.status).toBe(403);
  });
});

describe('a deleted account', () => {
  it('loses its reminders, and the waiting message is dropped', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    const id = await subscribe(visitor, {
      kind: 'weekly',
      ...boxes('firstDate', 6),
      everyWeeks: '1',
    });
    await visitor.get('/account/delete');
    const deleted = await visitor.post('/account/delete', { password: CITIZEN_PASSWORD });
    expect(deleted.status).toBe(303);
    expect(
      await db().selectFrom('reminders').select('id').where('user_id', '=', userId).execute(),
    ).toEqual([]);
    await comeDue(id);
    expect(await sentFor(id)).toEqual([]);
  });
});
