import type { ModuleManifest } from '../platform/http/types.js';
import { catalogueModule } from '../modules/catalogue/index.js';
import { caseworkModule } from '../modules/casework/index.js';
import { formsModule } from '../modules/forms/index.js';
import { identityModule } from '../modules/identity/index.js';
import { operationsModule } from '../modules/operations/index.js';
import { organisationsModule } from '../modules/organisations/index.js';
import { submissionsModule } from '../modules/submissions/index.js';

/** Every capability the platform runs, in the order their hooks and routes are registered. */
export const MODULES: ModuleManifest[] = [
  identityModule,
  organisationsModule,
  catalogueModule,
  formsModule,
  submissionsModule,
  caseworkModule,
  operationsModule,
];
