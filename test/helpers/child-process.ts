import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { copyTemplate } from './global-setup.js';

/** The repository root, so children run the CLI from source wherever the test runner started. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The arguments to `node` that run the Joinedup CLI: the build (`dist/main/cli.js`, what
 * `npm start` runs) when it is newer than every source file, as it is in CI, which builds
 * first; otherwise the source through tsx, which costs each child seconds more to start.
 */
export const CLI_ARGS: readonly string[] = (() => {
  const entry = path.join(PROJECT_ROOT, 'dist', 'main', 'cli.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSource(path.join(PROJECT_ROOT, 'src')))
    return [entry];
  return ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'main', 'cli.ts')];
})();

function newestSource(directory: string): number {
  let newest = 0;
  for (const item of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (item.name.endsWith('.ts') && !item.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** A port nothing is listening on right now: bind port 0, read the port, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('No port was assigned'))));
    });
  });
}

/** Settings that must never leak from the test runner's environment into a child. */
const SCRUBBED = [
  'DATABASE_URL',
  'SMTP_URL',
  'BASE_URL',
  'PORT',
  'HOST',
  'DATA_DIR',
  'WORKER',
  'LOG_LEVEL',
  'NODE_OPTIONS',
];

/**
 * Runs one `joinedup <args>` command to its end with `env` (the runner's own settings scrubbed,
 * as for {@link startJoinedup}) and gives back what it printed, trimmed.
 *
 * @example const key = await runJoinedup({ DATA_DIR, DATABASE_URL }, 'hub:key:create', '--org', 'stroud', '--scope', 'submit');
 */
export async function runJoinedup(env: Record<string, string>, ...args: string[]): Promise<string> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of SCRUBBED) delete childEnv[name];
  const { stdout } = await promisify(execFile)(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...childEnv, ...env },
  });
  return stdout.trim();
}

export interface RunningJoinedup {
  child: ChildProcess;
  /** Where to send requests (127.0.0.1, so no IPv6 `localhost` surprises). */
  baseUrl: string;
  /** Everything the child wrote to stdout and stderr so far, for failure messages. */
  output(): string;
  /** Resolves with the exit code and signal once the child has exited (at once if it already has). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, then wait for the exit: the crash under test. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not gone within `graceMs`. Safe to call more than once. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `joinedup <command>` as a real child process (`node` running the CLI itself, so the
 * child *is* the app: a signal sent to it reaches the app, not a wrapper) and waits for the
 * "Joinedup is running at" banner.
 */
export async function startJoinedup(options: {
  env: Record<string, string>;
  command?: string;
  readyTimeoutMs?: number;
}): Promise<RunningJoinedup> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of SCRUBBED) delete env[name];
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [...CLI_ARGS, options.command ?? 'start'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const tail = () => output.slice(-4000);

  const running: RunningJoinedup = {
    child,
    baseUrl: '',
    output: () => output,
    exited: () => exit,
    async kill() {
      if (!hasExited()) child.kill('SIGKILL');
      return exit;
    },
    async stop(graceMs = 10_000) {
      if (hasExited()) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const gone = await Promise.race([
        exit.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
      ]);
      clearTimeout(timer);
      if (!gone && !hasExited()) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };

  const timeoutMs = options.readyTimeoutMs ?? 45_000;
  const banner = /Joinedup is running at (https?:\/\/\S+)/;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`Joinedup did not start within ${timeoutMs} ms. Output:\n${tail()}`)),
        timeoutMs,
      );
      const check = () => {
        if (!banner.test(output)) return;
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      };
      child.stdout!.on('data', check);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      void exit.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new Error(
            `Joinedup exited (code ${code}, signal ${signal}) before it was ready. Output:\n${tail()}`,
          ),
        );
      });
      check();
    });
  } catch (error) {
    await running.stop(2_000);
    throw error;
  }
  const url = new URL(banner.exec(output)![1]!);
  running.baseUrl = `http://127.0.0.1:${url.port}`;
  return running;
}

/**
 * A new, empty database on the PostgreSQL server at `serverUrl` (as test/helpers/database.ts
 * makes), left unmigrated so the child's own `start` migrates it. `drop()` removes it.
 */
export async function throwAwayDatabase(
  serverUrl: string,
  options: { seeded?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ju_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // A copy of the run's migrated, seeded template (test/helpers/global-setup.ts).
    if (options.seeded) await copyTemplate(admin, name, inject('seededDatabase'));
    else await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** The smallest cookie jar that works for one site: name → value, honouring deletions. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', val = ''] = a.split('=').map((s) => s.trim());
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface PageResponse {
  status: number;
  /** The Location header of a redirect, else null. */
  location: string | null;
  text: string;
}

/** The value of a hidden (or any) input named `name` in an HTML page, or undefined. */
export function inputValue(html: string, name: string): string | undefined {
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    if (!new RegExp(`\\bname="${name}"`).test(tag)) continue;
    return /\bvalue="([^"]*)"/
      .exec(tag)?.[1]
      ?.replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'");
  }
  return undefined;
}

/**
 * A browser-like client for the HTML pages: keeps cookies, does not follow redirects (tests
 * look at them), and remembers the last `_csrf` token a page carried so a form can be posted.
 */
export class PageClient {
  csrf: string | undefined;
  /** A request that takes longer than this fails, rather than hanging the test. */
  timeoutMs = 10_000;

  constructor(
    public baseUrl: string,
    readonly jar = new CookieJar(),
  ) {}

  async get(pathname: string): Promise<PageResponse> {
    return this.request(pathname, { method: 'GET' });
  }

  /** Posts a form (with the latest `_csrf` token unless the fields give one). */
  async post(pathname: string, fields: Record<string, string | string[]>): Promise<PageResponse> {
    const body = new URLSearchParams();
    if (!('_csrf' in fields)) {
      if (!this.csrf)
        throw new Error(`No _csrf token yet: GET a page with a form before posting to ${pathname}`);
      body.append('_csrf', this.csrf);
    }
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    return this.request(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  private async request(pathname: string, init: RequestInit): Promise<PageResponse> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header();
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(new URL(pathname, this.baseUrl), {
      ...init,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    this.jar.store(response.headers);
    const text = await response.text();
    const token = inputValue(text, '_csrf');
    if (token) this.csrf = token;
    return { status: response.status, location: response.headers.get('location'), text };
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; what: string | (() => string) },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const what = typeof options.what === 'function' ? options.what() : options.what;
      throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/**
 * Fills `dataDir` (a child's DATA_DIR) with a copy of the run's migrated database seeded with
 * the demo, so a child started on it skips the minute of migrating and seeding from scratch.
 */
export async function seededDataDir(dataDir: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const loadDataDir = new Blob([await readFile(inject('seededDatabase'))]);
  const pglite = await PGlite.create({ dataDir: path.join(dataDir, 'pglite'), loadDataDir });
  await pglite.close();
}
