import type { FieldError } from '../../../platform/errors/errors.js';
import { daysBetween, isWeekday, parseDateParts } from '../../../platform/validation/validators.js';
import type { Decision } from '../../submissions/index.js';

/** Reads the decision form: approve with a weekday collection date from today on, or reject with a reason. */
export function readDecision(
  body: Record<string, unknown>,
  today: string,
): { ok: true; decision: Decision } | { ok: false; errors: FieldError[] } {
  const text = (name: string) =>
    typeof body[name] === 'string' ? (body[name] as string).trim() : '';
  const outcome = text('outcome');
  if (outcome === 'approved') {
    const parsed = parseDateParts(
      text('collectionDate-day'),
      text('collectionDate-month'),
      text('collectionDate-year'),
    );
    if ('problem' in parsed) {
      return {
        ok: false,
        errors: [
          { field: 'collectionDate-day', message: `casework.decision.date.${parsed.problem}` },
        ],
      };
    }
    if (daysBetween(today, parsed.date) < 0)
      return {
        ok: false,
        errors: [{ field: 'collectionDate-day', message: 'casework.decision.date.past' }],
      };
    if (!isWeekday(parsed.date))
      return {
        ok: false,
        errors: [{ field: 'collectionDate-day', message: 'casework.decision.date.weekend' }],
      };
    return { ok: true, decision: { outcome: 'approved', collectionDate: parsed.date } };
  }
  if (outcome === 'rejected') {
    const reason = text('reason');
    if (!reason)
      return {
        ok: false,
        errors: [{ field: 'reason', message: 'casework.decision.reason.required' }],
      };
    if (reason.length > 500)
      return {
        ok: false,
        errors: [{ field: 'reason', message: 'casework.decision.reason.tooLong' }],
      };
    return { ok: true, decision: { outcome: 'rejected', reason } };
  }
  return {
    ok: false,
    errors: [{ field: 'outcome', message: 'casework.decision.outcome.required' }],
  };
}
