import type { FieldError } from '../../../platform/errors/errors.js';
import { SHARED_PARTS, type ReferralConsent, type SharedPart } from '../db/tables.js';

export const REFERRAL_KINDS = ['refer', 'share'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const CONSENT_METHODS = ['in-account', 'phone', 'face-to-face', 'in-writing'] as const;
export type ConsentMethod = ReferralConsent['how'];

export const REASON_MAX = 2000;
export const CONSENT_NOTE_MAX = 500;
export const RESPONSE_MAX = 2000;

/** What a caseworker asks for when referring or sharing a case, once read and checked. */
export interface ReferralRequest {
  toOrganisationId: string;
  kind: ReferralKind;
  parts: SharedPart[];
  reason: string;
  consent: { how: ConsentMethod; note?: string };
}

/** The referral form as typed, to show it again with its errors. */
export interface ReferralFormValues {
  organisationId: string;
  kind: string;
  parts: string[];
  reason: string;
  consent: string;
  consentNote: string;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

function list(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

function isOneOf<T extends string>(options: readonly T[], value: string): value is T {
  return (options as readonly string[]).includes(value);
}

/** The posted form's values, whatever they are, for showing the form again. */
export function referralFormValues(body: Record<string, unknown>): ReferralFormValues {
  return {
    organisationId: text(body, 'organisationId'),
    kind: text(body, 'kind'),
    parts: list(body, 'parts'),
    reason: text(body, 'reason'),
    consent: text(body, 'consent'),
    consentNote: text(body, 'consentNote'),
  };
}

/**
 * Reads the referral form. Every field is checked, so the error summary lists every problem at
 * once, in the order of the page. `bodies` are the ids the caseworker may choose from (every
 * body but their own): anything else is "choose a body", never an unknown id stored.
 */
export function readReferral(
  body: Record<string, unknown>,
  bodies: ReadonlySet<string>,
): { ok: true; request: ReferralRequest } | { ok: false; errors: FieldError[] } {
  const values = referralFormValues(body);
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) =>
    errors.push({ field, message: `casework.referrals.errors.${message}` });

  if (!bodies.has(values.organisationId)) fail('organisationId', 'organisation');
  if (!isOneOf(REFERRAL_KINDS, values.kind)) fail('kind', 'kind');
  const parts = SHARED_PARTS.filter((part) => values.parts.includes(part));
  if (parts.length === 0 || parts.length !== new Set(values.parts).size) fail('parts', 'parts');
  if (!values.reason) fail('reason', 'reasonRequired');
  else if (values.reason.length > REASON_MAX) fail('reason', 'reasonTooLong');
  if (!isOneOf(CONSENT_METHODS, values.consent)) fail('consent', 'consent');
  if (values.consentNote.length > CONSENT_NOTE_MAX) fail('consentNote', 'consentNoteTooLong');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      toOrganisationId: values.organisationId,
      kind: values.kind as ReferralKind,
      parts,
      reason: values.reason,
      consent: {
        how: values.consent as ConsentMethod,
        ...(values.consentNote ? { note: values.consentNote } : {}),
      },
    },
  };
}

/** Reads a decline: the reason is required, as the referring body must learn why. */
export function readDecline(
  body: Record<string, unknown>,
): { ok: true; response: string } | { ok: false; errors: FieldError[] } {
  const response = text(body, 'response');
  if (!response)
    return {
      ok: false,
      errors: [{ field: 'response', message: 'casework.referrals.errors.responseRequired' }],
    };
  if (response.length > RESPONSE_MAX)
    return {
      ok: false,
      errors: [{ field: 'response', message: 'casework.referrals.errors.responseTooLong' }],
    };
  return { ok: true, response };
}
