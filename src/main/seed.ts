import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/database.js';
import { seedDemoGeography } from '../modules/address/index.js';
import { seedDemoBookings } from '../modules/bookings/index.js';
import { seedDemoContactCentre } from '../modules/crm/index.js';
import { seedDemoPetitions } from '../modules/engagement/index.js';
import { seedDemoProcurement } from '../modules/procurement/index.js';
import { createDemoAgency, createDemoBusiness } from '../modules/agents/index.js';
import { seedBundledForms, seedDemoBusinessLicence } from '../modules/forms/index.js';
import { seedDemoCatalogue } from '../modules/catalogue/index.js';
import { seedDemoWorkflows } from '../modules/casework/index.js';
import { demoRegisterPeople, loadRegister } from '../modules/registers/index.js';
import { seedDemoFees } from '../modules/fees/index.js';
import { seedDemoSharing } from '../modules/sharing/index.js';
import { seedEnrolmentRecords } from '../modules/enrolment/index.js';
import { countUsers, createStaffUser, registerCitizen } from '../modules/identity/index.js';
import { seedDemoKnowledge } from '../modules/knowledge/index.js';
import { seedDemoPassports } from '../modules/passports/index.js';
import { seedDemoFreeSchoolMeals, seedDemoRules } from '../modules/rules/index.js';
import {
  createOrganisation,
  findOrganisationBySlug,
  type NewOrganisation,
} from '../modules/organisations/index.js';

/** Demo organisations: a two-tier area, a unitary, a Welsh council and two central departments. */
export const DEMO_ORGANISATIONS: NewOrganisation[] = [
  {
    slug: 'gloucestershire',
    name: 'Gloucestershire County Council',
    nameCy: 'Cyngor Sir Swydd Gaerloyw',
    type: 'county',
    gssCode: 'E10000013',
  },
  {
    slug: 'stroud',
    name: 'Stroud District Council',
    nameCy: 'Cyngor Dosbarth Stroud',
    type: 'district',
    gssCode: 'E07000082',
    parentSlug: 'gloucestershire',
  },
  {
    slug: 'cheltenham',
    name: 'Cheltenham Borough Council',
    nameCy: 'Cyngor Bwrdeistref Cheltenham',
    type: 'district',
    gssCode: 'E07000078',
    parentSlug: 'gloucestershire',
  },
  {
    slug: 'bristol',
    name: 'Bristol City Council',
    nameCy: 'Cyngor Dinas Bryste',
    type: 'unitary',
    gssCode: 'E06000023',
  },
  {
    slug: 'cardiff',
    name: 'Cardiff Council',
    nameCy: 'Cyngor Caerdydd',
    type: 'welsh-principal-area',
    gssCode: 'W06000015',
  },
  {
    slug: 'dwp',
    name: 'Department for Work and Pensions',
    nameCy: 'Yr Adran Gwaith a Phensiynau',
    type: 'central-department',
  },
  {
    slug: 'cabinet-office',
    name: 'Cabinet Office',
    nameCy: 'Swyddfa’r Cabinet',
    type: 'central-department',
  },
  {
    slug: 'glos-contact-centre',
    name: 'Gloucestershire Customer Contact Centre',
    nameCy: 'Canolfan Gyswllt Cwsmeriaid Swydd Gaerloyw',
    type: 'other',
  },
];

/** Demo sign-ins printed at start; the passwords are public, so these are for a demo only. */
export const DEMO_ACCOUNTS = [
  {
    email: 'citizen@example.com',
    who: 'a citizen who runs Stroud Valley Bakery Ltd (gives the demo agent authority for bulky waste and the small business grant)',
    password: 'demo-citizen-password',
    displayName: 'Sam Citizen',
    organisation: null,
    roles: [],
  },
  {
    email: 'caseworker@stroud.example.gov.uk',
    who: 'caseworker, Stroud District Council',
    password: 'demo-stroud-caseworker',
    displayName: 'Alex Caseworker',
    organisation: 'stroud',
    roles: ['caseworker'],
  },
  {
    email: 'team-leader@stroud.example.gov.uk',
    who: 'casework team leader, Stroud District Council (gets escalations and the overdue digest)',
    password: 'demo-stroud-team-leader',
    displayName: 'Kim Leader',
    organisation: 'stroud',
    roles: ['caseworker', 'team-leader'],
  },
  {
    email: 'caseworker@cheltenham.example.gov.uk',
    who: 'caseworker, Cheltenham Borough Council',
    password: 'demo-cheltenham-caseworker',
    displayName: 'Jo Caseworker',
    organisation: 'cheltenham',
    roles: ['caseworker'],
  },
  {
    email: 'caseworker@gloucestershire.example.gov.uk',
    who: 'caseworker, Gloucestershire County Council (receives Stroud’s referrals)',
    password: 'demo-gloucestershire-caseworker',
    displayName: 'Sol Caseworker',
    organisation: 'gloucestershire',
    roles: ['caseworker'],
  },
  {
    email: 'owner@stroud.example.gov.uk',
    who: 'service owner, Stroud District Council',
    password: 'demo-stroud-service-owner',
    displayName: 'Priya Owner',
    organisation: 'stroud',
    roles: ['service-owner'],
  },
  {
    email: 'counter@stroud.example.gov.uk',
    who: 'counter adviser, Stroud District Council',
    password: 'demo-stroud-counter-adviser',
    displayName: 'Robin Adviser',
    organisation: 'stroud',
    roles: ['counter-adviser'],
  },
  {
    email: 'adviser@glos-contact-centre.example.gov.uk',
    who: 'contact centre adviser, Gloucestershire Customer Contact Centre (answers for Stroud and the county)',
    password: 'demo-contact-centre-adviser',
    displayName: 'Ash Adviser',
    organisation: 'glos-contact-centre',
    roles: ['counter-adviser'],
  },
  {
    email: 'admin@cabinet-office.example.gov.uk',
    who: 'platform administrator',
    password: 'demo-platform-admin',
    displayName: 'Morgan Admin',
    organisation: 'cabinet-office',
    roles: ['platform-admin'],
  },
  {
    email: 'supplier@cotswold-cleaning.example.com',
    who: 'supplier, Cotswold Cleaning Services Ltd (registered at /procurement; Stroud and Cheltenham have an open cleaning opportunity)',
    password: 'demo-supplier-password',
    displayName: 'Dee Supplier',
    organisation: null,
    roles: [],
  },
  {
    email: 'agent@cotswold-accountants.example.com',
    who: 'agent, Cotswold Accountants LLP',
    password: 'demo-agent-password',
    displayName: 'Chris Agent',
    organisation: null,
    roles: [],
  },
] as const;

/** The demo agent business; the demo citizen has given it authority for bulky waste and the grant. */
export const DEMO_AGENCY = {
  name: 'Cotswold Accountants LLP',
  companiesHouseNumber: 'OC301234',
  agentEmail: 'agent@cotswold-accountants.example.com',
  clientEmail: 'citizen@example.com',
};

export const BULKY_WASTE_SLUG = 'request-a-bulky-waste-collection';

/** The demo citizen's business, so the small business grant (for businesses only) can be tried. */
export const DEMO_BUSINESS = {
  name: 'Stroud Valley Bakery Ltd',
  companiesHouseNumber: '09876543',
  administratorEmail: 'citizen@example.com',
};

/** A service for businesses: the demo agent may apply for it for the demo citizen's business. */
export const SMALL_BUSINESS_GRANT_SLUG = 'small-business-grant-stroud';

function unwrap<T>(
  outcome: ({ ok: true } & T) | { ok: false; errors: { field: string; message: string }[] },
  what: string,
): T {
  if (!outcome.ok)
    throw new Error(
      `Could not seed ${what}: ${outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    );
  return outcome;
}

/** True when the database has no accounts yet, so `npm start` seeds the demo once. */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/** Creates the demo organisations, the bulky waste service and the demo accounts, in one transaction. */
export async function seedDemo(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const organisation of DEMO_ORGANISATIONS)
      unwrap(await createOrganisation(trx, organisation), organisation.slug);
    const stroud = (await findOrganisationBySlug(trx, 'stroud'))!;
    // DWP's benefits register of 1,000 people, to prove identity online (README: "Proving identity").
    await loadRegister(trx, (await findOrganisationBySlug(trx, 'dwp'))!.id, demoRegisterPeople());
    // Stroud's Council Tax and business rates registers, for enrolment (README: "Enrolment").
    await seedEnrolmentRecords(trx, stroud.id);
    // The demo catalogue of the demo bodies' services, bulky waste among them (catalogue/demo/services.ts).
    const demoServices = await seedDemoCatalogue(trx);
    const bulkyWasteId = demoServices.get(BULKY_WASTE_SLUG)!;
    for (const account of DEMO_ACCOUNTS) {
      if (account.organisation === null) {
        unwrap(await registerCitizen(trx, account), account.email);
      } else {
        const organisation = (await findOrganisationBySlug(trx, account.organisation))!;
        unwrap(
          await createStaffUser(trx, {
            ...account,
            roles: [...account.roles],
            organisationId: organisation.id,
          }),
          account.email,
        );
      }
    }
    await createDemoBusiness(trx, DEMO_BUSINESS);
    await createDemoAgency(trx, {
      ...DEMO_AGENCY,
      serviceIds: [bulkyWasteId, demoServices.get(SMALL_BUSINESS_GRANT_SLUG)!],
    });
    // The platform's casework workflows; bulky waste's cases book a collection date on approval.
    await seedDemoWorkflows(trx, bulkyWasteId);
    // Postcodes of the demo areas and a few addresses (reference-data/onspd-demo.README.md).
    await seedDemoGeography(trx);
    // The forms shipped in src/modules/forms/definitions/*.json, as version 1 (if not there yet).
    await seedBundledForms(trx);
    // A penalty charge and a Council Tax instalment plan for the demo citizen, from Stroud.
    await seedDemoFees(trx);
    // Stroud's hall, pitch and first aid course; Gloucestershire's birth registration appointments.
    await seedDemoBookings(trx);
    // Tell us once: agreements with Stroud, Gloucestershire and DWP, and the demo citizen's records there.
    await seedDemoSharing(trx);
    // A live petition to Stroud past its response threshold, and one to Cheltenham to be checked.
    await seedDemoPetitions(trx);
    // A registered supplier and an open opportunity from Stroud buying with Cheltenham.
    await seedDemoProcurement(trx);
    // Advisers' knowledge base: contact points and routing rules of the demo bodies, Stroud's articles.
    await seedDemoKnowledge(trx);
    // The contact centre's sharing agreements with Stroud and Gloucestershire (the adviser's desk).
    await seedDemoContactCentre(trx);
    // Stroud's Council Tax Reduction eligibility rules, with their test cases (rules/demo/).
    await seedDemoRules(trx);
    await seedDemoFreeSchoolMeals(trx); // Free school meals decided by rules with DWP's evidence (rules/demo/).
    await seedDemoPassports(trx); // Pension Credit passports to Council Tax Reduction and a Blue Badge (passports/demo/).
    await seedDemoBusinessLicence(trx); // Cheltenham's business licence: Companies House number matched to the account (forms/demo/).
  });
}
