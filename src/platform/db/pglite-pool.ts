import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * Presents an embedded PGlite database as the one-connection pool Kysely's PostgreSQL
 * dialect expects. PGlite is a single session, so callers queue for it: a transaction
 * holds the connection until it commits, exactly as one pooled pg connection would.
 */
export class PGlitePool implements PostgresPool {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => released);
    await previous;
    const pglite = this.pglite;
    return {
      async query<R>(query: string | { text: string }, parameters: ReadonlyArray<unknown>) {
        // A named (prepared) statement's query config, as pg takes it: PGlite runs its text.
        const sql = typeof query === 'string' ? query : query.text;
        // Without parameters, use the simple protocol so a migration file may hold many statements.
        const result =
          parameters.length === 0
            ? ((await pglite.exec(sql)).at(-1) ?? { rows: [], affectedRows: 0 })
            : await pglite.query<R>(sql, parameters as unknown[]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows as R[],
        };
      },
      release,
    } as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.queue;
    await this.pglite.close();
  }
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const match = /\b(insert|update|delete|merge)\b/i.exec(sql);
  return (match?.[1]?.toUpperCase() ?? 'SELECT') as PostgresQueryResult<unknown>['command'];
}
