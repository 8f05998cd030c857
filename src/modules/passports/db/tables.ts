import type { Generated, Selectable } from 'kysely';

/** What an approval on one service passports to: another service, and why (migration 0062). */
export interface PassportTable {
  id: Generated<string>;
  from_service_id: string;
  to_service_id: string;
  reason_en: string;
  reason_cy: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type OfferStatus = 'offered' | 'accepted' | 'declined';

/** One service offered to one person because one of their applications was approved. */
export interface PassportedOfferTable {
  id: Generated<string>;
  user_id: string;
  submission_id: string;
  passport_id: string | null;
  from_service_id: string;
  to_service_id: string;
  reason_en: string;
  reason_cy: string;
  status: Generated<OfferStatus>;
  offered_at: Generated<Date>;
  responded_at: Date | null;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    passports: PassportTable;
    passported_offers: PassportedOfferTable;
  }
}

export type PassportRow = Selectable<PassportTable>;
export type PassportedOfferRow = Selectable<PassportedOfferTable>;
