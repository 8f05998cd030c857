import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { assertStorageKey, FileMissingError, type FileStore } from './file-store.js';
import { amzDate, authorization, EMPTY_SHA256 } from './sigv4.js';

/** Where and as whom to reach an S3-compatible bucket. */
export interface S3Settings {
  /** e.g. `https://s3.eu-west-2.amazonaws.com` or `http://127.0.0.1:9000` (MinIO) */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Files in an S3-compatible bucket, addressed path-style (`endpoint/bucket/key`, which AWS, MinIO,
 * Ceph and most others take), with requests signed by AWS Signature Version 4.
 *
 * S3 wants the length of an object before its bytes, and an upload's length is known only at its
 * end, so `put` first streams the file to a temporary file on the local disk (hashing it on the
 * way, so the payload is signed too), then sends it from there; nothing is held in memory.
 */
export class S3FileStore implements FileStore {
  constructor(
    private readonly settings: S3Settings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private url(key: string): URL {
    assertStorageKey(key);
    const base = this.settings.endpoint.replace(/\/+$/, '');
    return new URL(`${base}/${encodeURIComponent(this.settings.bucket)}/${key}`);
  }

  /** The headers of a signed request (fetch adds `host` itself, from the same URL). */
  signedHeaders(method: string, url: URL, payloadHash: string): Record<string, string> {
    const headers = {
      host: url.host,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDate(this.now()),
    };
    const auth = authorization({
      method,
      url,
      headers,
      payloadHash,
      region: this.settings.region,
      service: 's3',
      accessKeyId: this.settings.accessKeyId,
      secretAccessKey: this.settings.secretAccessKey,
      amzDate: headers['x-amz-date'],
    });
    const { host: _host, ...rest } = headers;
    return { ...rest, authorization: auth };
  }

  async put(key: string, content: Readable): Promise<void> {
    const url = this.url(key);
    const spool = path.join(tmpdir(), `joinedup-s3-${randomBytes(12).toString('hex')}`);
    try {
      const hash = createHash('sha256');
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(content, hashing, createWriteStream(spool, { flags: 'wx', mode: 0o600 }));
      const payloadHash = hash.digest('hex');
      const response = await fetch(url, {
        method: 'PUT',
        headers: {
          ...this.signedHeaders('PUT', url, payloadHash),
          'content-type': 'application/octet-stream',
        },
        body: await openAsBlob(spool),
        signal: AbortSignal.timeout(300_000),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`S3 PUT ${key} failed: ${response.status}`);
    } finally {
      await rm(spool, { force: true });
    }
  }

  async get(key: string): Promise<Readable> {
    const url = this.url(key);
    const response = await fetch(url, {
      headers: this.signedHeaders('GET', url, EMPTY_SHA256),
      signal: AbortSignal.timeout(300_000),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new FileMissingError(key);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new Error(`S3 GET ${key} failed: ${response.status}`);
    }
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  async delete(key: string): Promise<void> {
    const url = this.url(key);
    const response = await fetch(url, {
      method: 'DELETE',
      headers: this.signedHeaders('DELETE', url, EMPTY_SHA256),
      signal: AbortSignal.timeout(30_000),
    });
    await response.body?.cancel();
    if (!response.ok && response.status !== 404)
      throw new Error(`S3 DELETE ${key} failed: ${response.status}`);
  }
}
