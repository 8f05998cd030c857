import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A jsonb column read as T and written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;
/** A bigint column of pence: both drivers read it as a number (src/platform/db/connect.ts). */
type Pence = number;

/** A question suppliers answer in their tender. */
export interface TenderQuestion {
  text: string;
}

/** A weighted award criterion; the weights of a notice add up to 100. */
export interface AwardCriterion {
  name: string;
  weight: number;
}

/** The panel's score for one criterion: 0 to 10, with the reason. */
export interface CriterionScore {
  score: number;
  comment: string;
}

export type NoticeStatus = 'open' | 'awarded' | 'cancelled';
export type OrderStatus = 'ordered' | 'received' | 'invoiced' | 'approved';

export interface ProcurementSupplierTable {
  id: Generated<string>;
  business_id: string;
  company_number: string;
  vat_number: string | null;
  is_sme: boolean;
  sectors: ColumnType<string[], string[], string[]>;
  regions: ColumnType<string[], string[], string[]>;
  alerts: Generated<boolean>;
  registered_by: Nullable<string>;
  registered_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProcurementNoticeTable {
  id: Generated<string>;
  ocid: string;
  organisation_id: string;
  title: string;
  description: string;
  value_min_pence: Pence;
  value_max_pence: Pence;
  cpv_codes: ColumnType<string[], string[], string[]>;
  region: string;
  sme_suitable: boolean;
  clarification_deadline: Date;
  tender_deadline: Date;
  questions: Json<TenderQuestion[]>;
  criteria: Json<AwardCriterion[]>;
  /**
   * The tender questions as a forms-engine definition (jsonb, migration 0058), or null: then
   * `questions` are asked as long-text questions q1, q2 … (notices/questions.ts).
   */
  question_form: ColumnType<unknown, string | null | undefined, string | null>;
  status: ColumnType<NoticeStatus, NoticeStatus | undefined, NoticeStatus>;
  version: Generated<number>;
  published_by: Nullable<string>;
  published_at: Date;
  updated_at: Date;
}

export interface ProcurementNoticeBuyerTable {
  notice_id: string;
  organisation_id: string;
}

export interface ProcurementNoticeVersionTable {
  notice_id: string;
  version: number;
  snapshot: Json<Record<string, unknown>>;
  replaced_by: Nullable<string>;
  replaced_at: Date;
  change_summary: string;
}

export interface ProcurementClarificationTable {
  id: Generated<string>;
  notice_id: string;
  supplier_id: Nullable<string>;
  asked_by: Nullable<string>;
  question: string;
  answer: Nullable<string>;
  asked_at: Date;
  answered_by: Nullable<string>;
  answered_at: Nullable<Date>;
}

export interface ProcurementResponseTable {
  id: Generated<string>;
  notice_id: string;
  supplier_id: string;
  /** Answers by question name (forms engine); a list for tenders kept before (read as q1, q2 …). */
  answers: Json<unknown>;
  price_pence: Pence;
  notice_version: number;
  submitted_by: Nullable<string>;
  submitted_at: Date;
}

export interface ProcurementEvaluationTable {
  response_id: string;
  scores: Json<CriterionScore[]>;
  version: Generated<number>;
  updated_by: Nullable<string>;
  updated_at: Date;
  agreed_by: Nullable<string>;
  agreed_at: Nullable<Date>;
}

export interface ProcurementAwardTable {
  id: Generated<string>;
  notice_id: string;
  response_id: string;
  supplier_id: string;
  value_pence: Pence;
  reasons: string;
  awarded_by: Nullable<string>;
  awarded_at: Date;
}

export interface ProcurementOrderTable {
  id: Generated<string>;
  award_id: string;
  reference: string;
  description: string;
  amount_pence: Pence;
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
  ordered_by: Nullable<string>;
  ordered_at: Date;
  received_at: Nullable<Date>;
  /** When the order was fully approved for payment (approved invoices cover its value). */
  approved_by: Nullable<string>;
  approved_at: Nullable<Date>;
}

export type InvoiceStatus = 'submitted' | 'approved' | 'rejected';

/** One invoice against an order; an order has several, up to its value (migration 0058). */
export interface ProcurementInvoiceTable {
  id: Generated<string>;
  order_id: string;
  supplier_id: string;
  invoice_number: string;
  amount_pence: Pence;
  /** The date on the invoice (a `date`; read it with `to_char`, drivers differ). */
  invoice_date: ColumnType<unknown, string | null | undefined, string | null>;
  status: ColumnType<InvoiceStatus, InvoiceStatus | undefined, InvoiceStatus>;
  submitted_by: Nullable<string>;
  submitted_at: Date;
  approved_by: Nullable<string>;
  approved_at: Nullable<Date>;
  rejected_reason: Nullable<string>;
  rejected_by: Nullable<string>;
  rejected_at: Nullable<Date>;
}

/** A file a buyer attached to its notice. */
export interface ProcurementNoticeDocumentTable {
  id: Generated<string>;
  notice_id: string;
  attachment_id: string;
  added_by: Nullable<string>;
  added_at: Generated<Date>;
}

/** A file a supplier attached to its (sealed) tender for a notice. */
export interface ProcurementTenderDocumentTable {
  id: Generated<string>;
  notice_id: string;
  supplier_id: string;
  attachment_id: string;
  added_by: Nullable<string>;
  added_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    procurement_suppliers: ProcurementSupplierTable;
    procurement_notices: ProcurementNoticeTable;
    procurement_notice_buyers: ProcurementNoticeBuyerTable;
    procurement_notice_versions: ProcurementNoticeVersionTable;
    procurement_clarifications: ProcurementClarificationTable;
    procurement_responses: ProcurementResponseTable;
    procurement_evaluations: ProcurementEvaluationTable;
    procurement_awards: ProcurementAwardTable;
    procurement_orders: ProcurementOrderTable;
    procurement_invoices: ProcurementInvoiceTable;
    procurement_notice_documents: ProcurementNoticeDocumentTable;
    procurement_tender_documents: ProcurementTenderDocumentTable;
  }
}

export type SupplierRow = Selectable<ProcurementSupplierTable>;
export type NoticeRow = Selectable<ProcurementNoticeTable>;
export type ClarificationRow = Selectable<ProcurementClarificationTable>;
export type ResponseRow = Selectable<ProcurementResponseTable>;
export type EvaluationRow = Selectable<ProcurementEvaluationTable>;
export type AwardRow = Selectable<ProcurementAwardTable>;
export type OrderRow = Selectable<ProcurementOrderTable>;
export type InvoiceRow = Selectable<ProcurementInvoiceTable>;
