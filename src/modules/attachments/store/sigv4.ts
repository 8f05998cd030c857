import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3-compatible stores, with node:crypto only: the canonical
 * request, the string to sign, the derived key and the `Authorization` header, as
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * describes. Tested against AWS's own published examples.
 */

export interface SigningInput {
  method: string;
  url: URL;
  /** Every header to sign (host and x-amz-date included); names in any case. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `YYYYMMDDTHHMMSSZ` */
  amzDate: string;
}

/** SHA-256 of the empty body, which every GET and DELETE signs. */
export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 percent-encoding, as SigV4 wants it (`encodeURIComponent` leaves `!'()*`). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `20150830T123600Z` for an instant. */
export function amzDate(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function canonicalHeaders(headers: Record<string, string>): { text: string; signed: string } {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    text: entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signed: entries.map(([name]) => name).join(';'),
  };
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The path as S3 signs it: each segment percent-encoded once, never normalised. */
function canonicalPath(url: URL): string {
  const raw = url.pathname || '/';
  return raw
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/');
}

/** The canonical request: method, path, query, headers, signed header names, payload hash. */
export function canonicalRequest(input: SigningInput): string {
  const headers = canonicalHeaders(input.headers);
  return [
    input.method.toUpperCase(),
    canonicalPath(input.url),
    canonicalQuery(input.url),
    headers.text,
    headers.signed,
    input.payloadHash,
  ].join('\n');
}

function scope(input: Pick<SigningInput, 'amzDate' | 'region' | 'service'>): string {
  return `${input.amzDate.slice(0, 8)}/${input.region}/${input.service}/aws4_request`;
}

export function stringToSign(input: SigningInput): string {
  return [
    'AWS4-HMAC-SHA256',
    input.amzDate,
    scope(input),
    createHash('sha256').update(canonicalRequest(input)).digest('hex'),
  ].join('\n');
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data).digest();
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The hex signature of a request. */
export function signature(input: SigningInput): string {
  const key = signingKey(
    input.secretAccessKey,
    input.amzDate.slice(0, 8),
    input.region,
    input.service,
  );
  return createHmac('sha256', key).update(stringToSign(input)).digest('hex');
}

/**
 * The `Authorization` header value for a request.
 *
 * @example
 * authorization({ method: 'GET', url: new URL('https://example.amazonaws.com/'),
 *   headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, … })
 * // 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa0…'
 */
export function authorization(input: SigningInput): string {
  const { signed } = canonicalHeaders(input.headers);
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope(input)}, SignedHeaders=${signed}, Signature=${signature(input)}`;
}
