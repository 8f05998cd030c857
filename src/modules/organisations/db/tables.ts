import type { Generated, Selectable } from 'kysely';

export const ORGANISATION_TYPES = [
  'central-department',
  'executive-agency',
  'county',
  'district',
  'metropolitan-district',
  'london-borough',
  'unitary',
  'welsh-principal-area',
  'scottish-council',
  'northern-ireland-district',
  'fire-authority',
  'police-authority',
  'other',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export interface OrganisationTable {
  id: Generated<string>;
  slug: string;
  gss_code: string | null;
  name: string;
  name_cy: string | null;
  type: OrganisationType;
  parent_id: string | null;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    organisations: OrganisationTable;
  }
}

export type OrganisationRow = Selectable<OrganisationTable>;
