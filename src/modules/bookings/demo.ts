import type { Db } from '../../platform/db/database.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import type { ResourceKind } from './db/tables.js';

interface DemoResource {
  organisation: string;
  slug: string;
  kind: ResourceKind;
  name: string;
  nameCy: string;
  description: string;
  descriptionCy: string;
  location: string;
  slotMinutes: number;
  capacity: number;
  pricePence: number;
  bufferMinutes: number;
  cancelHoursBefore: number;
  /** weekday (0 Sunday) → [opens, closes] as "HH:MM". */
  openings: Record<number, [string, string]>;
}

const WEEKDAYS_9_TO_5: Record<number, [string, string]> = {
  1: ['09:00', '16:30'],
  2: ['09:00', '16:30'],
  3: ['09:00', '16:30'],
  4: ['09:00', '16:30'],
  5: ['09:00', '16:30'],
};

/** The demo bodies' bookable things (README: "Bookings"). */
export const DEMO_RESOURCES: DemoResource[] = [
  {
    organisation: 'stroud',
    slug: 'subscription-rooms-main-hall',
    kind: 'venue',
    name: 'Subscription Rooms main hall',
    nameCy: 'Prif neuadd yr Subscription Rooms',
    description: 'A hall for up to 200 people, with a stage, for parties, meetings and classes.',
    descriptionCy:
      'Neuadd i hyd at 200 o bobl, gyda llwyfan, ar gyfer partïon, cyfarfodydd a dosbarthiadau.',
    location: 'Subscription Rooms, George Street, Stroud GL5 1AE',
    slotMinutes: 60,
    capacity: 1,
    pricePence: 2500,
    bufferMinutes: 0,
    cancelHoursBefore: 48,
    openings: {
      0: ['10:00', '16:00'],
      1: ['09:00', '22:00'],
      2: ['09:00', '22:00'],
      3: ['09:00', '22:00'],
      4: ['09:00', '22:00'],
      5: ['09:00', '22:00'],
      6: ['09:00', '22:00'],
    },
  },
  {
    organisation: 'stroud',
    slug: 'stratford-park-3g-pitch',
    kind: 'pitch',
    name: '3G football pitch, Stratford Park',
    nameCy: 'Cae pêl-droed 3G, Parc Stratford',
    description:
      'A full-size floodlit artificial pitch. 15 minutes are left between bookings for teams to change over.',
    descriptionCy:
      'Cae artiffisial maint llawn gyda llifoleuadau. Gadewir 15 munud rhwng archebion i dimau newid.',
    location: 'Stratford Park, Stroud GL5 4AF',
    slotMinutes: 60,
    capacity: 1,
    pricePence: 4500,
    bufferMinutes: 15,
    cancelHoursBefore: 24,
    openings: {
      0: ['09:00', '17:00'],
      1: ['17:00', '22:00'],
      2: ['17:00', '22:00'],
      3: ['17:00', '22:00'],
      4: ['17:00', '22:00'],
      5: ['17:00', '22:00'],
      6: ['09:00', '17:00'],
    },
  },
  {
    organisation: 'stroud',
    slug: 'first-aid-course',
    kind: 'course',
    name: 'First aid course',
    nameCy: 'Cwrs cymorth cyntaf',
    description: 'A one-day emergency first aid at work course, with a certificate. 12 places.',
    descriptionCy: 'Cwrs undydd cymorth cyntaf brys yn y gwaith, gyda thystysgrif. 12 lle.',
    location: 'Ebley Mill, Westward Road, Stroud GL5 4UB',
    slotMinutes: 360,
    capacity: 12,
    pricePence: 4000,
    bufferMinutes: 0,
    cancelHoursBefore: 72,
    openings: { 6: ['09:30', '15:30'] },
  },
  {
    organisation: 'gloucestershire',
    slug: 'register-a-birth',
    kind: 'appointment',
    name: 'Register a birth appointment',
    nameCy: 'Apwyntiad cofrestru genedigaeth',
    description: 'Register a birth within 42 days. Bring the baby’s red book if you have it.',
    descriptionCy:
      'Cofrestrwch enedigaeth o fewn 42 diwrnod. Dewch â llyfr coch y babi os oes gennych un.',
    location: 'Gloucester Register Office, Shire Hall, Westgate Street, Gloucester GL1 2TG',
    slotMinutes: 30,
    capacity: 1,
    pricePence: 0,
    bufferMinutes: 0,
    cancelHoursBefore: 2,
    openings: WEEKDAYS_9_TO_5,
  },
];

function minutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

/** Adds the demo resources, once: a second run leaves them as they are. */
export async function seedDemoBookings(trx: Db): Promise<void> {
  for (const demo of DEMO_RESOURCES) {
    const organisation = await findOrganisationBySlug(trx, demo.organisation);
    if (!organisation) continue;
    const row = await trx
      .insertInto('booking_resources')
      .values({
        organisation_id: organisation.id,
        slug: demo.slug,
        kind: demo.kind,
        name: demo.name,
        name_cy: demo.nameCy,
        description: demo.description,
        description_cy: demo.descriptionCy,
        location: demo.location,
        slot_minutes: demo.slotMinutes,
        capacity: demo.capacity,
        price_pence: demo.pricePence,
        buffer_minutes: demo.bufferMinutes,
        cancel_hours_before: demo.cancelHoursBefore,
      })
      .onConflict((oc) => oc.columns(['organisation_id', 'slug']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    await trx
      .insertInto('booking_opening_times')
      .values(
        Object.entries(demo.openings).map(([weekday, [opens, closes]]) => ({
          resource_id: row.id,
          weekday: Number(weekday),
          opens_minute: minutes(opens),
          closes_minute: minutes(closes),
        })),
      )
      .execute();
  }
}
