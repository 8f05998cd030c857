import type { ColumnType, Generated, Selectable } from 'kysely';
import type { StoredQuestions } from '../consultations/questions.js';
import type { ConsultationTopic } from '../consultations/topics.js';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A jsonb column read as T and written as its JSON text. */
type Json<T> = ColumnType<T, string | undefined, string>;

/** A consultation a body published (migration 0040). */
export interface ConsultationTable {
  id: Generated<string>;
  organisation_id: string;
  title: string;
  summary: string;
  body: string;
  audience: string;
  opens_on: string;
  closes_on: string;
  area_districts: ColumnType<string[], string[] | undefined, string[]>;
  /** Slot questions, or a forms-engine definition of its own (consultations/questions.ts). */
  questions: Json<StoredQuestions>;
  sign_in_required: Generated<boolean>;
  published_by: Nullable<string>;
  published_at: Generated<Date>;
  /** "You said, we did" (migration 0044). */
  outcome: Nullable<string>;
  outcome_published_at: Nullable<Date>;
  outcome_published_by: Nullable<string>;
  withdrawn_at: Nullable<Date>;
  withdrawn_reason: Nullable<string>;
  withdrawn_by: Nullable<string>;
  /** The optional Welsh and easy-read versions (migration 0044). */
  title_cy: Nullable<string>;
  summary_cy: Nullable<string>;
  body_cy: Nullable<string>;
  easy_read: Nullable<string>;
  /** One of the fixed topics, for subscriptions (migration 0050). */
  topic: ColumnType<ConsultationTopic, ConsultationTopic | undefined, ConsultationTopic>;
  /** Its version: 1, and one more each time it is edited after a response (migration 0050). */
  version: Generated<number>;
}

/** A version of a consultation replaced by an edit after responses, kept as it was (migration 0050). */
export interface ConsultationVersionTable {
  consultation_id: string;
  version: number;
  title: string;
  summary: string;
  body: string;
  audience: string;
  topic: ConsultationTopic;
  opens_on: string;
  closes_on: string;
  area_districts: string[];
  questions: Json<StoredQuestions>;
  sign_in_required: boolean;
  title_cy: string | null;
  summary_cy: string | null;
  body_cy: string | null;
  easy_read: string | null;
  replaced_at: Generated<Date>;
  replaced_by: Nullable<string>;
}

export type RespondentType = 'individual' | 'organisation';

/** A response: a draft until `submitted_at` (migration 0040). */
export interface ConsultationResponseTable {
  id: Generated<string>;
  consultation_id: string;
  token_hash: string;
  user_id: Nullable<string>;
  respondent_type: RespondentType;
  organisation_name: Nullable<string>;
  /**
   * By question name as the forms engine keeps them; a response to slot questions sent before
   * question forms keeps them by question number (read through `answersOf`).
   */
  answers: Json<Record<string, unknown>>;
  reference: Nullable<string>;
  started_at: Generated<Date>;
  submitted_at: Nullable<Date>;
  /** Moderation (migration 0044): held until a moderator releases it. */
  held_reasons: ColumnType<string[], string[] | undefined, string[]>;
  held: Generated<boolean>;
  reviewed_by: Nullable<string>;
  reviewed_at: Nullable<Date>;
  notify_email: Nullable<string>;
  language: Generated<'en' | 'cy'>;
  anonymised_at: Nullable<Date>;
  return_token_hash: Nullable<string>;
  return_expires_at: Nullable<Date>;
  /** The consultation's version the response answered (migration 0050). */
  version: Generated<number>;
}

export type RedactionReason = 'personal-data' | 'abuse';

/** One redaction of one answer or organisation name (migration 0044). */
export interface ConsultationRedactionTable {
  id: Generated<string>;
  response_id: string;
  field: string;
  reason: RedactionReason;
  passages: number;
  original: Nullable<string>;
  redacted_by: Nullable<string>;
  redacted_at: Generated<Date>;
}

/** A theme staff define for one consultation (migration 0044). */
export interface ConsultationThemeTable {
  id: Generated<string>;
  consultation_id: string;
  name: string;
  created_by: Nullable<string>;
  created_at: Generated<Date>;
}

/** A free-text answer tagged with a theme (migration 0044). */
export interface ConsultationAnswerThemeTable {
  response_id: string;
  question_index: number;
  theme_id: string;
  tagged_by: Nullable<string>;
  tagged_at: Generated<Date>;
}

/** A file attached to a consultation, held by the attachments module (migration 0050). */
export interface ConsultationDocumentTable {
  id: Generated<string>;
  consultation_id: string;
  attachment_id: string;
  added_by: Nullable<string>;
  added_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    consultations: ConsultationTable;
    consultation_documents: ConsultationDocumentTable;
    consultation_versions: ConsultationVersionTable;
    consultation_responses: ConsultationResponseTable;
    consultation_redactions: ConsultationRedactionTable;
    consultation_themes: ConsultationThemeTable;
    consultation_answer_themes: ConsultationAnswerThemeTable;
  }
}

export type ConsultationRow = Selectable<ConsultationTable>;
export type ConsultationVersionRow = Selectable<ConsultationVersionTable>;
export type ConsultationResponseRow = Selectable<ConsultationResponseTable>;
export type ConsultationThemeRow = Selectable<ConsultationThemeTable>;
export type ConsultationRedactionRow = Selectable<ConsultationRedactionTable>;
