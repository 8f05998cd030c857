import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../../platform/config/config.js';
import type { Database } from '../../../platform/db/database.js';
import { notifyKeyCreate, notifyTemplateCreate } from '../commands/cli.js';

/** The config the test app runs with, for sealing keys the same way. */
export const testConfig = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent' });

/** Issues a key through the CLI command, as an operator would. */
export async function issueKey(
  db: Kysely<Database>,
  org: string,
  type: 'live' | 'team' | 'test',
  name?: string,
): Promise<string> {
  const result = await notifyKeyCreate(db, testConfig, [
    '--org',
    org,
    '--type',
    type,
    ...(name ? ['--name', name] : []),
  ]);
  if (result.code !== 0) throw new Error(result.err.join('\n'));
  return result.out[0]!;
}

/** Adds a template through the CLI command and returns its id. */
export async function addTemplate(
  db: Kysely<Database>,
  org: string,
  type: 'email' | 'sms' | 'letter',
  name: string,
  body: string,
  subject?: string,
): Promise<string> {
  const args = ['--org', org, '--type', type, '--name', name, '--body', body];
  if (subject) args.push('--subject', subject);
  const result = await notifyTemplateCreate(db, args);
  if (result.code !== 0) throw new Error(result.err.join('\n'));
  return result.out[0]!;
}

/** A Notify JWT for a key text, with an `iat` of our choosing. */
export function tokenFor(
  apiKey: string,
  iat = Math.round(Date.now() / 1000),
  iss?: string,
): string {
  const secret = apiKey.slice(-36);
  const serviceId = iss ?? apiKey.slice(-73, -37);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ iss: serviceId, iat })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Calls the API directly (for what the official client cannot send). */
export async function call(
  baseUrl: string,
  path: string,
  init: { method?: string; token?: string | null; body?: unknown } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
