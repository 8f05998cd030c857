import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { RESOURCE_KINDS, type ResourceKind } from '../db/tables.js';
import { minutesOf } from '../slots.js';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;

/** The resource form as posted: every field a trimmed string. */
export type ResourceForm = Record<string, string>;

export const RESOURCE_FIELDS = [
  'name',
  'nameCy',
  'description',
  'descriptionCy',
  'location',
  'kind',
  'slotMinutes',
  'capacity',
  'price',
  'bufferMinutes',
  'cancelHours',
  ...WEEKDAYS.flatMap((d) => [`opens${d}`, `closes${d}`]),
] as const;

export interface ResourceSettings {
  name: string;
  nameCy: string | null;
  description: string;
  descriptionCy: string | null;
  location: string;
  kind: ResourceKind;
  slotMinutes: number;
  capacity: number;
  pricePence: number;
  bufferMinutes: number;
  cancelHoursBefore: number;
  /** weekday (0 Sunday) → minutes after London midnight; a weekday missing is closed. */
  openings: Map<number, { opens: number; closes: number }>;
}

function whole(value: string, min: number, max: number): number | null {
  if (!/^\d{1,7}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** "12", "12.5", "12.50", "£1,250.00" → pence; anything else → null. */
export function pencesOf(value: string): number | null {
  const match = /^£?(\d{1,6})(?:\.(\d{1,2}))?$/.exec(value.replace(/,/g, ''));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

function readText(
  form: ResourceForm,
  field: string,
  max: number,
  errors: FieldError[],
  required: boolean,
): string {
  const value = form[field] ?? '';
  if (required && !value) errors.push({ field, message: `bookings.manage.${field}.missing` });
  else if (value.length > max) errors.push({ field, message: `bookings.manage.${field}.tooLong` });
  return value;
}

function readNumber(
  form: ResourceForm,
  field: string,
  [min, max]: [number, number],
  errors: FieldError[],
): number {
  const value = form[field] ?? '';
  if (!value) {
    errors.push({ field, message: `bookings.manage.${field}.missing` });
    return 0;
  }
  const n = whole(value, min, max);
  if (n === null) errors.push({ field, message: `bookings.manage.${field}.invalid` });
  return n ?? 0;
}

function readOpenings(form: ResourceForm, slotMinutes: number, errors: FieldError[]) {
  const openings = new Map<number, { opens: number; closes: number }>();
  for (const day of WEEKDAYS) {
    const [opensText, closesText] = [form[`opens${day}`] ?? '', form[`closes${day}`] ?? ''];
    if (!opensText && !closesText) continue;
    const field = `opens${day}`;
    const opens = minutesOf(opensText.padStart(5, '0'));
    const closes = closesText === '24:00' ? 1440 : minutesOf(closesText.padStart(5, '0'));
    if (opens === null || closes === null)
      errors.push({ field, message: `bookings.manage.opening.invalid${day}` });
    else if (closes <= opens)
      errors.push({ field, message: `bookings.manage.opening.order${day}` });
    else if (slotMinutes > 0 && closes - opens < slotMinutes)
      errors.push({ field, message: `bookings.manage.opening.short${day}` });
    else openings.set(day, { opens, closes });
  }
  if (openings.size === 0 && !errors.some((e) => e.field.startsWith('opens')))
    errors.push({ field: 'opens1', message: 'bookings.manage.opening.none' });
  return openings;
}

/** The settings a resource form names, or every reason it names none. */
export function readResourceForm(
  form: ResourceForm,
): { ok: true; settings: ResourceSettings } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = readText(form, 'name', 120, errors, true);
  const nameCy = readText(form, 'nameCy', 120, errors, false);
  const description = readText(form, 'description', 2000, errors, false);
  const descriptionCy = readText(form, 'descriptionCy', 2000, errors, false);
  const location = readText(form, 'location', 200, errors, false);
  const kind = form.kind as ResourceKind;
  if (!RESOURCE_KINDS.includes(kind))
    errors.push({ field: 'kind', message: 'bookings.manage.kind.missing' });
  const slotMinutes = readNumber(form, 'slotMinutes', [5, 1440], errors);
  const capacity = readNumber(form, 'capacity', [1, 1_000_000], errors);
  let pricePence = 0;
  if (!form.price) errors.push({ field: 'price', message: 'bookings.manage.price.missing' });
  else {
    const pence = pencesOf(form.price);
    if (pence === null || pence > 10_000_000)
      errors.push({ field: 'price', message: 'bookings.manage.price.invalid' });
    else pricePence = pence;
  }
  const bufferMinutes = readNumber(form, 'bufferMinutes', [0, 1440], errors);
  const cancelHoursBefore = readNumber(form, 'cancelHours', [0, 8760], errors);
  const openings = readOpenings(form, slotMinutes, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      name,
      nameCy: nameCy || null,
      description,
      descriptionCy: descriptionCy || null,
      location,
      kind,
      slotMinutes,
      capacity,
      pricePence,
      bufferMinutes,
      cancelHoursBefore,
      openings,
    },
  };
}

function columns(settings: ResourceSettings) {
  return {
    kind: settings.kind,
    name: settings.name,
    name_cy: settings.nameCy,
    description: settings.description,
    description_cy: settings.descriptionCy,
    location: settings.location,
    slot_minutes: settings.slotMinutes,
    capacity: settings.capacity,
    price_pence: settings.pricePence,
    buffer_minutes: settings.bufferMinutes,
    cancel_hours_before: settings.cancelHoursBefore,
  };
}

function auditDetails(settings: ResourceSettings) {
  return {
    ...columns(settings),
    openings: Object.fromEntries(
      [...settings.openings].map(([day, o]) => [day, [o.opens, o.closes]]),
    ),
  };
}

async function writeOpenings(trx: Db, resourceId: string, settings: ResourceSettings) {
  await trx.deleteFrom('booking_opening_times').where('resource_id', '=', resourceId).execute();
  if (settings.openings.size === 0) return;
  await trx
    .insertInto('booking_opening_times')
    .values(
      [...settings.openings].map(([weekday, o]) => ({
        resource_id: resourceId,
        weekday,
        opens_minute: o.opens,
        closes_minute: o.closes,
      })),
    )
    .execute();
}

/** "Main hall (upstairs)" → "main-hall-upstairs": the resource's address under its body. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 70)
    .replace(/-+$/, '');
  return slug || 'resource';
}

async function freeSlug(trx: Db, organisationId: string, name: string): Promise<string> {
  const base = slugOf(name);
  const taken = new Set(
    (
      await trx
        .selectFrom('booking_resources')
        .select('slug')
        .where('organisation_id', '=', organisationId)
        .where('slug', 'like', `${base}%`)
        .execute()
    ).map((r) => r.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

/** Adds a resource to the body, with its opening times, in the caller's transaction. */
export async function createResource(
  trx: Db,
  actor: Actor,
  organisationId: string,
  settings: ResourceSettings,
): Promise<string> {
  const { id } = await trx
    .insertInto('booking_resources')
    .values({
      organisation_id: organisationId,
      slug: await freeSlug(trx, organisationId, settings.name),
      ...columns(settings),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeOpenings(trx, id, settings);
  await recordAudit(trx, actor, {
    action: 'booking-resource.created',
    resourceType: 'booking-resource',
    resourceId: id,
    subjectUserId: null,
    details: auditDetails(settings),
  });
  return id;
}

/**
 * Changes a resource. Bookings keep the start and end they were made with (they are stored, not
 * worked out again), and the slots already booked keep at least the places taken in them; new
 * slots follow the new opening times and length (slots.ts leaves out any that would overlap a
 * booking made under the old ones). The address stays, so links already sent keep working.
 */
export async function changeResource(
  trx: Db,
  actor: Actor,
  resourceId: string,
  settings: ResourceSettings,
  now = new Date(),
): Promise<void> {
  await trx
    .updateTable('booking_resources')
    .set(columns(settings))
    .where('id', '=', resourceId)
    .execute();
  await writeOpenings(trx, resourceId, settings);
  await trx
    .updateTable('booking_slots')
    .set({ capacity: sql<number>`greatest(taken, ${settings.capacity}, 1)` })
    .where('resource_id', '=', resourceId)
    .where('starts_at', '>', now)
    .execute();
  await recordAudit(trx, actor, {
    action: 'booking-resource.changed',
    resourceType: 'booking-resource',
    resourceId,
    subjectUserId: null,
    details: auditDetails(settings),
  });
}

/** Stops new bookings of a resource; the bookings already made stand. */
export async function withdrawResource(
  trx: Db,
  actor: Actor,
  resourceId: string,
  now = new Date(),
): Promise<void> {
  const done = await trx
    .updateTable('booking_resources')
    .set({ withdrawn_at: now })
    .where('id', '=', resourceId)
    .where('withdrawn_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!done) return;
  await recordAudit(trx, actor, {
    action: 'booking-resource.withdrawn',
    resourceType: 'booking-resource',
    resourceId,
    subjectUserId: null,
  });
}
