/**
 * Makes the PGlite dumps the test run starts from (test/helpers/global-setup.ts), so CI can make
 * them while the type check and lint run, rather than alone at the start of the tests.
 */
import { preparePgliteDumps } from './global-setup.js';

const started = Date.now();
const { seeded } = await preparePgliteDumps();
console.log(`PGlite test dumps ready in ${Date.now() - started} ms: ${seeded}`);
