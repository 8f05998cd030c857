import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A calendar date, `YYYY-MM-DD`. */
type CalendarDate = ColumnType<string, string, string>;

export type RequestStatus = 'received' | 'extended' | 'responded';

/** A subject access request to one body; the bodies asked together share `request_group`. */
export interface SubjectAccessRequestTable {
  id: Generated<string>;
  request_group: string;
  reference: string;
  user_id: string;
  organisation_id: string;
  details: ColumnType<string, string | undefined, never>;
  received_at: ColumnType<Date, Date | undefined, never>;
  received_on: ColumnType<string, string, never>;
  due_on: CalendarDate;
  status: ColumnType<RequestStatus, RequestStatus | undefined, RequestStatus>;
  extended_months: Nullable<number>;
  extension_reason: Nullable<string>;
  extended_by: Nullable<string>;
  extended_at: Nullable<Date>;
  response_note: Nullable<string>;
  responded_by: Nullable<string>;
  responded_at: Nullable<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    subject_access_requests: SubjectAccessRequestTable;
  }
}

export type SubjectAccessRequestRow = Selectable<SubjectAccessRequestTable>;
