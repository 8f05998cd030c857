/**
 * An error in GOV.UK Pay's envelope, `{"field"?, "code": "P0102", "description"}`, so a
 * service written against Pay reads ours the same way. The codes are Pay's.
 *
 * @example throw new PayError(404, 'P0200', 'Not found');
 */
export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly field?: string,
  ) {
    super(description);
  }

  envelope(): { field?: string; code: string; description: string } {
    return {
      ...(this.field ? { field: this.field } : {}),
      code: this.code,
      description: this.description,
    };
  }
}

/** What each endpoint calls a missing (400) and an invalid (422) attribute, and "not found". */
export const PAY_CODES = {
  create: { missing: 'P0101', invalid: 'P0102' },
  refund: { missing: 'P0601', invalid: 'P0602' },
} as const;

export const missingAttribute = (code: string, field: string) =>
  new PayError(400, code, `Missing mandatory attribute: ${field}`, field);

export const invalidAttribute = (code: string, field: string, why: string) =>
  new PayError(422, code, `Invalid attribute value: ${field}. ${why}`, field);

export const paymentNotFound = () => new PayError(404, 'P0200', 'Not found');
export const eventsNotFound = () => new PayError(404, 'P0300', 'Not found');
export const cancelNotFound = () => new PayError(404, 'P0500', 'Not found');
export const cancelFailed = () => new PayError(400, 'P0501', 'Cancellation of payment failed');
export const refundPaymentNotFound = () => new PayError(404, 'P0600', 'Not found');
export const refundNotFound = () => new PayError(404, 'P0700', 'Not found');
export const refundsNotFound = () => new PayError(404, 'P0800', 'Not found');
export const refundNotAvailable = (refundStatus: string) =>
  new PayError(
    412,
    'P0603',
    `The payment is not available for refund. Payment refund status: ${refundStatus}`,
  );
export const refundAmountAvailableMismatch = () =>
  new PayError(412, 'P0604', 'Refund amount available mismatch.');
export const idempotencyConflict = () =>
  new PayError(
    409,
    'P0191',
    'The Idempotency-Key has already been used to create a payment with a different request body',
  );
/** Pay's answer to `moto: true` from an account that does not take MOTO payments (see commands/settings.ts). */
export const motoNotAllowed = () =>
  new PayError(
    422,
    'P0196',
    'MOTO payments are not enabled for this account. Please contact support if you would like to process MOTO payments',
  );
