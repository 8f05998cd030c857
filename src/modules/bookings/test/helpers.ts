import { expect } from 'vitest';
import { Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { registerCitizen } from '../../identity/index.js';
import { slotRules } from '../queries/resources.js';
import { addDays, londonDate, openDays, weekdayOf } from '../slots.js';

export const HALL = '/book/stroud/subscription-rooms-main-hall';
export const BIRTH = '/book/gloucestershire/register-a-birth';
export const PASSWORD = 'a long booking test passphrase';

/** The resource's id from its slug. */
export async function resourceId(app: TestApp, slug: string): Promise<string> {
  return (
    await app.platform.database.db
      .selectFrom('booking_resources')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow()
  ).id;
}

/**
 * The `index`-th open day of a resource at least `fromDays` days ahead, Sundays left out (the
 * hall's Sunday hours are short, and the tests use evening times).
 */
export async function openDay(
  app: TestApp,
  slug: string,
  fromDays: number,
  index = 0,
): Promise<string> {
  const rules = await slotRules(app.platform.database.db, await resourceId(app, slug));
  const earliest = addDays(londonDate(new Date()), fromDays);
  const day = openDays(rules, new Date()).filter((d) => d >= earliest && weekdayOf(d) !== 0)[index];
  if (!day) throw new Error(`No open day for ${slug}`);
  return day;
}

let people = 0;

/** A new citizen, signed in, with a browser-like cookie jar. */
export async function newPerson(app: TestApp, name = 'Booking Tester'): Promise<Visitor> {
  const email = `booker-${process.pid}-${++people}-${Date.now()}@example.com`;
  const made = await registerCitizen(app.platform.database.db, {
    email,
    password: PASSWORD,
    displayName: name,
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, PASSWORD);
  return visitor;
}

/** Checks then confirms a booking of `time` on `day`: the POST's response. */
export async function book(visitor: Visitor, path: string, day: string, time: string) {
  const check = await visitor.get(`${path}/check?day=${day}&time=${time}`);
  expect(check.status).toBe(200);
  return visitor.post(`${path}/check`, { day, time });
}

/** Pays on the hosted pages with a sandbox card, answering where the person is sent back. */
export async function payWithCard(visitor: Visitor, nextUrl: string, cardNo = '4444333322221111') {
  const opened = await visitor.get(nextUrl);
  expect(opened.status).toBe(303);
  const card = await visitor.get(opened.headers.get('location')!);
  expect(card.status).toBe(200);
  const paymentId = /\/pay\/([a-z0-9]{26})\./.exec(nextUrl)![1]!;
  const submitted = await visitor.post(`/pay/card/${paymentId}`, {
    cardNo,
    expiryMonth: '12',
    expiryYear: '39',
    cardholderName: 'Sam Smith',
    cvc: '123',
  });
  expect(submitted.status).toBe(303);
  await visitor.get(submitted.headers.get('location')!);
  const confirmed = await visitor.post(`/pay/confirm/${paymentId}`, {});
  expect(confirmed.status).toBe(303);
  return { paymentId, returnUrl: confirmed.headers.get('location')! };
}

export async function bookingRow(app: TestApp, id: string) {
  return app.platform.database.db
    .selectFrom('bookings')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function slotTaken(app: TestApp, resource: string, startsAt: Date): Promise<number> {
  const row = await app.platform.database.db
    .selectFrom('booking_slots')
    .select('taken')
    .where('resource_id', '=', resource)
    .where('starts_at', '=', startsAt)
    .executeTakeFirst();
  return row?.taken ?? 0;
}

export async function auditActions(app: TestApp, bookingId: string): Promise<string[]> {
  const rows = await app.platform.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('resource_type', '=', 'booking')
    .where('resource_id', '=', bookingId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

export async function mailsFor(app: TestApp, bookingId: string) {
  return app.platform.database.db
    .selectFrom('outbox')
    .select(['payload', 'idempotency_key'])
    .where('topic', '=', 'mail.send')
    .where('idempotency_key', 'like', `bookings.mail.%:${bookingId}`)
    .orderBy('id')
    .execute();
}

/** The booking id from a /bookings/<id>… location. */
export function bookingIdOf(location: string): string {
  return /\/bookings\/([0-9a-f-]{36})/.exec(location)![1]!;
}

/**
 * The staff form of a new bookable resource: a committee room at Ebley Mill, free, an hour a
 * booking for one, open 09:00–17:00 every day; `overrides` replaces any field.
 */
export function resourceForm(overrides: Record<string, string> = {}): Record<string, string> {
  const days = Object.fromEntries(
    [0, 1, 2, 3, 4, 5, 6].flatMap((d) => [
      [`opens${d}`, '09:00'],
      [`closes${d}`, '17:00'],
    ]),
  );
  return {
    name: 'Committee room',
    nameCy: 'Ystafell bwyllgor',
    description: 'A room for twelve',
    descriptionCy: 'Ystafell i ddeuddeg',
    location: 'Ebley Mill',
    kind: 'venue',
    slotMinutes: '60',
    capacity: '1',
    price: '0',
    bufferMinutes: '0',
    cancelHours: '24',
    ...days,
    ...overrides,
  };
}
