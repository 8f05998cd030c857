import type { ModuleManifest } from '../../platform/http/types.js';

/**
 * The address layer: postcodes, the areas they lie in, addresses with UPRNs and which body
 * provides a service at a postcode. It has no pages of its own: modules above it ask it
 * through its index.ts (`resolveProvider`) and show the answers on theirs.
 */
export const addressModule: ModuleManifest = {
  name: 'address',
};
