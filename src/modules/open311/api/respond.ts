/**
 * GeoReport v2's two formats: the same response as JSON (what clients use) or XML (the spec's
 * required format), chosen by the path's extension; and its errors, a list of `{code,
 * description}` with the HTTP status as the code.
 */
import type { FastifyReply } from 'fastify';
import { AppError } from '../../../platform/errors/errors.js';
import { fromJson, serialise } from '../xml/xml.js';

export type Format = 'json' | 'xml';
export const FORMATS: readonly Format[] = ['json', 'xml'];

/** How each list is named in XML, and what its items are called. */
const ITEMS: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  service_requests: 'request',
  errors: 'error',
};

function itemName(list: string): string {
  const name = ITEMS[list];
  if (!name) throw new Error(`No XML item name for the list ${list}`);
  return name;
}

/**
 * Sends `value` in the asked format: JSON as it is, XML under `root` (a list's items named as
 * GeoReport v2 names them: `<services><service>…`).
 */
export function respond(
  reply: FastifyReply,
  format: Format,
  root: string,
  value: unknown,
  status = 200,
): FastifyReply {
  reply.code(status);
  if (format === 'xml')
    return reply.type('text/xml; charset=utf-8').send(serialise(fromJson(root, value, itemName)));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/**
 * An Open311 error: 400 (a missing or wrong parameter, an unknown service, a place outside
 * every area we serve), 403 (a missing, unknown or revoked api_key, or a key of another kind),
 * 404 (no such service or request). Each description becomes one `{code, description}`.
 *
 * @example throw new Open311Error(403, ['Invalid api_key received: no key with this value']);
 */
const CODES = { 400: 'open311_bad_request', 403: 'open311_forbidden', 404: 'open311_not_found' };

export class Open311Error extends AppError {
  constructor(
    status: 400 | 403 | 404,
    readonly descriptions: string[],
  ) {
    super(CODES[status], status, descriptions.join('; '));
    this.name = 'Open311Error';
  }
}

/** The errors list as GeoReport v2 writes it. */
export function errorList(status: number, descriptions: string[]) {
  return descriptions.map((description) => ({ code: status, description }));
}
