/**
 * The retention module: each body's retention periods per record type, legal holds and the
 * nightly job that deletes or anonymises what is due. Other modules import only from here;
 * they take part by declaring `retention` record types in their manifests.
 */
export { retentionModule } from './module.js';
/** `joinedup retention:run [--dry-run]`. */
export { retentionRunCommand, reportLines, type RetentionCommandResult } from './cli.js';
export { runRetention, type RunOptions, type RunReport } from './commands/run.js';
export { monthsBefore } from './queries/policies.js';
