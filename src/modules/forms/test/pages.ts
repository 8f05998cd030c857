/** Answering form pages over HTTP, as the journey tests of the forms module do. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { csrfToken, type Visitor } from '../../../../test/helpers/app.js';

/** GETs a page (for its CSRF token) and POSTs a form to it, for the person themselves. */
export async function answer(
  visitor: Visitor,
  path: string,
  fields: Record<string, string | string[]>,
) {
  const page = await visitor.get(path);
  expect(page.status, `GET ${path}`).toBe(200);
  return visitor.post(path, { actingFor: '', ...fields });
}

/**
 * Posts a multipart form as a browser sends a file page: the hidden fields, then the file
 * (an empty part when none is chosen), then the button pressed (`after`).
 */
export async function postFile(
  visitor: Visitor,
  path: string,
  file: { name: string; type: string; content: Buffer } | null,
  after: Record<string, string> = {},
  /** Whom the page is answered for: an agent's client's id, or '' for the person themselves. */
  actingFor = '',
) {
  const page = await visitor.get(path);
  const boundary = `----joinedup${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(field('_csrf', csrfToken(page.html)) + field('actingFor', actingFor)),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file?.name ?? ''}"\r\nContent-Type: ${file?.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file?.content ?? Buffer.alloc(0),
    Buffer.from('\r\n'),
    Buffer.from(
      Object.entries(after)
        .map(([k, v]) => field(k, v))
        .join(''),
    ),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const response = await fetch(visitor.baseUrl + path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: visitor.cookieHeader(),
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
  });
  return Object.assign(response, { html: await response.text() });
}
