import type { Generated, Selectable } from 'kysely';

/** One postcode unit and the areas the ONS Postcode Directory places it in. */
export interface PostcodeAreaTable {
  postcode: string;
  sector: string;
  district_gss: string | null;
  county_gss: string | null;
  country_gss: string | null;
  ward_gss: string | null;
  parish_gss: string | null;
  geographic: boolean;
  latitude: number | null;
  longitude: number | null;
  user_type: number | null;
  introduced: string | null;
  terminated: string | null;
  imported_at: Generated<Date>;
}

/** An addressable property in BS 7666 structure, keyed by its UPRN. */
export interface AddressTable {
  uprn: string;
  saon: string | null;
  paon: string;
  street: string | null;
  locality: string | null;
  town: string;
  postcode: string;
  imported_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    postcode_areas: PostcodeAreaTable;
    addresses: AddressTable;
  }
}

export type PostcodeAreaRow = Selectable<PostcodeAreaTable>;
export type AddressRow = Selectable<AddressTable>;
