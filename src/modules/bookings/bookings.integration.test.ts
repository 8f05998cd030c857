import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { paymentSummary } from '../payments/index.js';
import { bookSlot } from './commands/bookings.js';
import { slotRules } from './queries/resources.js';
import { findSlot } from './slots.js';
import {
  auditActions,
  BIRTH,
  book,
  bookingIdOf,
  bookingRow,
  HALL,
  mailsFor,
  newPerson,
  openDay,
  PASSWORD,
  payWithCard,
  resourceId,
  slotTaken,
} from './test/helpers.js';

let app: TestApp;
let hallId: string;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  hallId = await resourceId(app, 'subscription-rooms-main-hall');
});
afterAll(async () => {
  await app?.close();
});

async function startOf(resource: string, day: string, time: string): Promise<Date> {
  return findSlot(await slotRules(db(), resource), day, time, new Date())!.start;
}

/** Books and pays for the hall at `time` on `day`; answers the booking's id. */
async function paidHallBooking(person: Visitor, day: string, time: string): Promise<string> {
  const posted = await book(person, HALL, day, time);
  expect(posted.status).toBe(303);
  const { returnUrl } = await payWithCard(person, posted.headers.get('location')!);
  const back = await person.get(returnUrl);
  expect(back.status).toBe(303);
  return bookingIdOf(returnUrl);
}

describe('booking and paying for the hall', () => {
  it('lists the bodies’ resources, offers days and free times, holds the place while paying, and confirms on return', async () => {
    const list = await new Visitor(app.baseUrl).get('/bookings');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Book a venue, pitch, course or appointment');
    expect(list.html).toContain(`href="${HALL}"`);
    expect(list.html).toContain('Register a birth appointment');

    const day = await openDay(app, 'subscription-rooms-main-hall', 4);
    const person = await newPerson(app, 'Hall Booker');
    const dayPage = await person.get(HALL);
    expect(dayPage.status).toBe(200);
    expect(dayPage.html).toContain(`value="${day}"`);
    const timePage = await person.get(`${HALL}/time?day=${day}`);
    expect(timePage.status).toBe(200);
    expect(timePage.html).toContain('value="10:00"');

    const posted = await book(person, HALL, day, '10:00');
    expect(posted.status).toBe(303);
    const nextUrl = posted.headers.get('location')!;
    expect(nextUrl).toMatch(/^\/pay\/[a-z0-9]{26}\./);
    const start = await startOf(hallId, day, '10:00');
    expect(await slotTaken(app, hallId, start)).toBe(1);
    const held = await db()
      .selectFrom('bookings')
      .selectAll()
      .where('resource_id', '=', hallId)
      .where('starts_at', '=', start)
      .executeTakeFirstOrThrow();
    expect(held).toMatchObject({
      status: 'awaiting-payment',
      amount: 2500,
      person_name: 'Hall Booker',
    });
    // Taken while awaiting payment: the time shows as fully booked to the next person.
    const other = await newPerson(app);
    const again = await other.get(`${HALL}/check?day=${day}&time=10:00`);
    expect(again.status).toBe(409);

    const { returnUrl } = await payWithCard(person, nextUrl);
    expect(returnUrl).toBe(`/bookings/${held.id}/paid`);
    // The return page settles from the payment's state before the outbox message is handled.
    const back = await person.get(returnUrl);
    expect(back.headers.get('location')).toBe(`/bookings/${held.id}`);
    const page = await person.get(`/bookings/${held.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Booking confirmed');
    expect(page.html).toContain(held.reference);
    expect((await bookingRow(app, held.id)).status).toBe('confirmed');
    expect(await mailsFor(app, held.id)).toHaveLength(1);

    // The outbox message comes after: nothing changes, no second e-mail.
    await app.platform.worker.drain();
    expect((await bookingRow(app, held.id)).status).toBe('confirmed');
    expect(await mailsFor(app, held.id)).toHaveLength(1);
    const mail = (await mailsFor(app, held.id))[0]!.payload as { to: string; text: string };
    expect(mail.text).toContain(`/bookings/${held.id}/calendar.ics`);
    expect(await auditActions(app, held.id)).toEqual(['booking.created', 'booking.confirmed']);

    const yours = await person.get('/bookings/yours');
    expect(yours.html).toContain(held.reference);
    // Another person's booking is not there for anyone else.
    expect((await other.get(`/bookings/${held.id}`)).status).toBe(404);
    expect((await other.get(`/bookings/${held.id}/calendar.ics`)).status).toBe(404);
  });

  it('gives a valid RFC 5545 calendar file: CRLF, UID, DTSTAMP, UTC start and end, escaped text', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 1);
    const person = await newPerson(app);
    const id = await paidHallBooking(person, day, '11:00');
    const response = await person.get(`/bookings/${id}/calendar.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = response.html;
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.filter((l) => l.startsWith(`UID:${id}@`))).toHaveLength(1);
    const start = await startOf(hallId, day, '11:00');
    const utc = (d: Date) =>
      d
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    expect(lines).toContain(`DTSTART:${utc(start)}`);
    expect(lines).toContain(`DTEND:${utc(new Date(start.getTime() + 3_600_000))}`);
    expect(lines.find((l) => l.startsWith('DTSTAMP:'))).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    // "George Street, Stroud" has commas: escaped in TEXT.
    expect(text).toContain('George Street\\, Stroud');
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('books a free appointment at once, with no payment', async () => {
    const day = await openDay(app, 'register-a-birth', 1);
    const person = await newPerson(app);
    const posted = await book(person, BIRTH, day, '09:30');
    expect(posted.status).toBe(303);
    const id = bookingIdOf(posted.headers.get('location')!);
    expect(await bookingRow(app, id)).toMatchObject({
      status: 'confirmed',
      amount: 0,
      payment_id: null,
    });
    expect(await mailsFor(app, id)).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('asks for a day, a real day, and a time from the list, and changes nothing', async () => {
    const person = await newPerson(app);
    const before = await db()
      .selectFrom('bookings')
      .select(db().fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const noDay = await person.get(`${HALL}/time`);
    expect(noDay.status).toBe(400);
    expect(noDay.html).toContain('govuk-error-summary');
    expect(noDay.html).toContain('Select the day you want');
    expect((await person.get(`${HALL}/time?day=2026-02-30`)).status).toBe(400);
    expect((await person.get(`${HALL}/time?day=1999-01-01`)).status).toBe(400);
    const day = await openDay(app, 'subscription-rooms-main-hall', 4);
    const noTime = await person.get(`${HALL}/check?day=${day}`);
    expect(noTime.status).toBe(400);
    expect(noTime.html).toContain('Select the time you want');
    expect((await person.get(`${HALL}/check?day=${day}&time=10:07`)).status).toBe(400);
    await person.get(`${HALL}/check?day=${day}&time=12:00`);
    const posted = await person.post(`${HALL}/check`, { day, time: '03:00' });
    expect(posted.status).toBe(400);
    expect(posted.html).toContain('Select a time from the list');
    const after = await db()
      .selectFrom('bookings')
      .select(db().fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await person.get('/book/stroud/no-such-thing')).status).toBe(404);
    expect((await person.get('/book/cheltenham/subscription-rooms-main-hall')).status).toBe(404);
  });

  it('sends someone signed out to sign in, and does not let staff book', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4);
    const anonymous = await new Visitor(app.baseUrl).get(`${HALL}/check?day=${day}&time=12:00`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
    const staff = new Visitor(app.baseUrl);
    await staff.signIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    expect((await staff.get(`${HALL}/check?day=${day}&time=12:00`)).status).toBe(404);
  });
});

describe('payment that does not finish', () => {
  it('gives the place back when the person cancels the payment, idempotently on both paths', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 2);
    const person = await newPerson(app);
    const posted = await book(person, HALL, day, '14:00');
    const nextUrl = posted.headers.get('location')!;
    const paymentId = /\/pay\/([a-z0-9]{26})\./.exec(nextUrl)![1]!;
    await person.get(nextUrl);
    await person.get(`/pay/card/${paymentId}`);
    const cancelled = await person.post(`/pay/cancel/${paymentId}`, {});
    const returnUrl = cancelled.headers.get('location')!;
    const id = bookingIdOf(returnUrl);
    await person.get(returnUrl);
    const row = await bookingRow(app, id);
    expect(row.status).toBe('payment-failed');
    expect(await slotTaken(app, hallId, row.starts_at)).toBe(0);
    await app.platform.worker.drain();
    expect((await bookingRow(app, id)).status).toBe('payment-failed');
    expect(await slotTaken(app, hallId, row.starts_at)).toBe(0);
    expect((await person.get(`/bookings/${id}`)).html).toContain('Your payment did not go through');
    // The time can be booked again.
    expect((await book(await newPerson(app), HALL, day, '14:00')).status).toBe(303);
  });
});

describe('the payment-finished message alone', () => {
  it('confirms a paid booking when the person never comes back from the payment pages', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 9);
    const person = await newPerson(app);
    const posted = await book(person, HALL, day, '12:00');
    const { returnUrl } = await payWithCard(person, posted.headers.get('location')!);
    const id = bookingIdOf(returnUrl);
    expect((await bookingRow(app, id)).status).toBe('awaiting-payment');
    await app.platform.worker.drain();
    expect((await bookingRow(app, id)).status).toBe('confirmed');
    expect(await mailsFor(app, id)).toHaveLength(1);
    // The late return visit finds nothing more to do.
    await person.get(returnUrl);
    expect(await mailsFor(app, id)).toHaveLength(1);
    expect(await auditActions(app, id)).toEqual(['booking.created', 'booking.confirmed']);
  });

  it('refunds in full a payment that succeeds after the person cancelled the booking', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 10);
    const person = await newPerson(app);
    const posted = await book(person, HALL, day, '13:00');
    const nextUrl = posted.headers.get('location')!;
    const paymentId = /\/pay\/([a-z0-9]{26})\./.exec(nextUrl)![1]!;
    const row = await db()
      .selectFrom('bookings')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .executeTakeFirstOrThrow();
    await person.get(`/bookings/${row.id}/cancel`);
    await person.post(`/bookings/${row.id}/cancel`, {});
    expect((await bookingRow(app, row.id)).status).toBe('cancelled');
    expect(await slotTaken(app, hallId, row.starts_at)).toBe(0);
    await payWithCard(person, nextUrl);
    await app.platform.worker.drain();
    expect(await bookingRow(app, row.id)).toMatchObject({
      status: 'cancelled',
      refunded_amount: 2500,
    });
    expect((await paymentSummary(db(), paymentId))!.refundable).toBe(0);
    await app.platform.worker.drain();
    expect((await bookingRow(app, row.id)).refunded_amount).toBe(2500);
  });
});

describe('deleting the account', () => {
  it('cancels bookings still to come with a full refund, and forgets the name and e-mail', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 11);
    const person = await newPerson(app, 'Leaving Person');
    const id = await paidHallBooking(person, day, '20:00');
    await person.get('/account/delete');
    const deleted = await person.post('/account/delete', { password: PASSWORD });
    expect(deleted.status).toBe(303);
    const row = await bookingRow(app, id);
    expect(row).toMatchObject({ status: 'cancelled', refunded_amount: 2500 });
    expect(row.person_name).toBe('Deleted account');
    expect(row.email).toMatch(/@invalid$/);
    expect(await slotTaken(app, hallId, row.starts_at)).toBe(0);
  });
});

describe('in Welsh', () => {
  it('lists and shows the resources in Welsh', async () => {
    const visitor = new Visitor(app.baseUrl);
    const list = await visitor.get('/bookings?lang=cy');
    expect(list.html).toContain('Archebu lleoliad, cae, cwrs neu apwyntiad');
    expect(list.html).toContain('Prif neuadd yr Subscription Rooms');
    const page = await visitor.get(HALL);
    expect(page.html).toContain('Pa ddiwrnod ydych chi ei eisiau?');
  });
});

describe('cancelling', () => {
  it('cancels within the rules with a full refund, and gives the place back', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 3);
    const person = await newPerson(app);
    const id = await paidHallBooking(person, day, '15:00');
    const confirm = await person.get(`/bookings/${id}/cancel`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('£25.00');
    const done = await person.post(`/bookings/${id}/cancel`, {});
    expect(done.headers.get('location')).toBe(`/bookings/${id}?done=cancelled`);
    const row = await bookingRow(app, id);
    expect(row).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'person',
      refunded_amount: 2500,
    });
    expect(row.refund_id).toMatch(/^[a-z0-9]{26}$/);
    expect((await paymentSummary(db(), row.payment_id!))!.refundable).toBe(0);
    expect(await slotTaken(app, hallId, row.starts_at)).toBe(0);
    expect(await auditActions(app, id)).toEqual([
      'booking.created',
      'booking.confirmed',
      'booking.cancelled',
      'booking.refunded',
    ]);
    const mails = await mailsFor(app, id);
    expect(mails.map((m) => m.idempotency_key)).toEqual([
      `bookings.mail.confirmed:${id}`,
      `bookings.mail.cancelled:${id}`,
    ]);
    expect((mails[1]!.payload as { text: string }).text).toContain('£25.00');
    // A second cancel changes nothing and refunds nothing more.
    expect((await person.post(`/bookings/${id}/cancel`, {})).status).toBe(409);
    expect((await bookingRow(app, id)).refunded_amount).toBe(2500);
  });

  it('refuses to cancel after the body’s cut-off', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 4);
    const person = await newPerson(app);
    const id = await paidHallBooking(person, day, '16:00');
    await db()
      .updateTable('booking_resources')
      .set({ cancel_hours_before: 8000 })
      .where('id', '=', hallId)
      .execute();
    try {
      const refused = await person.post(`/bookings/${id}/cancel`, {});
      expect(refused.status).toBe(409);
      expect(refused.html).toContain('can no longer be cancelled');
      expect((await bookingRow(app, id)).status).toBe('confirmed');
    } finally {
      await db()
        .updateTable('booking_resources')
        .set({ cancel_hours_before: 48 })
        .where('id', '=', hallId)
        .execute();
    }
  });
});

describe('the staff side', () => {
  it('shows the body’s staff the calendar, audits what they read, and lets them cancel with a refund', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 5);
    const person = await newPerson(app, 'Calendar Person');
    const id = await paidHallBooking(person, day, '17:00');
    const { reference } = await bookingRow(app, id);
    const staff = new Visitor(app.baseUrl);
    await staff.signIn('counter@stroud.example.gov.uk', 'demo-stroud-counter-adviser');
    const index = await staff.get('/staff/bookings');
    expect(index.status).toBe(200);
    expect(index.html).toContain('First aid course');
    expect(index.html).not.toContain('Register a birth');
    const dayView = await staff.get(`/staff/bookings?resource=${hallId}&day=${day}`);
    expect(dayView.status).toBe(200);
    expect(dayView.html).toContain(reference);
    expect(dayView.html).toContain('Calendar Person');
    const week = await staff.get(`/staff/bookings?resource=${hallId}&day=${day}&view=week`);
    expect(week.html).toContain(reference);
    const reads = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'booking.viewed-by-staff')
      .where('resource_id', '=', id)
      .execute();
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads[0]!.actor_role).toBe('staff');

    const detail = await staff.get(`/staff/bookings/${id}`);
    expect(detail.status).toBe(200);
    const cancelled = await staff.post(`/staff/bookings/${id}/cancel`, {});
    expect(cancelled.headers.get('location')).toBe(`/staff/bookings/${id}?done=cancelled`);
    expect(await bookingRow(app, id)).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'staff',
      refunded_amount: 2500,
    });
  });

  it('gives another body’s staff 404 for the calendar, a booking and its cancellation', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 6);
    const id = await paidHallBooking(await newPerson(app), day, '18:00');
    const other = new Visitor(app.baseUrl);
    await other.signIn('caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker');
    expect((await other.get(`/staff/bookings?resource=${hallId}`)).status).toBe(404);
    expect((await other.get(`/staff/bookings/${id}`)).status).toBe(404);
    await other.get('/staff/bookings');
    expect((await other.post(`/staff/bookings/${id}/cancel`, {})).status).toBe(404);
    expect((await other.get(`/staff/bookings/resources/${hallId}/blackouts`)).status).toBe(404);
    expect((await bookingRow(app, id)).status).toBe('confirmed');
    const citizen = await newPerson(app);
    expect((await citizen.get(`/staff/bookings/${id}`)).status).toBe(404);
  });

  it('closes a day to new bookings, refusing a bad date', async () => {
    const staff = new Visitor(app.baseUrl);
    await staff.signIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    const path = `/staff/bookings/resources/${hallId}/blackouts`;
    expect((await staff.get(path)).status).toBe(200);
    const bad = await staff.post(path, {
      'date-day': '31',
      'date-month': '2',
      'date-year': '2030',
      reason: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('The date must be a real date');
    await staff.get(path);
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 7);
    const [y, m, d] = day.split('-');
    const added = await staff.post(path, {
      'date-day': d!,
      'date-month': m!,
      'date-year': y!,
      reason: 'Election count',
    });
    expect(added.status).toBe(303);
    const person = await newPerson(app);
    expect((await person.get(`${HALL}/time?day=${day}`)).status).toBe(400);
    expect((await person.get(HALL)).html).not.toContain(`value="${day}"`);
  });
});

describe('no double booking', () => {
  it('takes exactly the course’s 12 places when 20 people book the last day at once', async () => {
    const courseId = await resourceId(app, 'first-aid-course');
    const day = await openDay(app, 'first-aid-course', 1);
    const users = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const row = await db()
          .insertInto('users')
          .values({
            email: `course-${i}-${Date.now()}@example.com`,
            password_hash: '!none',
            display_name: `Course ${i}`,
            kind: 'citizen',
            organisation_id: null,
          })
          .returning(['id', 'email', 'display_name'])
          .executeTakeFirstOrThrow();
        return row;
      }),
    );
    const outcomes = await Promise.all(
      users.map((user) =>
        db()
          .transaction()
          .execute((trx) =>
            bookSlot(
              trx,
              { userId: user.id, organisationId: null, role: 'citizen' },
              {
                resourceId: courseId,
                date: day,
                time: '09:30',
                user: { id: user.id, email: user.email, displayName: user.display_name },
                language: 'en',
              },
              app.baseUrl,
            ),
          ),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(12);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'full')).toHaveLength(8);
    const start = await startOf(courseId, day, '09:30');
    expect(await slotTaken(app, courseId, start)).toBe(12);
    const held = await db()
      .selectFrom('bookings')
      .select(db().fn.countAll().as('n'))
      .where('resource_id', '=', courseId)
      .where('starts_at', '=', start)
      .executeTakeFirstOrThrow();
    expect(Number(held.n)).toBe(12);
  });

  it('lets one of several people posting the same hall time at once have it', async () => {
    const day = await openDay(app, 'subscription-rooms-main-hall', 4, 8);
    const people = await Promise.all(Array.from({ length: 6 }, () => newPerson(app)));
    for (const person of people) await person.get(`${HALL}/check?day=${day}&time=19:00`);
    const responses = await Promise.all(
      people.map((person) => person.post(`${HALL}/check`, { day, time: '19:00' })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([303, 409, 409, 409, 409, 409]);
    expect(await slotTaken(app, hallId, await startOf(hallId, day, '19:00'))).toBe(1);
  });
});
