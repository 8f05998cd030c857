/**
 * The performance module: measures of every service (take-up, completion, satisfaction, cost,
 * time to decision, BVPI 157 e-enablement) from what happens in Joinedup, its dashboards and its
 * open data. Other modules import only from here.
 */
export { performanceModule } from './module.js';
export { loadMeasures, type Measures, type Scope } from './queries/measures.js';
export { TRANSACTION_CHANNELS, type TransactionChannel } from './db/tables.js';
/** `joinedup performance:backfill`: facts for what happened before the module was installed. */
export { performanceBackfillCommand } from './commands/backfill.js';
