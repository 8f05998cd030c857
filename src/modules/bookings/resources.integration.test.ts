import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { createStaffUser } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { bookSlot } from './commands/bookings.js';
import { addDays, londonDate, londonTime } from './slots.js';
import {
  book,
  bookingIdOf,
  bookingRow,
  newPerson,
  resourceForm,
  resourceId,
} from './test/helpers.js';

let app: TestApp;
const db = () => app.platform.database.db;
const LIST = '/staff/bookings/resources';
const OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;
const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function staff([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

async function countResources(): Promise<number> {
  const row = await db()
    .selectFrom('booking_resources')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditOf(resource: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('audit_log')
    .select('action')
    .where('resource_type', '=', 'booking-resource')
    .where('resource_id', '=', resource)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

/** Adds a resource through the pages as Stroud's service owner; answers its id. */
async function addThroughPages(owner: Visitor, fields: Record<string, string>): Promise<string> {
  expect((await owner.get(`${LIST}/new`)).status).toBe(200);
  const added = await owner.post(`${LIST}/new`, fields);
  expect(added.status).toBe(303);
  expect(added.headers.get('location')).toBe(`${LIST}?done=added`);
  const slug = fields.name!.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return resourceId(app, slug);
}

describe('setting up resources', () => {
  it('lets a service owner add a resource in English and Welsh, priced in pence, and audits it', async () => {
    const owner = await staff(OWNER);
    const list = await owner.get(LIST);
    expect(list.status).toBe(200);
    expect(list.html).toContain('Subscription Rooms main hall');
    expect(list.html).not.toContain('Register a birth');
    expect(list.html).toContain('Add a resource');

    const id = await addThroughPages(
      owner,
      resourceForm({ name: 'Lecture theatre', price: '12.50', capacity: '40', kind: 'course' }),
    );
    const row = await db()
      .selectFrom('booking_resources')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      slug: 'lecture-theatre',
      kind: 'course',
      name_cy: 'Ystafell bwyllgor',
      price_pence: 1250,
      capacity: 40,
      withdrawn_at: null,
    });
    const openings = await db()
      .selectFrom('booking_opening_times')
      .selectAll()
      .where('resource_id', '=', id)
      .execute();
    expect(openings).toHaveLength(7);
    expect(openings[0]).toMatchObject({ opens_minute: 540, closes_minute: 1020 });
    expect(await auditOf(id)).toEqual(['booking-resource.created']);

    const everyone = await new Visitor(app.baseUrl).get('/bookings');
    expect(everyone.html).toContain('href="/book/stroud/lecture-theatre"');
    const welsh = await new Visitor(app.baseUrl).get('/book/stroud/lecture-theatre?lang=cy');
    expect(welsh.status).toBe(200);
    const changePage = await owner.get(`${LIST}/${id}/change?lang=cy`);
    expect(changePage.status).toBe(200);
    expect(changePage.html).toContain('Dydd Llun');
    expect(changePage.html).toContain('value="12.50"');
  });

  it('refuses bad input with an error summary and changes nothing', async () => {
    const owner = await staff(OWNER);
    const before = await countResources();
    await owner.get(`${LIST}/new`);
    const bad = await owner.post(
      `${LIST}/new`,
      resourceForm({
        name: '',
        price: '12.345',
        slotMinutes: '2',
        opens1: '25:00',
        opens2: '17:00',
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('Enter the name of the resource');
    expect(bad.html).toContain('Enter the price in pounds and pence');
    expect(bad.html).toContain('from 5 to 1440');
    expect(bad.html).toContain('href="#opens1"');
    expect(bad.html).toContain('Tuesday’s closing time must be after its opening time');
    expect(await countResources()).toBe(before);

    const hall = await resourceId(app, 'subscription-rooms-main-hall');
    await owner.get(`${LIST}/${hall}/change`);
    const badChange = await owner.post(`${LIST}/${hall}/change`, resourceForm({ capacity: '0' }));
    expect(badChange.status).toBe(400);
    expect(badChange.html).toContain('The places each time must be a whole number');
    const row = await db()
      .selectFrom('booking_resources')
      .selectAll()
      .where('id', '=', hall)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Subscription Rooms main hall', price_pence: 2500 });
    expect(await auditOf(hall)).not.toContain('booking-resource.changed');

    const closed = await owner.post(
      `${LIST}/new`,
      resourceForm(
        Object.fromEntries(
          [0, 1, 2, 3, 4, 5, 6].flatMap((d) => [
            [`opens${d}`, ''],
            [`closes${d}`, ''],
          ]),
        ),
      ),
    );
    expect(closed.status).toBe(400);
    expect(closed.html).toContain('Enter the opening times of at least one day');
  });

  it('changes opening times and slot length while existing bookings keep their times', async () => {
    const owner = await staff(OWNER);
    const id = await addThroughPages(owner, resourceForm({ name: 'Meeting room' }));
    const day = addDays(londonDate(new Date()), 3);
    const person = await newPerson(app, 'Room Booker');
    const booked = await book(person, '/book/stroud/meeting-room', day, '10:00');
    expect(booked.status).toBe(303);
    const bookingId = bookingIdOf(booked.headers.get('location')!);
    const before = await bookingRow(app, bookingId);
    expect(before.status).toBe('confirmed');

    await owner.get(`${LIST}/${id}/change`);
    const changed = await owner.post(
      `${LIST}/${id}/change`,
      resourceForm({
        name: 'Meeting room',
        slotMinutes: '90',
        opens0: '09:30',
        opens1: '09:30',
        opens2: '09:30',
        opens3: '09:30',
        opens4: '09:30',
        opens5: '09:30',
        opens6: '09:30',
        price: '5',
      }),
    );
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe(`${LIST}?done=changed`);
    const after = await bookingRow(app, bookingId);
    expect(after.status).toBe('confirmed');
    expect(new Date(after.starts_at)).toEqual(londonTime(day, 600));
    expect(new Date(after.ends_at)).toEqual(londonTime(day, 660));
    expect(after.amount).toBe(0);
    expect((await person.get(`/bookings/${bookingId}`)).status).toBe(200);

    // 09:30–11:00 would overlap the 10:00 booking, so it is not offered; 11:00 is.
    const times = await person.get(`/book/stroud/meeting-room/time?day=${day}`);
    expect(times.status).toBe(200);
    expect(times.html).not.toContain('value="09:30"');
    expect(times.html).toContain('value="11:00"');
    const row = await db()
      .selectFrom('booking_resources')
      .select(['slot_minutes', 'price_pence', 'slug'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ slot_minutes: 90, price_pence: 500, slug: 'meeting-room' });
    expect(await auditOf(id)).toEqual(['booking-resource.created', 'booking-resource.changed']);
  });

  it('withdraws a resource: no new bookings, existing ones stand, staff still see it', async () => {
    const owner = await staff(OWNER);
    const id = await addThroughPages(owner, resourceForm({ name: 'Old pavilion' }));
    const day = addDays(londonDate(new Date()), 2);
    const person = await newPerson(app, 'Pavilion Booker');
    const booked = await book(person, '/book/stroud/old-pavilion', day, '11:00');
    const bookingId = bookingIdOf(booked.headers.get('location')!);

    expect((await owner.get(`${LIST}/${id}/withdraw`)).status).toBe(200);
    const withdrawn = await owner.post(`${LIST}/${id}/withdraw`, {});
    expect(withdrawn.headers.get('location')).toBe(`${LIST}?done=withdrawn`);
    expect((await bookingRow(app, bookingId)).status).toBe('confirmed');
    expect((await new Visitor(app.baseUrl).get('/bookings')).html).not.toContain('old-pavilion');
    expect((await person.get('/book/stroud/old-pavilion')).status).toBe(404);
    const user = await db()
      .selectFrom('users')
      .select(['id', 'email', 'display_name'])
      .where('display_name', '=', 'Pavilion Booker')
      .executeTakeFirstOrThrow();
    const refused = await db()
      .transaction()
      .execute((trx) =>
        bookSlot(
          trx,
          { userId: user.id, organisationId: null, role: 'citizen', requestId: 'test' },
          {
            resourceId: id,
            date: day,
            time: '13:00',
            user: { id: user.id, email: user.email, displayName: user.display_name },
            language: 'en',
          },
          app.baseUrl,
        ),
      );
    expect(refused).toEqual({ ok: false, reason: 'no-such-slot' });
    const list = await owner.get(LIST);
    expect(list.html).toContain('Withdrawn');
    expect((await owner.get(`/staff/bookings?resource=${id}&day=${day}`)).status).toBe(200);
    expect(await auditOf(id)).toEqual(['booking-resource.created', 'booking-resource.withdrawn']);
  });
});

describe('who may set up resources', () => {
  it('lets a caseworker see the list but gives 404 for adding, changing and withdrawing', async () => {
    const hall = await resourceId(app, 'subscription-rooms-main-hall');
    const caseworker = await staff(CASEWORKER);
    const list = await caseworker.get(LIST);
    expect(list.status).toBe(200);
    expect(list.html).toContain('Subscription Rooms main hall');
    expect(list.html).not.toContain('Add a resource');
    expect(list.html).not.toContain(`${hall}/change`);
    expect((await caseworker.get(`${LIST}/new`)).status).toBe(404);
    expect((await caseworker.get(`${LIST}/${hall}/change`)).status).toBe(404);
    await caseworker.get(`/staff/bookings/resources/${hall}/blackouts`);
    const before = await countResources();
    expect(
      (await caseworker.post(`${LIST}/new`, resourceForm({ name: 'Sneaky room' }))).status,
    ).toBe(404);
    expect(
      (await caseworker.post(`${LIST}/${hall}/change`, resourceForm({ price: '1' }))).status,
    ).toBe(404);
    expect((await caseworker.post(`${LIST}/${hall}/withdraw`, {})).status).toBe(404);
    expect(await countResources()).toBe(before);
    const row = await db()
      .selectFrom('booking_resources')
      .select(['price_pence', 'withdrawn_at'])
      .where('id', '=', hall)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ price_pence: 2500, withdrawn_at: null });
  });

  it('gives another body’s service owner 404 for this body’s resources', async () => {
    const gloucestershire = (await findOrganisationBySlug(db(), 'gloucestershire'))!;
    const made = await createStaffUser(db(), {
      email: 'owner@gloucestershire.example.gov.uk',
      password: 'a long test passphrase for an owner',
      displayName: 'Glos Owner',
      organisationId: gloucestershire.id,
      roles: ['service-owner'],
    });
    expect(made.ok).toBe(true);
    const other = await staff([
      'owner@gloucestershire.example.gov.uk',
      'a long test passphrase for an owner',
    ]);
    const hall = await resourceId(app, 'subscription-rooms-main-hall');
    const list = await other.get(LIST);
    expect(list.html).toContain('Register a birth');
    expect(list.html).not.toContain('Subscription Rooms main hall');
    expect((await other.get(`${LIST}/${hall}/change`)).status).toBe(404);
    expect((await other.get(`${LIST}/${hall}/withdraw`)).status).toBe(404);
    await other.get(`${LIST}/new`);
    expect((await other.post(`${LIST}/${hall}/change`, resourceForm({ price: '1' }))).status).toBe(
      404,
    );
    expect((await other.post(`${LIST}/${hall}/withdraw`, {})).status).toBe(404);
    const row = await db()
      .selectFrom('booking_resources')
      .select(['price_pence', 'withdrawn_at'])
      .where('id', '=', hall)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ price_pence: 2500, withdrawn_at: null });
    expect(await auditOf(hall)).toEqual([]);
    expect((await new Visitor(app.baseUrl).get(LIST)).status).toBe(303);
  });
});
