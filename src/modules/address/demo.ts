import { createReadStream } from 'node:fs';
import type { Db } from '../../platform/db/database.js';
import { projectPath } from '../../platform/paths.js';
import { importAddresses, importOnspd } from './commands/import-onspd.js';

/** The demo extract of the ONS Postcode Directory: see reference-data/onspd-demo.README.md. */
export const DEMO_ONSPD_FILE = projectPath('reference-data', 'onspd-demo.csv');
export const DEMO_ADDRESSES_FILE = projectPath('reference-data', 'addresses-demo.csv');

/**
 * Loads the demo postcodes (Stroud, Cheltenham, Gloucester, Bristol, South Gloucestershire,
 * Cardiff) and a few addresses, in the caller's transaction.
 */
export async function seedDemoGeography(
  trx: Db,
): Promise<{ postcodes: number; addresses: number }> {
  const postcodes = await importOnspd(trx, createReadStream(DEMO_ONSPD_FILE, 'utf8'));
  const addresses = await importAddresses(trx, createReadStream(DEMO_ADDRESSES_FILE, 'utf8'));
  return { postcodes: postcodes.written, addresses: addresses.written };
}
