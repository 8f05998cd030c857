import type { Db } from '../../../platform/db/database.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { StoredSubmissionRow } from '../db/tables.js';
import { canonicalize, type JsonValue } from './jcs.js';

/**
 * What a receipt's digest covers: the submission as both sides can state it without Joinedup's
 * internal ids. Members, in canonical (JCS) order:
 * - `answers`: the submitted values exactly as stored (`answers.values`; not the bilingual
 *   summary, which is wording, not what was sent);
 * - `formVersion`: the version of the form definition answered, when the submission records one;
 * - `organisation`: the receiving body's GSS code (e.g. `E07000082`), or its slug if it has none;
 * - `reference`: e.g. `JU-7K4M-92QK`;
 * - `service`: the service's slug, e.g. `request-a-bulky-waste-collection`;
 * - `submittedAt`: ISO 8601 in UTC with milliseconds, e.g. `2026-03-02T09:15:04.120Z`.
 */
export interface CanonicalFields {
  reference: string;
  service: string;
  organisation: string;
  submittedAt: string;
  answers: JsonValue;
  formVersion?: number;
}

/**
 * The columns of a submission the canonical form is made from. None of them changes after the
 * submission is created (status changes touch `status` and `updated_at` only), so the digest
 * computed today is the digest computed on the day it was sent. `form_version` is optional so
 * this works before and after the submissions table records one.
 */
export type DigestSource = Pick<
  StoredSubmissionRow,
  'reference' | 'service_id' | 'organisation_id' | 'submitted_at' | 'answers'
> & { form_version?: number | null };

/** The public names of the service and the receiving body that the canonical form uses. */
export interface PublicIdentifiers {
  /** The service's slug. */
  service: string;
  /** The body's GSS code, or its slug if it has none. */
  organisation: string;
}

/** The canonical form's fields from a stored submission and its public identifiers (pure). */
export function canonicalFields(row: DigestSource, names: PublicIdentifiers): CanonicalFields {
  const fields: CanonicalFields = {
    reference: row.reference,
    service: names.service,
    organisation: names.organisation,
    // Postgres keeps microseconds; both drivers read them truncated to milliseconds.
    submittedAt: new Date(row.submitted_at).toISOString(),
    answers: row.answers.values as JsonValue,
  };
  if (typeof row.form_version === 'number') fields.formVersion = row.form_version;
  return fields;
}

/**
 * The slug of the service and the GSS code (or slug) of the body a submission went to.
 * Throws if either is gone: a digest over different identifiers would not match the receipt.
 */
// FIXME: a withdrawn service is not found by findPublishedServiceById, so its submissions' receipts
// cannot be computed; the catalogue needs a "slug of any service by id" query for this.
export async function publicIdentifiers(db: Db, row: DigestSource): Promise<PublicIdentifiers> {
  const [service, organisation] = await Promise.all([
    findPublishedServiceById(db, row.service_id, 'en'),
    findOrganisationById(db, row.organisation_id),
  ]);
  if (!service || !organisation)
    throw new Error(
      `The service ${row.service_id} or organisation ${row.organisation_id} of ${row.reference} is not found: its canonical form cannot be made`,
    );
  return { service: service.slug, organisation: organisation.gss_code ?? organisation.slug };
}

/**
 * The RFC 8785 canonical JSON text of a stored submission: what its receipt's digest is the
 * SHA-256 of (as UTF-8), and what `GET /applications/:reference/receipt.json` returns. Pass
 * the transaction when inside one.
 *
 * @example
 * const text = await canonicalSubmission(db, submission);
 * // '{"answers":{"items":["sofa"],…},"organisation":"E07000082","reference":"JU-…",…}'
 */
export async function canonicalSubmission(db: Db, row: DigestSource): Promise<string> {
  return canonicalize(canonicalFields(row, await publicIdentifiers(db, row)));
}
