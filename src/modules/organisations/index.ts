/** The organisations module: the public bodies that publish services and employ staff. */
export { organisationsModule } from './module.js';
export { createOrganisation, type NewOrganisation } from './commands/create-organisation.js';
export {
  findOrganisationByGssCode,
  findOrganisationById,
  findOrganisationBySlug,
  findOrganisationBySlugOrGssCode,
  formatOrganisationLine,
  listOrganisations,
  listOrganisationsByIds,
  unknownOrganisationMessage,
} from './queries/organisations.js';
export { lookupGssCode } from './gss.js';
export { ORGANISATION_TYPES, type OrganisationRow, type OrganisationType } from './db/tables.js';
