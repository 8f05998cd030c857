/** The catalogue module: services published by public bodies and the front door that finds them. */
export { catalogueModule } from './module.js';
export { publishService, type NewService } from './commands/publish-service.js';
export type { ServiceLevel } from './db/tables.js';
export {
  findPublishedService,
  findPublishedServiceById,
  searchServices,
  type PublicService,
} from './queries/services.js';
