/**
 * The engagement module: petitions (and later consultations and the engagement home). Other
 * modules import only from here.
 */
export { engagementModule } from './module.js';
export { seedDemoPetitions } from './petitions/demo.js';
