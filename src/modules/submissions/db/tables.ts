import type { ColumnType, Generated, Selectable } from 'kysely';

/**
 * Where a submission is. The web's first four keep their meaning; the hub names them
 * differently (see `hubStatusOf`): `submitted` is the hub's "received", `received` its
 * "delivered" (to the body's system, or to casework), `approved` a casework "decided".
 * `accepted`, `in-progress`, `decided` (and `rejected`) are what a body's system replies.
 */
export const SUBMISSION_STATUSES = [
  // Its form charges a fee not yet paid: kept, but not delivered (the fees module releases it).
  'awaiting-payment',
  'submitted',
  'received',
  'approved',
  'rejected',
  'accepted',
  'in-progress',
  'decided',
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface AnswerRow {
  question: string;
  answer: string;
}

/** The answers in words, question by question, in English and in Welsh. */
export interface AnswerSummary {
  en: AnswerRow[];
  cy: AnswerRow[];
}

/** What was asked and answered, with its words in both languages, as a submission is read. */
export interface SubmittedAnswers {
  /** The answers as validated: text, choices, addresses, files, repeated groups (JSON). */
  values: Record<string, unknown>;
  summary: AnswerSummary;
  /** What the form told the person would happen next, kept so the confirmation can say it again. */
  nextSteps?: { en: string; cy: string };
}

/**
 * The answers as stored. A submission made on the web keeps the summary the person checked; one
 * sent through the hub API keeps none (ADR 0009): its words are written when it is read, from
 * the form version it was checked against (`form_key`, `form_version`; see withSummary).
 */
export type StoredAnswers = Omit<SubmittedAnswers, 'summary'> & { summary?: AnswerSummary };

export interface SubmissionTable {
  id: Generated<string>;
  reference: string;
  /** The web draft it was made from; null when it came through the API. */
  draft_id: ColumnType<string | null, string | null | undefined, never>;
  service_id: string;
  organisation_id: string;
  /** The applicant's Joinedup account; null when a channel sent it for someone without one. */
  applicant_user_id: string | null;
  /** Who sent it: the applicant, or an agent acting for them (null if that account is gone). */
  submitted_by_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent business the sender acted through; null when the applicant sent it themselves. */
  agent_business_id: ColumnType<string | null, string | null | undefined, string | null>;
  answers: ColumnType<StoredAnswers, string, string>;
  status: SubmissionStatus;
  submitted_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  /** Who the applicant said they are, when a channel sent it. */
  applicant: ColumnType<ApplicantDetails | null, string | null | undefined, never>;
  /** `web`, or the API caller's channel label; `phone` or `face-to-face` when an adviser assisted. */
  channel: ColumnType<string, string | undefined, never>;
  /** The adviser who filled it in with the applicant (assisted digital, the crm module; 0041). */
  assisted_by_user_id: ColumnType<string | null, string | null | undefined, never>;
  /** The body whose hub key sent it, and the key (null for the web). */
  submitted_by_organisation_id: ColumnType<string | null, string | null | undefined, never>;
  submitted_by_key_id: ColumnType<string | null, string | null | undefined, never>;
  /** An intermediary's record of the person's consent. */
  on_behalf_of: ColumnType<OnBehalfOf | null, string | null | undefined, never>;
  idempotency_scope: ColumnType<string | null, string | null | undefined, never>;
  idempotency_key: ColumnType<string | null, string | null | undefined, never>;
  /** SHA-256 (hex) of the canonical request, so a reused Idempotency-Key can be compared. */
  request_sha256: ColumnType<string | null, string | null | undefined, never>;
  /** The version of the form definition the answers were checked against. */
  form_version: ColumnType<number | null, number | null | undefined, never>;
  /** That form's key, for a submission that keeps no summary (migration 0066); else null. */
  form_key: ColumnType<string | null, string | null | undefined, never>;
  /** Delivery order: the pull inbox's cursor. */
  seq: ColumnType<number, never, never>;
  /** A service for businesses: the business account applied for (migration 0028). */
  applicant_business_id: ColumnType<string | null, string | null | undefined, never>;
  /** The business or charity applied for, as it was when sent. */
  applicant_business: ColumnType<ApplicantBusiness | null, string | null | undefined, never>;
  /** When retention anonymised it (migration 0036): the person's details are gone. */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The eligibility rules' version in force when it was made (migration 0061): it is decided under it. */
  rule_set_version_id: ColumnType<string | null, string | null | undefined, never>;
}

/** The applicant as a channel describes them (all optional but at least a name or a contact). */
export interface ApplicantDetails {
  name?: string;
  email?: string;
  phone?: string;
}

/**
 * The business or charity an application is for (a form for businesses), kept as it was when
 * the application was sent: its account (`id`, when sent from one) and what it is called.
 */
export interface ApplicantBusiness {
  /** Its business account on Joinedup; absent when a body or an intermediary named it through the API. */
  id?: string;
  name: string;
  type?: 'business' | 'charity';
  companiesHouseNumber?: string;
  charityNumber?: string;
}

/** An intermediary acting for a person: its reference for the person's consent. */
export interface OnBehalfOf {
  consentReference: string;
  name?: string;
}

export interface SubmissionEventTable {
  id: Generated<number>;
  submission_id: string;
  status: SubmissionStatus;
  /** Strings for the web's events (reason, collectionDate, agent_name …); the hub's add `via`, `reasons` (string[]) and `decision`. */
  details: ColumnType<EventDetails, string | undefined, never>;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  occurred_at: Generated<Date>;
}

/**
 * What an event records beyond its status: text (a reason, a collection date, the agent's
 * name, `via` …), and for a body's rejection its `reasons`. Read text with {@link detailText}.
 */
export type EventDetails = Record<string, string | string[] | undefined>;

/** A text detail of an event ('' when absent or not text). */
export function detailText(details: EventDetails, key: string): string {
  const value = details[key];
  return typeof value === 'string' ? value : '';
}

/** `open311`: a reporting channel's key for /open311/v2 (the open311 module), for any body's area. */
export const HUB_KEY_SCOPES = ['submit', 'submit-any', 'receive', 'open311'] as const;
export type HubKeyScope = (typeof HUB_KEY_SCOPES)[number];

/** A body's hub API key; only a SHA-256 of its secret is kept. */
export interface HubApiKeyTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  scope: HubKeyScope;
  secret_sha256: string;
  /** The key's last characters, to recognise it in a list. */
  hint: string;
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** How a body takes its submissions; no row means Joinedup's casework. */
export interface HubDeliveryTable {
  organisation_id: string;
  mode: 'push' | 'pull';
  webhook_url: string | null;
  alert_email: string | null;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A webhook signing secret (derived, never stored); signs until it expires. */
export interface HubWebhookSecretTable {
  id: Generated<string>;
  organisation_id: string;
  created_at: Generated<Date>;
  expires_at: Date | null;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    submissions: SubmissionTable;
    submission_events: SubmissionEventTable;
    hub_api_keys: HubApiKeyTable;
    hub_delivery: HubDeliveryTable;
    hub_webhook_secrets: HubWebhookSecretTable;
  }
}

/** A submission as stored: its answers may have no summary (see StoredAnswers). */
export type StoredSubmissionRow = Selectable<SubmissionTable>;
/** A submission as the module's queries give it: its answers always in words (see withSummary). */
export type SubmissionRow = Omit<StoredSubmissionRow, 'answers'> & { answers: SubmittedAnswers };
export type SubmissionEventRow = Selectable<SubmissionEventTable>;
export type HubApiKeyRow = Selectable<HubApiKeyTable>;
export type HubDeliveryRow = Selectable<HubDeliveryTable>;
export type HubWebhookSecretRow = Selectable<HubWebhookSecretTable>;
