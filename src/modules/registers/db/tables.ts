import type { ColumnType, Generated, Selectable } from 'kysely';

/** One person as a public body's register holds them (the demo: DWP's benefits register). */
export interface RegisterPersonTable {
  id: Generated<string>;
  held_by: string;
  nino: string;
  given_name: string;
  family_name: string;
  /** Written as YYYY-MM-DD; compared in SQL so no time zone can move the day. */
  date_of_birth: ColumnType<Date, string, string>;
  postcode: string;
  address_line1: string;
  address_line2: string | null;
  town: string;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    register_people: RegisterPersonTable;
  }
}

export type RegisterPersonRow = Selectable<RegisterPersonTable>;
