import type { Kysely, Transaction } from 'kysely';

/**
 * The whole schema as Kysely sees it. It starts empty: each module adds its own tables
 * by declaration merging in its `db/tables.ts`, so the platform never names a module's table.
 *
 * @example
 * declare module '../../../platform/db/database.js' {
 *   interface Database { submissions: SubmissionTable }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

/** A connection or an open transaction: repositories take either, the caller decides. */
export type Db = Kysely<Database> | Transaction<Database>;
