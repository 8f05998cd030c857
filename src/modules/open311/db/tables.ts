import type { ColumnType, Generated, Selectable } from 'kysely';

/**
 * Where a reported problem is (migration 0027): one row per report, by its submission. The
 * reporter's answers and contact details stay with the submission; this holds only what the
 * public lists show, and what finds a report by place and time.
 */
export interface Open311RequestTable {
  submission_id: string;
  /** The submission's reference: Open311's service_request_id. */
  reference: string;
  /** The catalogue's service key: Open311's service_code. */
  service_code: string;
  organisation_id: string;
  service_id: string;
  /** The district (or unitary) the place is in: the public list's area. */
  district_gss: string | null;
  postcode: string;
  latitude: number;
  longitude: number;
  /** Street level only: never a house number or name. */
  public_address: string;
  media_url: string | null;
  channel: 'open311' | 'web';
  key_id: string | null;
  requested_at: Generated<Date>;
}

/** A "Report a problem" journey in progress (see journey/state.ts for the state). */
export interface Open311JourneyTable {
  id: Generated<string>;
  state: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    open311_requests: Open311RequestTable;
    open311_journeys: Open311JourneyTable;
  }
}

export type Open311RequestRow = Selectable<Open311RequestTable>;
export type Open311JourneyRow = Selectable<Open311JourneyTable>;
