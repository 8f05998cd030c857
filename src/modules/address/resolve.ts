import type { Db } from '../../platform/db/database.js';
import { findOrganisationByGssCode, lookupGssCode } from '../organisations/index.js';
import { parsePostcode } from './postcode.js';
import { districtsOfSector, findPostcodeArea } from './queries/postcodes.js';

/** The tier of government that provides a service (issue 4: central, county, district, unitary, any). */
export const PROVIDER_TIERS = ['central', 'county', 'district', 'unitary', 'any-local'] as const;
export type ProviderTier = (typeof PROVIDER_TIERS)[number];

export function isProviderTier(value: unknown): value is ProviderTier {
  return (PROVIDER_TIERS as readonly unknown[]).includes(value);
}

/** The body responsible for a postcode: on the platform (organisation set) or known only by its GSS code. */
export interface Provider {
  gssCode: string;
  /** The organisation's name when it is on the platform; otherwise the ONS area name ('South Gloucestershire'). */
  name: string;
  nameCy: string | null;
  /** 'county' in a two-tier area's county; 'district' in its district; 'unitary' where one council does both. */
  level: 'county' | 'district' | 'unitary';
  organisation: { id: string; slug: string; name: string; nameCy: string | null } | null;
}

/**
 * Why a postcode gives no body: not typed, not shaped like a postcode, not in the directory,
 * no longer used, not for a place (PO boxes, some large users) or in no local authority area.
 */
export type ResolveProblem =
  'required' | 'malformed' | 'unknown' | 'terminated' | 'non-geographic' | 'no-authority';

export type Resolution =
  | {
      ok: true;
      postcode: string;
      tier: ProviderTier;
      /** null for central government services: no local body is needed. */
      provider: Provider | null;
      /** True when a county and a district share the area's services. */
      twoTier: boolean;
      /**
       * True when the postcode's sector straddles a council boundary: ONSPD still places each
       * postcode in one district (that of most of its addresses), which is what we use.
       */
      boundarySector: boolean;
    }
  | { ok: false; problem: ResolveProblem; postcode?: string; terminated?: string };

async function provider(db: Db, gssCode: string, level: Provider['level']): Promise<Provider> {
  const organisation = await findOrganisationByGssCode(db, gssCode);
  if (organisation)
    return {
      gssCode,
      name: organisation.name,
      nameCy: organisation.name_cy,
      level,
      organisation: {
        id: organisation.id,
        slug: organisation.slug,
        name: organisation.name,
        nameCy: organisation.name_cy,
      },
    };
  return {
    gssCode,
    name: lookupGssCode(gssCode)?.name ?? gssCode,
    nameCy: null,
    level,
    organisation: null,
  };
}

/**
 * Which body provides a service of a given tier at a postcode, from the ONS Postcode Directory
 * rows in postcode_areas. In a two-tier area 'district' gives the district council (waste
 * collection, planning) and 'county' the county council (waste disposal, schools); a unitary
 * or Welsh principal area serves both tiers; 'unitary' and 'any-local' give the council at
 * district level; 'central' needs no local body.
 *
 * @example await resolveProvider(db, 'GL5 4UB', 'county') // → Gloucestershire County Council
 */
export async function resolveProvider(
  db: Db,
  input: string,
  tier: ProviderTier,
): Promise<Resolution> {
  const parsed = parsePostcode(input);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const { postcode } = parsed;
  const row = await findPostcodeArea(db, postcode);
  if (!row) return { ok: false, problem: 'unknown', postcode };
  if (row.terminated)
    return { ok: false, problem: 'terminated', postcode, terminated: row.terminated };
  if (!row.geographic) return { ok: false, problem: 'non-geographic', postcode };
  if (!row.district_gss) return { ok: false, problem: 'no-authority', postcode };
  const twoTier = row.county_gss !== null;
  const boundarySector = (await districtsOfSector(db, row.sector)).length > 1;
  if (tier === 'central')
    return { ok: true, postcode, tier, provider: null, twoTier, boundarySector };
  const body =
    tier === 'county' && row.county_gss
      ? await provider(db, row.county_gss, 'county')
      : await provider(db, row.district_gss, twoTier ? 'district' : 'unitary');
  return { ok: true, postcode, tier, provider: body, twoTier, boundarySector };
}
