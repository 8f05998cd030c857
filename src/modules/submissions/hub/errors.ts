import { AppError } from '../../../platform/errors/errors.js';

/** One problem with a request: the field (`answers.items`, `headers.idempotency-key` …) and why. */
export interface HubProblem {
  field: string;
  message: string;
  /** The Welsh message, where the form gives one. */
  message_cy?: string;
}

/**
 * An error of the hub API, with a stable code from docs/errors.md. `problems`, when given,
 * become one entry each in the response's `errors` list (a 400 names every field at once).
 *
 * @example throw new HubError('idempotency_key_reused', 409, 'This Idempotency-Key was used with a different request');
 */
export class HubError extends AppError {
  constructor(
    code: string,
    status: number,
    message: string,
    readonly problems: HubProblem[] = [],
  ) {
    super(code, status, message);
    this.name = 'HubError';
  }
}
