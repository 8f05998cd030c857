/** The catalogue module: services published by public bodies and the front door that finds them. */
export { catalogueModule } from './module.js';
export { publishService, type NewService } from './commands/publish-service.js';
export type { ServiceContent, ServiceLevel } from './db/tables.js';
export {
  findPublishedService,
  findPublishedServiceById,
  publishedServiceTitles,
  findServices,
  findVersionOfService,
  searchServices,
  servicesWithKey,
  MAX_QUERY_LENGTH,
  type PublicService,
  type SearchResult,
  type ServiceSearch,
  type TranslatedPart,
} from './queries/services.js';
/** Every published service of some bodies: the performance module's e-enablement register lists them. */
export { listPublishedServices, type ServiceListing } from './queries/services.js';
/** Services that apply through a form, and who may edit them: the forms editor's policy asks these. */
export { servicesWithForms, type ServiceWithForm } from './queries/form-services.js';
/** Any service with its owner: the rules module's editor asks `canEditService` of it. */
export {
  ownedService,
  ownedServices,
  ownedServicesForStaff,
  type OwnedServiceSummary,
} from './queries/form-services.js';
export { canEditService, canManageCatalogue, type OwnedService } from './policies/services.js';
/** How a service page resolves a postcode to the providing body, for the knowledge module's "which body?". */
export { postcodeTier } from './pages/service/routes.js';
export { postcodeProblemView, type PostcodeProblemView } from './pages/postcode-problems.js';
/** The demo catalogue, seeded idempotently by `src/main/seed.ts`. */
export { seedDemoCatalogue } from './demo/seed.js';
export { DEMO_SERVICES } from './demo/services.js';
/** Vocabularies of the service model, with English and Welsh labels. */
export {
  AUDIENCES,
  BUSINESS_STAGES,
  CATEGORIES,
  CHANNEL_KINDS,
  CUSTOMER_GROUPS,
  INTERACTION_TYPES,
  LIFE_EVENTS,
  PROVIDER_TIERS,
  labelOf,
  type Audience,
  type BusinessStage,
  type Category,
  type Channel,
  type CustomerGroup,
  type Interaction,
  type InteractionType,
  type LifeEvent,
  type ProviderTier,
} from './vocabularies.js';
