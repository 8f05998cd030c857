/**
 * The baseline of bench/submissions.ts: a bare Fastify server with one route that stores the
 * JSON body as it came, one INSERT into a scratch table the bench makes, through the same Kysely
 * database (and pool) as the platform, and answers 202 with the row's id. No key, no
 * validation, no transaction, no outbox: the floor under any submission endpoint.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.js';

export const SCRATCH_TABLE = 'bench_baseline_submissions';

export async function startBaseline(db: Db): Promise<FastifyInstance> {
  await sql`create table if not exists ${sql.table(SCRATCH_TABLE)} (
    id bigserial primary key,
    body jsonb not null,
    received_at timestamptz not null default now()
  )`.execute(db);
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/submissions', async (request, reply) => {
    const { rows } = await sql<{ id: string }>`insert into ${sql.table(SCRATCH_TABLE)} (body)
      values (${JSON.stringify(request.body)}::jsonb) returning id`.execute(db);
    return reply.code(202).send({ id: rows[0]!.id });
  });
  return app;
}
