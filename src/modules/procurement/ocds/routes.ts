import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../platform/errors/errors.js';
import type { AppContext } from '../../../platform/http/types.js';
import { findNoticeByOcid } from '../queries/notices.js';
import { releasePackage, releasesOf, type Release } from './releases.js';

const MAX_NOTICES = 1000;

/**
 * Notices and awards as Open Contracting Data Standard 1.1 release packages, at stable URLs:
 * `/procurement/ocds/releases/<ocid>.json` (every release of one contracting process) and
 * `/procurement/ocds/releases.json` (every release of the newest notices), with the publication
 * policy at `/procurement/ocds`.
 */
export function ocdsRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const base = context.config.baseUrl;

  app.get('/procurement/ocds', async (_request, reply) =>
    reply.view('modules/procurement/ocds/policy.njk', { baseUrl: base }),
  );

  app.get('/procurement/ocds/releases.json', async (_request, reply) => {
    const now = new Date();
    const notices = await db
      .selectFrom('procurement_notices')
      .selectAll()
      .orderBy('published_at', 'desc')
      .orderBy('id')
      .limit(MAX_NOTICES)
      .execute();
    const releases: Release[] = [];
    for (const notice of notices) releases.push(...(await releasesOf(db, notice, now)));
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('access-control-allow-origin', '*')
      .send(releasePackage(`${base}/procurement/ocds/releases.json`, base, releases, now));
  });

  app.get('/procurement/ocds/releases/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const ocid = /^(ocds-[a-z0-9]{6}-[0-9a-f-]{36})\.json$/.exec(file)?.[1];
    const notice = ocid ? await findNoticeByOcid(db, ocid) : undefined;
    if (!notice) throw notFound({ ocid: file });
    const now = new Date();
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('access-control-allow-origin', '*')
      .send(
        releasePackage(
          `${base}/procurement/ocds/releases/${notice.ocid}.json`,
          base,
          await releasesOf(db, notice, now),
          now,
        ),
      );
  });
}
