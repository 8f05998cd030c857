import type { ColumnType, Generated, Selectable } from 'kysely';

/** Whom a type's question is about: a person (the basic identity set), an address (UPRN) or a business. */
export const SUBJECT_KINDS = ['person', 'address', 'business'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** What an answer is: yes or no, or one value of a type. Nothing more is ever sent back. */
export const ANSWER_KINDS = ['yes-no', 'text', 'number', 'date'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** How a body answers: from a table it keeps in Joinedup, by signed webhook, or by pulling a queue. */
export const ANSWERED_BY = ['table', 'webhook', 'pull'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

export type ConsentState = 'not-needed' | 'given' | 'refused' | 'withdrawn';
export type RequestStatus = 'waiting' | 'sent' | 'answered' | 'failed' | 'not-sent';

/** Words in English and Welsh. */
export interface Words {
  en: string;
  cy: string;
}

/**
 * How a type's question and answers are said to the person: `ask` ("whether you receive
 * Pension Credit"), `yes`/`no` for a yes/no type, `value` ("your council tax band is {value}").
 */
export interface Wording {
  ask: Words;
  yes?: Words;
  no?: Words;
  value?: Words;
}

/** The one answer: `{ "value": true }`, `{ "value": "D" }`. */
export interface EvidenceValue {
  value: boolean | string | number;
}

export interface EvidenceTypeTable {
  id: Generated<string>;
  organisation_id: string;
  code: string;
  name: string;
  name_cy: string;
  wording: ColumnType<Wording, string, string>;
  subject_kind: SubjectKind;
  answer_kind: AnswerKind;
  legal_basis: ColumnType<string, string | undefined, string>;
  legal_basis_reference: ColumnType<string, string | undefined, string>;
  consent_needed: boolean;
  sla_seconds: number;
  answered_by: AnsweredBy;
  webhook_url: string | null;
  status: ColumnType<'published' | 'withdrawn', 'published' | 'withdrawn' | undefined>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface EvidenceTableRowTable {
  type_id: string;
  subject_key: string;
  answer: ColumnType<EvidenceValue, string, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface EvidenceRequestTable {
  id: Generated<string>;
  type_id: string;
  answering_organisation_id: string;
  requesting_organisation_id: string;
  user_id: string | null;
  journey_key: string;
  subject: ColumnType<Record<string, string>, string, string>;
  subject_key: string;
  subject_digest: string;
  consent: ConsentState;
  consent_at: Date | null;
  status: RequestStatus;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  via: ColumnType<AnsweredBy | null, AnsweredBy | null | undefined, AnsweredBy | null>;
  attempts: ColumnType<number, number | undefined, number>;
  due_at: Date;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  answer: ColumnType<EvidenceValue | null, string | null | undefined, string | null>;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  signature: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  /** When the retention job removed who it was about, what was sent and the answer. */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    evidence_types: EvidenceTypeTable;
    evidence_table_rows: EvidenceTableRowTable;
    evidence_requests: EvidenceRequestTable;
  }
}

export type EvidenceTypeRow = Selectable<EvidenceTypeTable>;
export type EvidenceTableRow = Selectable<EvidenceTableRowTable>;
export type EvidenceRequestRow = Selectable<EvidenceRequestTable>;
