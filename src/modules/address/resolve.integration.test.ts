import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.js';
import { addressesAtPostcode, formatAddress } from './queries/postcodes.js';
import { resolveProvider, type Resolution } from './resolve.js';

function body(resolution: Resolution): string | null | undefined {
  return resolution.ok
    ? (resolution.provider?.organisation?.slug ?? resolution.provider?.name ?? null)
    : undefined;
}

describe('which body provides a service at a postcode', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  const db = () => database.db;

  beforeAll(async () => {
    database = await freshDatabase({ seeded: true });
  }, 60_000);
  afterAll(async () => database?.close());

  it('sends waste collection in Stroud to the district and waste disposal and schools to the county', async () => {
    const collection = await resolveProvider(db(), 'gl5 4ub', 'district');
    expect(collection).toMatchObject({ ok: true, postcode: 'GL5 4UB', twoTier: true });
    expect(body(collection)).toBe('stroud');
    expect(body(await resolveProvider(db(), 'GL5 4UB', 'county'))).toBe('gloucestershire');
    expect(body(await resolveProvider(db(), 'GL50 1PP', 'district'))).toBe('cheltenham');
    expect(body(await resolveProvider(db(), 'GL50 1PP', 'county'))).toBe('gloucestershire');
  });

  it('sends every tier to the unitary council in Bristol and the principal area in Cardiff', async () => {
    for (const tier of ['district', 'county', 'unitary', 'any-local'] as const) {
      expect(body(await resolveProvider(db(), 'BS1 5TR', tier))).toBe('bristol');
      expect(body(await resolveProvider(db(), 'CF10 4UW', tier))).toBe('cardiff');
    }
    const bristol = await resolveProvider(db(), 'BS1 5TR', 'county');
    expect(bristol).toMatchObject({
      ok: true,
      twoTier: false,
      provider: { level: 'unitary', gssCode: 'E06000023' },
    });
  });

  it('needs no local body for a central government service', async () => {
    expect(await resolveProvider(db(), 'GL5 4UB', 'central')).toMatchObject({
      ok: true,
      provider: null,
    });
  });

  it('names a council that is not on the platform from the ONS list of areas', async () => {
    const gloucester = await resolveProvider(db(), 'GL1 2TG', 'district');
    expect(gloucester).toMatchObject({
      ok: true,
      provider: { gssCode: 'E07000081', name: 'Gloucester', level: 'district', organisation: null },
    });
    expect(body(await resolveProvider(db(), 'GL1 2TG', 'county'))).toBe('gloucestershire');
  });

  it('says why a postcode gives no body: missing, malformed, unknown, terminated or not for a place', async () => {
    expect(await resolveProvider(db(), '  ', 'district')).toEqual({
      ok: false,
      problem: 'required',
    });
    expect(await resolveProvider(db(), 'GL5', 'district')).toEqual({
      ok: false,
      problem: 'malformed',
    });
    expect(await resolveProvider(db(), 'gl5 9zz', 'district')).toEqual({
      ok: false,
      problem: 'unknown',
      postcode: 'GL5 9ZZ',
    });
    expect(await resolveProvider(db(), 'GL5 2ZZ', 'district')).toEqual({
      ok: false,
      problem: 'terminated',
      postcode: 'GL5 2ZZ',
      terminated: '201504',
    });
    expect(await resolveProvider(db(), 'CF99 1SN', 'unitary')).toEqual({
      ok: false,
      problem: 'non-geographic',
      postcode: 'CF99 1SN',
    });
  });

  it('places a postcode in a sector split by a council boundary in the one district its ONSPD row gives', async () => {
    // BS16 1 holds postcodes of Bristol and of South Gloucestershire; each unit postcode has one district.
    const frenchay = await resolveProvider(db(), 'BS16 1QY', 'district');
    expect(frenchay).toMatchObject({
      ok: true,
      boundarySector: true,
      provider: { gssCode: 'E06000025', name: 'South Gloucestershire' },
    });
    const bristolSide = await db()
      .selectFrom('postcode_areas')
      .select('postcode')
      .where('sector', '=', 'BS16 1')
      .where('district_gss', '=', 'E06000023')
      .executeTakeFirstOrThrow();
    const bristol = await resolveProvider(db(), bristolSide.postcode, 'district');
    expect(bristol).toMatchObject({ ok: true, boundarySector: true });
    expect(body(bristol)).toBe('bristol');
    // GL12 straddles Stroud and South Gloucestershire by sector, so neither sector is split.
    const wotton = await db()
      .selectFrom('postcode_areas')
      .select('postcode')
      .where('sector', '=', 'GL12 7')
      .executeTakeFirstOrThrow();
    expect(await resolveProvider(db(), wotton.postcode, 'district')).toMatchObject({
      ok: true,
      boundarySector: false,
    });
    expect(body(await resolveProvider(db(), wotton.postcode, 'district'))).toBe('stroud');
  });

  it('lists the demo addresses at a postcode in BS 7666 order', async () => {
    const addresses = await addressesAtPostcode(db(), 'GL5 4UB');
    expect(addresses.map((a) => a.uprn)).toEqual(['900000000001', '900000000002', '900000000003']);
    expect(formatAddress(addresses[1]!)).toBe(
      'Flat 1, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB',
    );
    expect(
      formatAddress({
        saon: null,
        paon: '12',
        street: 'High Street',
        locality: null,
        town: 'Stroud',
        postcode: 'GL5 1AA',
      }),
    ).toBe('12 High Street, Stroud, GL5 1AA');
  });
});
