import { ukToday } from '../../src/platform/validation/validators.js';

/** A London day `days` from today, as the fields of the GOV.UK date input named `prefix`. */
export function dateInputFields(prefix: string, days: number): Record<string, string> {
  const date = new Date(`${ukToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return {
    [`${prefix}-day`]: String(date.getUTCDate()),
    [`${prefix}-month`]: String(date.getUTCMonth() + 1),
    [`${prefix}-year`]: String(date.getUTCFullYear()),
  };
}
