/**
 * An error a user or client may see. `code` is stable (docs/errors.md lists them), `status`
 * is the HTTP status, `message` is safe to show; `detail` is for logs only.
 *
 * @example throw new AppError('not_found', 404, 'Page not found');
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** 404 that also hides whether a record exists from someone not allowed to see it. */
export function notFound(detail?: unknown): AppError {
  return new AppError('not_found', 404, 'Page not found', detail);
}

/** A field-level problem with input, in the order the fields appear on the page. */
export interface FieldError {
  field: string;
  /** An i18n key or a ready message; pages translate it. */
  message: string;
}

/** What every command returns: the thing made or changed, or why nothing changed. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; errors: FieldError[] };
