import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../platform/config/config.js';
import { projectPath } from '../../../platform/paths.js';
import { disposeFileStore, fileStoreFor } from './configured.js';
import { FileMissingError, newStorageKey } from './file-store.js';
import { LocalFileStore } from './local.js';
import { S3FileStore } from './s3.js';
import { authorization, type SigningInput } from './sigv4.js';

function failingStream(): Readable {
  return new Readable({
    read() {
      this.push(Buffer.from('half a file'));
      this.destroy(new Error('connection lost'));
    },
  });
}

describe('the local file store', () => {
  let directory: string;
  let store: LocalFileStore;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'joinedup-store-test-'));
    store = new LocalFileStore(directory);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps a file under its random key, gives it back and deletes it', async () => {
    const key = newStorageKey();
    await store.put(key, Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    const file = path.join(directory, key.slice(0, 2), key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await text(await store.get(key))).toBe('hello world');
    await store.delete(key);
    await expect(store.get(key)).rejects.toBeInstanceOf(FileMissingError);
    await store.delete(key); // again: not an error
  });

  it('keeps nothing of a stream that fails half way', async () => {
    const key = newStorageKey();
    await expect(store.put(key, failingStream())).rejects.toThrow('connection lost');
    expect(readdirSync(path.join(directory, key.slice(0, 2)))).toEqual([]);
  });

  it('refuses keys that are not its own random names, so no key is a path', async () => {
    await expect(store.get('../../etc/passwd')).rejects.toThrow('Not a storage key');
    await expect(store.put('letter.pdf', Readable.from([]))).rejects.toThrow('Not a storage key');
  });

  it('refuses to keep files where the web server serves them', () => {
    expect(
      () =>
        new LocalFileStore(projectPath('public', 'uploads'), {
          forbidden: [projectPath('public')],
        }),
    ).toThrow(/must not be inside/);
  });
});

describe('the configured store', () => {
  it('is DATA_DIR/files by default, and a temporary folder removed at close for an in-memory database', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'joinedup-data-'));
    try {
      const onDisk = fileStoreFor(loadConfig({ DATA_DIR: data })) as LocalFileStore;
      expect(onDisk.directory).toBe(path.join(data, 'files'));
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
    const config = loadConfig({ DATA_DIR: ':memory:' });
    const temporary = fileStoreFor(config) as LocalFileStore;
    expect(fileStoreFor(config)).toBe(temporary);
    expect(existsSync(temporary.directory)).toBe(true);
    disposeFileStore(config);
    expect(existsSync(temporary.directory)).toBe(false);
  });

  it('will not start with FILE_STORE=s3 unless the bucket and credentials are all given', () => {
    try {
      loadConfig({ FILE_STORE: 's3', S3_BUCKET: 'files' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'S3_ENDPOINT: must be set when FILE_STORE is s3',
        'S3_ACCESS_KEY_ID: must be set when FILE_STORE is s3',
        'S3_SECRET_ACCESS_KEY: must be set when FILE_STORE is s3',
      ]);
    }
    const config = loadConfig({
      FILE_STORE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'files',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(fileStoreFor(config)).toBeInstanceOf(S3FileStore);
    expect(config.UPLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
  });
});

/**
 * A tiny S3 stand-in: it checks each request's SigV4 signature the way S3 does (recomputing it
 * from what arrived), that the payload hash is the body's, and keeps objects in memory.
 */
function fakeS3(credentials: { accessKeyId: string; secretAccessKey: string }) {
  const objects = new Map<string, Buffer>();
  const seen: { method: string; path: string; contentLength?: string }[] = [];
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const header = String(request.headers.authorization ?? '');
    const signed = /SignedHeaders=([^,]+)/.exec(header)?.[1]?.split(';') ?? [];
    const payloadHash = String(request.headers['x-amz-content-sha256']);
    const input: SigningInput = {
      method: request.method!,
      url: new URL(request.url!, `http://${request.headers.host}`),
      headers: Object.fromEntries(signed.map((name) => [name, String(request.headers[name])])),
      payloadHash,
      region: 'eu-west-2',
      service: 's3',
      ...credentials,
      amzDate: String(request.headers['x-amz-date']),
    };
    const hashOk =
      payloadHash === createHash('sha256').update(body).digest('hex') ||
      (body.length === 0 && request.method !== 'PUT');
    if (!signed.includes('host') || authorization(input) !== header || !hashOk) {
      response.writeHead(403).end('SignatureDoesNotMatch');
      return;
    }
    seen.push({
      method: request.method!,
      path: request.url!,
      contentLength: request.headers['content-length'],
    });
    if (request.method === 'PUT') {
      objects.set(request.url!, body);
      response.writeHead(200).end();
    } else if (request.method === 'GET') {
      const object = objects.get(request.url!);
      if (object) response.writeHead(200).end(object);
      else response.writeHead(404).end('NoSuchKey');
    } else if (request.method === 'DELETE') {
      objects.delete(request.url!);
      response.writeHead(204).end();
    }
  });
  return { server, objects, seen };
}

describe('the S3-compatible store', () => {
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/key+test' };
  const s3 = fakeS3(credentials);
  let endpoint = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => s3.server.listen(0, '127.0.0.1', resolve));
    const address = s3.server.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => s3.server.close(() => resolve())));

  it('puts a streamed file with its length and a signed payload hash, gets it back and deletes it', async () => {
    const store = new S3FileStore({
      endpoint,
      bucket: 'uploads',
      region: 'eu-west-2',
      ...credentials,
    });
    const key = newStorageKey();
    const content = Buffer.alloc(200_000, 'x');
    await store.put(key, Readable.from([content.subarray(0, 70_000), content.subarray(70_000)]));
    expect(s3.objects.get(`/uploads/${key}`)).toEqual(content);
    expect(s3.seen.at(-1)).toEqual({
      method: 'PUT',
      path: `/uploads/${key}`,
      contentLength: '200000',
    });
    expect((await text(await store.get(key))).length).toBe(200_000);
    await store.delete(key);
    expect(s3.objects.has(`/uploads/${key}`)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(FileMissingError);
  });

  it('fails when the bucket refuses the signature (wrong secret)', async () => {
    const store = new S3FileStore({
      endpoint,
      bucket: 'uploads',
      region: 'eu-west-2',
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: 'not the secret',
    });
    await expect(store.put(newStorageKey(), Readable.from([Buffer.from('x')]))).rejects.toThrow(
      /403/,
    );
  });
});
