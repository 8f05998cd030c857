import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { outboxHealth, outboxSummary } from '../outbox/outbox.js';
import type { AppContext } from './types.js';

/** The sign-in form's route: a refusal there counts as a sign-in failure. */
const SIGN_IN_ROUTE = '/sign-in';

/**
 * Prometheus metrics at /metrics: request counts and durations by route pattern (never the raw
 * URL, which could hold a reference), the outbox's backlog, the age of its oldest due message
 * and its failed deliveries by topic, refused sign-ins, and Node's own.
 */
export function registerMetrics(app: FastifyInstance, context: AppContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'joinedup_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'joinedup_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'joinedup_outbox_messages',
    help: 'Outbox messages by state (pending, dead, done)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const summary = await outboxSummary(context.db);
      for (const [state, count] of Object.entries(summary)) this.set({ state }, count);
    },
  });

  new Gauge({
    name: 'joinedup_outbox_oldest_due_seconds',
    help: 'How long the oldest due outbox message has waited (0 when none is due)',
    registers: [registry],
    async collect() {
      this.set((await outboxHealth(context.db)).oldestDueSeconds);
    },
  });
  // Delivery failures: messages being retried after an error, and dead ones, by topic.
  new Gauge({
    name: 'joinedup_outbox_failed_messages',
    help: 'Outbox messages whose delivery failed, by topic and state (retrying, dead)',
    labelNames: ['topic', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { topic, retrying, dead } of (await outboxHealth(context.db)).failing) {
        this.set({ topic, state: 'retrying' }, retrying);
        this.set({ topic, state: 'dead' }, dead);
      }
    },
  });
  const signInFailures = new Counter({
    name: 'joinedup_sign_in_failures_total',
    help: 'Refused sign-ins: wrong or missing details (400) or too many attempts (429)',
    labelNames: ['status'],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: reply.statusCode });
    if (request.method === 'POST' && route === SIGN_IN_ROUTE && reply.statusCode >= 400)
      signInFailures.inc({ status: reply.statusCode });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  const token = context.config.METRICS_TOKEN;
  app.get('/metrics', async (request, reply) => {
    if (token !== undefined && !bearerMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return reply.code(401).type('text/plain').send('A metrics token is needed.\n');
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

/** Compares digests, so neither the token's length nor its first wrong character shows in the timing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
