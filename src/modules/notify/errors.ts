/**
 * An error in GOV.UK Notify's envelope: `{"status_code":403,"errors":[{"error":"AuthError","message":"…"}]}`.
 * The /v2 routes throw these; their own error handler sends them as they are, so a client written
 * against Notify reads our errors the way it reads Notify's.
 *
 * @example throw new NotifyError(400, 'BadRequestError', 'Missing personalisation: name');
 */
export class NotifyError extends Error {
  readonly errors: { error: string; message: string }[];

  constructor(
    readonly status: number,
    error: string,
    message: string,
    more: { error: string; message: string }[] = [],
  ) {
    super(message);
    this.errors = [{ error, message }, ...more];
  }

  /** The body Notify sends. */
  envelope(): { status_code: number; errors: { error: string; message: string }[] } {
    return { status_code: this.status, errors: this.errors };
  }
}

/** 400 ValidationError with one entry a problem, as Notify's JSON-schema validation reports them. */
export function validationError(messages: string[]): NotifyError {
  const [first, ...rest] = messages;
  return new NotifyError(
    400,
    'ValidationError',
    first!,
    rest.map((message) => ({ error: 'ValidationError', message })),
  );
}

export const badRequest = (message: string, status = 400) =>
  new NotifyError(status, 'BadRequestError', message);

export const authError = (message: string, status = 403) =>
  new NotifyError(status, 'AuthError', message);

export const noResultFound = () => new NotifyError(404, 'NoResultFound', 'No result found');
