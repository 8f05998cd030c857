import type { ColumnType, Generated, Selectable } from 'kysely';

export const SUBMISSION_STATUSES = ['submitted', 'received', 'approved', 'rejected'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface AnswerRow {
  question: string;
  answer: string;
}

/** What was asked and answered, kept as the person saw it in both languages when they sent it. */
export interface SubmittedAnswers {
  values: Record<string, string | string[]>;
  summary: { en: AnswerRow[]; cy: AnswerRow[] };
}

export interface SubmissionTable {
  id: Generated<string>;
  reference: string;
  draft_id: string;
  service_id: string;
  organisation_id: string;
  applicant_user_id: string;
  /** Who sent it: the applicant, or an agent acting for them (null if that account is gone). */
  submitted_by_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent business the sender acted through; null when the applicant sent it themselves. */
  agent_business_id: ColumnType<string | null, string | null | undefined, string | null>;
  answers: ColumnType<SubmittedAnswers, string, string>;
  status: SubmissionStatus;
  submitted_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SubmissionEventTable {
  id: Generated<number>;
  submission_id: string;
  status: SubmissionStatus;
  details: ColumnType<Record<string, string>, string | undefined, never>;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  occurred_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    submissions: SubmissionTable;
    submission_events: SubmissionEventTable;
  }
}

export type SubmissionRow = Selectable<SubmissionTable>;
export type SubmissionEventRow = Selectable<SubmissionEventTable>;
