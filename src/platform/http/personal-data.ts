/**
 * A moment in a person's "My data" (`PersonalDataSection` rows): ISO 8601, or null when there is
 * none. Drivers hand timestamps back as Date objects, or as text where a value came through JSON.
 */
export function isoInstant(value: Date | string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
