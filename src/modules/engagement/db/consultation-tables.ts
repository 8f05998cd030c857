import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Question } from '../consultations/schema.js';

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
  questions: Json<Question[]>;
  sign_in_required: Generated<boolean>;
  published_by: Nullable<string>;
  published_at: Generated<Date>;
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
  answers: Json<Record<string, string>>;
  reference: Nullable<string>;
  started_at: Generated<Date>;
  submitted_at: Nullable<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    consultations: ConsultationTable;
    consultation_responses: ConsultationResponseTable;
  }
}

export type ConsultationRow = Selectable<ConsultationTable>;
export type ConsultationResponseRow = Selectable<ConsultationResponseTable>;
