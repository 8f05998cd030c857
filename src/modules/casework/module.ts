import type { ModuleManifest } from '../../platform/http/types.js';
import { hasRole } from '../identity/index.js';
import { caseworkRoutes } from './pages/routes.js';

/** Casework: staff of a public body work their own organisation's queue and decide. */
export const caseworkModule: ModuleManifest = {
  name: 'casework',
  routes: caseworkRoutes,
  navigation: [
    { text: 'casework.nav', href: '/casework', visibleTo: (user) => hasRole(user, 'caseworker') },
  ],
};
