import type { Db } from '../../../platform/db/database.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { findUserById } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { ApplicantBusiness, SubmissionRow } from '../db/tables.js';
import { submissionDigest } from '../receipts/digest.js';

/**
 * The submission as a body's system receives it, by webhook or from the pull inbox: what was
 * answered (values and the bilingual summary), who applied, through which channel, for which
 * service and form version, and the SHA-256 of its canonical form (the receipt's digest), so
 * both sides can prove what was sent.
 */
export interface ReceivedSubmission {
  id: string;
  reference: string;
  submittedAt: string;
  service: { id: string; slug: string | null; title: string | null };
  organisation: { id: string; slug: string | null; gssCode: string | null };
  form: { version: number | null };
  channel: string;
  submittedBy: { organisation: string | null } | null;
  applicant: { account: boolean; name?: string; email?: string; phone?: string };
  /**
   * A service for businesses: the business or charity applied for, as it was when sent, and
   * whether it was sent from its Joinedup business account (`account`) or named by the channel.
   */
  business: {
    account: boolean;
    name: string;
    type?: 'business' | 'charity';
    companiesHouseNumber?: string;
    charityNumber?: string;
  } | null;
  onBehalfOf: { consentReference: string; name?: string } | null;
  answers: Record<string, unknown>;
  summary: {
    en: { question: string; answer: string }[];
    cy: { question: string; answer: string }[];
  };
  /** Hex SHA-256 of the canonical submission (as on its receipt); null if it cannot be made. */
  sha256: string | null;
}

export async function receivedSubmission(
  db: Db,
  submission: SubmissionRow,
): Promise<ReceivedSubmission> {
  const [service, organisation, sender, account, digest] = await Promise.all([
    findPublishedServiceById(db, submission.service_id, 'en'),
    findOrganisationById(db, submission.organisation_id),
    submission.submitted_by_organisation_id
      ? findOrganisationById(db, submission.submitted_by_organisation_id)
      : undefined,
    submission.applicant_user_id ? findUserById(db, submission.applicant_user_id) : undefined,
    submissionDigest(db, submission).then(
      (d) => d.hex,
      () => null,
    ),
  ]);
  const given = submission.applicant ?? {};
  return {
    id: submission.id,
    reference: submission.reference,
    submittedAt: new Date(submission.submitted_at).toISOString(),
    service: {
      id: submission.service_id,
      slug: service?.slug ?? null,
      title: service?.title ?? null,
    },
    organisation: {
      id: submission.organisation_id,
      slug: organisation?.slug ?? null,
      gssCode: organisation?.gss_code ?? null,
    },
    form: { version: submission.form_version },
    channel: submission.channel,
    submittedBy: submission.submitted_by_organisation_id
      ? { organisation: sender?.slug ?? null }
      : null,
    applicant: account
      ? { account: true, name: account.display_name, email: account.email }
      : { account: false, ...given },
    business: businessOf(submission.applicant_business),
    onBehalfOf: submission.on_behalf_of,
    answers: submission.answers.values,
    summary: submission.answers.summary,
    sha256: digest,
  };
}

/** The business as a body's system sees it: no Joinedup ids, only whether it had an account. */
function businessOf(business: ApplicantBusiness | null): ReceivedSubmission['business'] {
  if (!business) return null;
  const { id, ...described } = business;
  return { account: id !== undefined, ...described };
}
