import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ModuleManifest } from '../../../platform/http/types.js';
import { attachmentApiRoutes } from '../api/routes.js';
import { acceptUploads, receiveUpload } from '../upload.js';

/** The bearer token the test API route takes, for the organisation given in the test. */
export const TEST_API_TOKEN = 'test-body-key';

/** Where the test module serves the upload API, beside the hub's real one. */
export const TEST_API_PREFIX = '/api/test';

/**
 * A module for tests only, using the attachments module exactly as a form page or the hub does:
 * `GET /test/upload` shows a CSRF token; `POST /test/upload?max=…&accept=…` takes the file and
 * answers the outcome and the other fields as JSON; `POST /api/test/api/v1/attachments` with a bearer
 * token that names an organisation.
 */
export function uploadTestModule(apiOrganisationId: () => string): ModuleManifest {
  return {
    name: 'attachments-test',
    routes(app: FastifyInstance) {
      app.get('/test/upload', async (_request, reply) => {
        const token = reply.generateCsrf();
        return reply
          .type('text/html')
          .send(`<form><input type="hidden" name="_csrf" value="${token}"></form>`);
      });
      void app.register(async (scope) => {
        await acceptUploads(scope);
        scope.post('/test/upload', async (request) => {
          const query = request.query as { max?: string; accept?: string };
          const outcome = await receiveUpload(request, {
            maxBytes: Number(query.max ?? 5 * 1024 * 1024),
            accept: query.accept ? query.accept.split(',') : [],
            ownerUserId: request.user?.id ?? null,
          });
          return { outcome, body: request.body };
        });
      });
      // The hub serves the real /api/v1/attachments with its keys; this one takes a test token.
      void app.register(
        async (scope) => {
          attachmentApiRoutes(scope, async (request) =>
            request.headers.authorization === `Bearer ${TEST_API_TOKEN}`
              ? { organisationId: apiOrganisationId() }
              : null,
          );
        },
        { prefix: TEST_API_PREFIX },
      );
    },
  };
}

/** A browser, as far as uploads need one: a cookie jar, forms and multipart posts. */
export class UploadClient {
  private cookies = new Map<string, string>();
  lastHtml = '';

  constructor(private readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const value = pair!.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line))
        this.cookies.delete(pair!.slice(0, index));
      else this.cookies.set(pair!.slice(0, index), value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response & { bytes: Buffer }> {
    const response = await fetch(this.baseUrl + path, {
      redirect: 'manual',
      ...init,
      headers: { cookie: this.cookieHeader(), ...(init.headers as Record<string, string>) },
    });
    this.remember(response);
    const bytes = Buffer.from(await response.arrayBuffer());
    if ((response.headers.get('content-type') ?? '').includes('text/html'))
      this.lastHtml = bytes.toString('utf8');
    return Object.assign(response, { bytes });
  }

  async get(path: string) {
    return this.request(path);
  }

  csrf(): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!match) throw new Error('No CSRF token on the last page');
    return match[1]!;
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.get('/sign-in');
    const body = new URLSearchParams({ _csrf: this.csrf(), email, password, returnTo: '/' });
    const response = await this.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    if (response.status !== 303) throw new Error(`Sign-in as ${email} failed: ${response.status}`);
  }

  /**
   * Posts multipart/form-data as a browser does, parts in the order given; a file is
   * `{ name, data }`. With `csrf` (the default) the token from /test/upload goes first.
   */
  async upload(
    path: string,
    parts: [string, string | { name: string; data: Buffer }][],
    options: { csrf?: 'first' | 'last' | 'none'; headers?: Record<string, string> } = {},
  ) {
    const where = options.csrf ?? 'first';
    if (where !== 'none') await this.get('/test/upload');
    const token = where === 'none' ? '' : this.csrf();
    const form = new FormData();
    if (where === 'first') form.append('_csrf', token);
    for (const [field, value] of parts) {
      if (typeof value === 'string') form.append(field, value);
      else form.append(field, new Blob([new Uint8Array(value.data)]), value.name);
    }
    if (where === 'last') form.append('_csrf', token);
    const response = await this.request(path, {
      method: 'POST',
      body: form,
      headers: options.headers ?? {},
    });
    return Object.assign(response, {
      data: () => JSON.parse(response.bytes.toString('utf8')) as Record<string, unknown>,
    });
  }
}

/** A raw HTTP request (fetch always sends a length): for chunked bodies and early answers. */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}
