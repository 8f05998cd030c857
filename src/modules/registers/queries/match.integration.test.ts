import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/helpers/database.js';
import { createOrganisation, findOrganisationBySlug } from '../../organisations/index.js';
import { loadRegister } from '../commands/load-register.js';
import { DEMO_CITIZEN_FACTS, demoRegisterPeople } from '../demo/generator.js';
import { countRegisterPeople, matchPerson } from './match.js';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let dwp: string;
let other: string;
const SAM = {
  givenName: 'Sam',
  familyName: 'Citizen',
  dateOfBirth: '1985-07-14',
  nino: 'JG103759A',
  postcode: 'GL5 4UB',
};

beforeAll(async () => {
  database = await freshDatabase();
  const db = database.db;
  await createOrganisation(db, { slug: 'dwp', name: 'DWP', type: 'central-department' });
  await createOrganisation(db, { slug: 'hmrc', name: 'HMRC', type: 'central-department' });
  dwp = (await findOrganisationBySlug(db, 'dwp'))!.id;
  other = (await findOrganisationBySlug(db, 'hmrc'))!.id;
  await db.transaction().execute((trx) => loadRegister(trx, dwp, demoRegisterPeople()));
});
afterAll(async () => {
  await database?.close();
});

describe('matching known facts against a register', () => {
  it('holds the 1,000 demo people', async () => {
    expect(await countRegisterPeople(database.db, dwp)).toBe(1000);
  });

  it('matches when all four facts agree, and gives only a reference, never the record', async () => {
    const result = await matchPerson(database.db, {
      ...SAM,
      heldBy: dwp,
      givenName: 'SAM ',
      nino: 'jg 10 37 59 a',
      postcode: 'gl5 4ub',
    });
    expect(result).toEqual({ matched: true, personId: expect.any(String) });
    expect(Object.keys(result).sort()).toEqual(['matched', 'personId']);
  });

  it('does not match when any one fact is wrong', async () => {
    for (const wrong of [
      { givenName: 'Samantha' },
      { familyName: 'Citizens' },
      { dateOfBirth: '1985-07-15' },
      { nino: 'JG103759B' },
      { postcode: 'GL5 4UA' },
      { nino: 'not a number' },
    ]) {
      expect(
        await matchPerson(database.db, { ...SAM, ...wrong, heldBy: dwp }),
        JSON.stringify(wrong),
      ).toEqual({
        matched: false,
      });
    }
  });

  it('matches only against the register of the body asked', async () => {
    expect(await matchPerson(database.db, { ...SAM, heldBy: other })).toEqual({ matched: false });
    expect(DEMO_CITIZEN_FACTS.nino).toBe(SAM.nino);
  });

  it('matches a generated person, so the whole register is searchable', async () => {
    const person = demoRegisterPeople()[500]!;
    expect(
      await matchPerson(database.db, {
        heldBy: dwp,
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirth: person.dateOfBirth,
        nino: person.nino,
        postcode: person.postcode,
      }),
    ).toMatchObject({ matched: true });
  });
});
