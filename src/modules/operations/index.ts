/** The operations module: what platform administrators need to keep the platform running. */
export { operationsModule } from './module.js';
