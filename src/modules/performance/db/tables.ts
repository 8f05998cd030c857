import type { ColumnType, Selectable } from 'kysely';

/**
 * The channels a transaction comes by, in the words of the performance platform: online
 * self-service, online by an agent or intermediary, assisted digital by phone, face to face and
 * post. Every submission maps to one (see `channelOf`).
 */
export const TRANSACTION_CHANNELS = [
  'online',
  'online-agent',
  'phone',
  'face-to-face',
  'post',
] as const;
export type TransactionChannel = (typeof TRANSACTION_CHANNELS)[number];

/** The channels that count as digital take-up. */
export const DIGITAL_CHANNELS: readonly TransactionChannel[] = ['online', 'online-agent'];

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DayColumn = ColumnType<string, string, string>;

export interface PerformanceTransactionTable {
  submission_id: string;
  service_id: string;
  organisation_id: string;
  channel: TransactionChannel;
  draft_id: string | null;
  assisted: ColumnType<boolean, boolean | undefined, boolean>;
  started_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  submitted_at: Timestamp;
  decided_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  due_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  feedback_given: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface PerformanceJourneyTable {
  draft_id: string;
  service_id: string;
  organisation_id: string;
  started_at: Timestamp;
  last_page: string;
  last_step_at: Timestamp;
  completed_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface DailyTransactionsTable {
  day: DayColumn;
  service_id: string;
  organisation_id: string;
  channel: TransactionChannel;
  transactions: number;
}

export interface DailyDecisionsTable {
  day: DayColumn;
  service_id: string;
  organisation_id: string;
  hours: number;
  decisions: number;
  with_deadline: number;
  within_deadline: number;
}

export interface DailyJourneysTable {
  day: DayColumn;
  service_id: string;
  organisation_id: string;
  started: number;
  completed: number;
}

export interface DailyDropoffTable {
  day: DayColumn;
  service_id: string;
  organisation_id: string;
  page: string;
  journeys: number;
}

export interface FeedbackTable {
  id: ColumnType<string, string | undefined, never>;
  service_id: string;
  organisation_id: string;
  rating: number;
  comment: string;
  day: DayColumn;
}

export interface DailySatisfactionTable {
  day: DayColumn;
  service_id: string;
  organisation_id: string;
  rating: number;
  responses: number;
}

export interface UnitCostTable {
  organisation_id: string;
  channel: TransactionChannel;
  pence: number;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export const EXEMPTIONS = ['legal', 'operational'] as const;
export type Exemption = (typeof EXEMPTIONS)[number];

export interface EEnablementTable {
  service_id: string;
  interaction_type: string;
  organisation_id: string;
  applicable: boolean;
  exemption: Exemption | null;
  exemption_reason: string;
  e_enabled: boolean;
  channels: ColumnType<string[], string, string>;
  target_date: ColumnType<string | null, string | null, string | null>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface EEnablementHistoryTable {
  organisation_id: string;
  day: DayColumn;
  counted: number;
  e_enabled: number;
}

/** One body a change of circumstances was for (tell us once): to be told, and told. */
export interface SharingDeliveryFactTable {
  delivery_id: string;
  change_id: string;
  organisation_id: string;
  day: DayColumn;
  due: boolean;
  delivered: boolean;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    performance_sharing_deliveries: SharingDeliveryFactTable;
    performance_transactions: PerformanceTransactionTable;
    performance_journeys: PerformanceJourneyTable;
    performance_daily_transactions: DailyTransactionsTable;
    performance_daily_decisions: DailyDecisionsTable;
    performance_daily_journeys: DailyJourneysTable;
    performance_daily_dropoff: DailyDropoffTable;
    performance_feedback: FeedbackTable;
    performance_daily_satisfaction: DailySatisfactionTable;
    performance_unit_costs: UnitCostTable;
    performance_e_enablement: EEnablementTable;
    performance_e_enablement_history: EEnablementHistoryTable;
  }
}

export type TransactionFact = Selectable<PerformanceTransactionTable>;
export type JourneyFact = Selectable<PerformanceJourneyTable>;
export type EEnablementRow = Selectable<EEnablementTable>;
