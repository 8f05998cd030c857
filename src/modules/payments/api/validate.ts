import { createHash } from 'node:crypto';
import { invalidAttribute, missingAttribute, PayError, PAY_CODES } from '../errors.js';

/** Pay's most for one payment, in pence (£100,000). */
export const MAX_AMOUNT = 10_000_000;

export type Metadata = Record<string, string | number | boolean>;

/** A create-payment request as Pay's API takes it, once checked. */
export interface NewPayment {
  amount: number;
  description: string;
  reference: string;
  return_url: string;
  language: 'en' | 'cy';
  email: string | null;
  metadata: Metadata | null;
  /**
   * A card payment over the phone (MOTO): present only when asked for, so a request without it
   * has the digest it always had (Idempotency-Key).
   */
  moto?: true;
}

const REQUIRED = ['amount', 'description', 'reference', 'return_url'] as const;
const OPTIONAL = ['language', 'email', 'metadata', 'delayed_capture', 'moto'] as const;
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL]);
const { missing, invalid } = PAY_CODES.create;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http to this machine when the site itself is a development one. */
export function returnUrlAllowed(text: string, developmentSite: boolean): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return developmentSite && url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
}

function boundedText(body: Record<string, unknown>, field: string, max: number): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidAttribute(invalid, field, 'Must be a string');
  if (value.length > max)
    throw invalidAttribute(
      invalid,
      field,
      `Must be less than or equal to ${max} characters length`,
    );
  return value;
}

function checkAmount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw invalidAttribute(invalid, 'amount', 'Must be an integer');
  if (value < 1) throw invalidAttribute(invalid, 'amount', 'Must be greater than or equal to 1');
  if (value > MAX_AMOUNT)
    throw invalidAttribute(invalid, 'amount', `Must be less than or equal to ${MAX_AMOUNT}`);
  return value;
}

/** Pay's metadata rules: at most 10 keys of 1–30 characters; strings of at most 100, numbers, booleans. */
export function checkMetadata(value: unknown): Metadata {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw invalidAttribute(invalid, 'metadata', 'Must be an object of JSON key-value pairs');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 10)
    throw invalidAttribute(invalid, 'metadata', 'Cannot have more than 10 key-value pairs');
  for (const [key, item] of entries) {
    if (key.length < 1 || key.length > 30)
      throw invalidAttribute(invalid, 'metadata', 'Keys must be between 1 and 30 characters long');
    if (!['string', 'number', 'boolean'].includes(typeof item))
      throw invalidAttribute(
        invalid,
        'metadata',
        'Values must be of type String, Boolean or Number',
      );
    if (typeof item === 'string' && item.length > 100)
      throw invalidAttribute(
        invalid,
        'metadata',
        'Values must be no greater than 100 characters long',
      );
    if (typeof item === 'number' && !Number.isFinite(item))
      throw invalidAttribute(
        invalid,
        'metadata',
        'Values must be of type String, Boolean or Number',
      );
  }
  return value as Metadata;
}

function checkLanguage(value: unknown): 'en' | 'cy' {
  if (value === undefined) return 'en';
  if (value === 'en' || value === 'cy') return value;
  throw invalidAttribute(invalid, 'language', 'Must be "en" or "cy"');
}

function checkEmail(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(value))
    throw invalidAttribute(invalid, 'email', 'Must be a valid email address');
  if (value.length > 254)
    throw invalidAttribute(invalid, 'email', 'Must be less than or equal to 254 characters length');
  return value;
}

/**
 * Checks a create-payment body as Pay does, one problem at a time: a missing attribute is 400
 * P0101, a bad or unexpected one 422 P0102. Throws {@link PayError}.
 *
 * @example parseNewPayment({ amount: 1450, description: 'Parking permit', reference: 'PP-1', return_url: 'https://…' }, false)
 */
export function parseNewPayment(body: unknown, developmentSite: boolean): NewPayment {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new PayError(400, 'P0197', 'Unable to parse JSON');
  const record = body as Record<string, unknown>;
  for (const field of REQUIRED)
    if (record[field] === undefined || record[field] === null)
      throw missingAttribute(missing, field);
  const unexpected = Object.keys(record).find((key) => !KNOWN.has(key));
  if (unexpected) throw invalidAttribute(invalid, unexpected, 'Unexpected attribute');
  if (record.delayed_capture !== undefined && record.delayed_capture !== false)
    throw invalidAttribute(invalid, 'delayed_capture', 'Delayed capture is not offered yet');
  if (record.moto !== undefined && typeof record.moto !== 'boolean')
    throw invalidAttribute(invalid, 'moto', 'Must be true or false');
  const returnUrl = boundedText(record, 'return_url', 2000);
  if (!returnUrlAllowed(returnUrl, developmentSite))
    throw invalidAttribute(invalid, 'return_url', 'Must be a valid URL format (https)');
  return {
    amount: checkAmount(record.amount),
    description: boundedText(record, 'description', 255),
    reference: boundedText(record, 'reference', 255),
    return_url: returnUrl,
    language: checkLanguage(record.language),
    email: checkEmail(record.email),
    metadata: record.metadata === undefined ? null : checkMetadata(record.metadata),
    ...(record.moto === true ? { moto: true as const } : {}),
  };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  return value;
}

/** The same request, however its keys were ordered, has the same digest (for Idempotency-Key). */
export function requestDigest(payment: NewPayment): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(payment)))
    .digest('hex');
}
