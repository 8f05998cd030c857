/**
 * The address module: postcode parsing, the ONS Postcode Directory's postcode → area table,
 * addresses with UPRNs (BS 7666) and which body provides a service at a postcode.
 */
export { addressModule } from './module.js';
export { parsePostcode, type ParsedPostcode, type PostcodeProblem } from './postcode.js';
export {
  PROVIDER_TIERS,
  isProviderTier,
  resolveProvider,
  type Provider,
  type ProviderTier,
  type Resolution,
  type ResolveProblem,
} from './resolve.js';
export {
  importAddresses,
  importOnspd,
  type ImportOptions,
  type ImportReport,
} from './commands/import-onspd.js';
export { addressImport, geoImportOnspd, type ImportCommandResult } from './commands/cli.js';
export { seedDemoGeography } from './demo.js';
export {
  addressesAtPostcode,
  authoritiesOfPostcodeDistrict,
  findAddressByUprn,
  findPostcodeArea,
  findPostcodeAreas,
  formatAddress,
  metresBetween,
  nearestPostcode,
  type NearbyPostcode,
} from './queries/postcodes.js';
export type { AddressRow, PostcodeAreaRow } from './db/tables.js';
