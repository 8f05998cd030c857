/**
 * The crm module: the adviser's desk of contact centres and one-stop shops. Other modules
 * import only from here.
 */
export { crmModule } from './module.js';
export { isAdviser } from './policies/desk.js';
export { ITEM_KINDS, type ItemKind } from './db/tables.js';
export { makeAgreement } from './commands/agreements.js';
/** The demo contact centre's agreements with Stroud and Gloucestershire (src/main/seed.ts). */
export { DEMO_CONTACT_CENTRE_SLUG, seedDemoContactCentre } from './demo.js';
