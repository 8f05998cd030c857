import { z } from 'zod';
import { isIsoDate } from '../../platform/time/london.js';
import type { EventType } from './db/tables.js';

const isoDate = z.string().refine(isIsoDate, 'a real date written YYYY-MM-DD');
const name = z.string().trim().min(1).max(100);

/** A death is reported by someone else: how they knew the person. */
export const REPORTER_RELATIONSHIPS = [
  'spouse-or-partner',
  'child',
  'parent',
  'sibling',
  'other-relative',
  'executor',
] as const;

/**
 * What each kind of change carries, checked the same way whether it came from the pages or a
 * test: the address as the address layer holds it (with its UPRN), names, contact details, a
 * death with the deceased's details and the reporter's relationship, a birth.
 */
export const EVENT_SCHEMAS = {
  'change-of-address': z
    .object({
      uprn: z.string().regex(/^\d{1,12}$/),
      address: z.string().min(1).max(300),
      postcode: z.string().min(5).max(8),
      movedOn: isoDate,
    })
    .strict(),
  'change-of-name': z.object({ givenName: name, familyName: name, changedOn: isoDate }).strict(),
  'change-of-contact-details': z
    .object({
      email: z.email().max(320).optional(),
      phone: z
        .string()
        .regex(/^\+?[0-9 ]{10,16}$/)
        .optional(),
    })
    .strict()
    .refine((value) => !!value.email || !!value.phone, 'an e-mail address or a phone number'),
  death: z
    .object({
      deceasedGivenName: name,
      deceasedFamilyName: name,
      deceasedDateOfBirth: isoDate,
      dateOfDeath: isoDate,
      deathRegistrationReference: z.string().trim().min(1).max(40),
      reporterRelationship: z.enum(REPORTER_RELATIONSHIPS),
    })
    .strict()
    .refine((v) => v.deceasedDateOfBirth <= v.dateOfDeath, 'born before they died'),
  birth: z
    .object({
      childGivenName: name,
      childFamilyName: name,
      childDateOfBirth: isoDate,
      birthRegistrationReference: z.string().trim().min(1).max(40),
    })
    .strict(),
} satisfies Record<EventType, z.ZodType>;

/** The fields of each kind of change an agreement may choose to send (the schemas' keys). */
export const EVENT_FIELDS: Record<EventType, readonly string[]> = {
  'change-of-address': ['uprn', 'address', 'postcode', 'movedOn'],
  'change-of-name': ['givenName', 'familyName', 'changedOn'],
  'change-of-contact-details': ['email', 'phone'],
  death: [
    'deceasedGivenName',
    'deceasedFamilyName',
    'deceasedDateOfBirth',
    'dateOfDeath',
    'deathRegistrationReference',
    'reporterRelationship',
  ],
  birth: ['childGivenName', 'childFamilyName', 'childDateOfBirth', 'birthRegistrationReference'],
};

/** Every field of every kind of change, `type.field`, for the agreement form. */
export const ALL_FIELDS = Object.entries(EVENT_FIELDS).flatMap(([type, fields]) =>
  fields.map((field) => `${type}.${field}`),
);

/** A death report could be forged: it is held until staff have checked it against the register. */
export function needsVerification(type: EventType): boolean {
  return type === 'death';
}

/**
 * Who a change is about and so whose bodies are told: the person's own relationships, except
 * for a death, which no relationship of the reporter covers; every body with a live agreement
 * for deaths is considered then.
 */
export function toldByRelationship(type: EventType): boolean {
  return type !== 'death';
}

/**
 * Checks a change's details against its kind's schema.
 *
 * @example parseDetails('change-of-name', { givenName: 'Sam', familyName: 'Jones', changedOn: '2026-01-02' })
 */
export function parseDetails(
  type: EventType,
  details: unknown,
): { ok: true; details: Record<string, unknown> } | { ok: false; problems: string[] } {
  const result = EVENT_SCHEMAS[type].safeParse(details);
  if (result.success) return { ok: true, details: result.data as Record<string, unknown> };
  return {
    ok: false,
    problems: result.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`),
  };
}

/**
 * Only the fields an agreement covers, for its kind of change: `fields` holds `type.field`
 * names, so an agreement covering two kinds chooses for each.
 */
export function pickFields(
  type: EventType,
  details: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const chosen: Record<string, unknown> = {};
  for (const field of EVENT_FIELDS[type])
    if (fields.includes(`${type}.${field}`) && details[field] !== undefined)
      chosen[field] = details[field];
  return chosen;
}
