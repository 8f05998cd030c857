import type { ColumnType, Selectable } from 'kysely';
import type { CustomerGroup, LifeEvent } from '../../catalogue/index.js';

/** A jsonb column read as T and written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;

/**
 * What a person chose to tell us, to have services suggested: life events and customer groups
 * (the catalogue's vocabularies). One row a person; no row when they told us nothing.
 */
export interface PersonalInterestsTable {
  user_id: string;
  life_events: Json<LifeEvent[]>;
  customer_groups: Json<CustomerGroup[]>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    personal_interests: PersonalInterestsTable;
  }
}

export type PersonalInterestsRow = Selectable<PersonalInterestsTable>;
