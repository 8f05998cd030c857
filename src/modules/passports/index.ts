/**
 * The passports module: passported entitlements. "You get Pension Credit, so you can also get
 * Council Tax Reduction and a Blue Badge": a service owner declares what an approval on their
 * service passports to (with the reason in English and Welsh); an approval offers those services
 * to the person on their account and by e-mail; they apply or say no thanks. Other modules import
 * only from here (docs/guides/rules.md, "Passported entitlements").
 */
export { passportsModule } from './module.js';
/** Declaring and removing a service's passports (checked and audited). */
export {
  declarePassport,
  removePassport,
  type DeclarePassport,
  type DeclareOutcome,
} from './commands/passports.js';
/** Offers: made on an approval, answered by the person. */
export { offerPassportedServices, respondToOffer } from './commands/offers.js';
export { offersFor, openOfferCount, passportsFrom, type OfferView } from './queries/passports.js';
export { canDeclarePassports, mayAnswerOffers } from './policies/passports.js';
export { seedDemoPassports, DEMO_PASSPORTS } from './demo/seed.js';
