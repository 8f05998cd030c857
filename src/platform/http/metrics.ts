import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { outboxSummary } from '../outbox/outbox.js';
import type { AppContext } from './types.js';

/**
 * Prometheus metrics at /metrics: request counts and durations by route pattern (never the raw
 * URL, which could hold a reference), the outbox's backlog and dead letters, and Node's own.
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

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: reply.statusCode });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
