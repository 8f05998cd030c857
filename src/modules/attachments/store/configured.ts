import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../../platform/config/config.js';
import { projectPath } from '../../../platform/paths.js';
import type { FileStore } from './file-store.js';
import { LocalFileStore } from './local.js';
import { S3FileStore } from './s3.js';

type StoreConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'FILE_STORE'
  | 'S3_ENDPOINT'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
>;

const stores = new WeakMap<StoreConfig, { store: FileStore; dispose(): void }>();

/**
 * The file store the configuration names, one per configuration (the web routes and the outbox
 * handlers share it): an S3-compatible bucket, or `DATA_DIR/files` on the local disk — a
 * throw-away temporary folder when the database is in memory (`DATA_DIR=:memory:`, the tests).
 */
export function fileStoreFor(config: StoreConfig): FileStore {
  let entry = stores.get(config);
  if (!entry) {
    entry = makeStore(config);
    stores.set(config, entry);
  }
  return entry.store;
}

/** Removes the temporary folder of an in-memory configuration's store, if it made one. */
export function disposeFileStore(config: StoreConfig): void {
  stores.get(config)?.dispose();
  stores.delete(config);
}

function makeStore(config: StoreConfig): { store: FileStore; dispose(): void } {
  if (config.FILE_STORE === 's3') {
    return {
      store: new S3FileStore({
        endpoint: config.S3_ENDPOINT!,
        bucket: config.S3_BUCKET!,
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID!,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
      }),
      dispose() {},
    };
  }
  if (config.DATA_DIR === ':memory:') {
    const directory = mkdtempSync(path.join(tmpdir(), 'joinedup-files-'));
    return {
      store: new LocalFileStore(directory),
      dispose: () => rmSync(directory, { recursive: true, force: true }),
    };
  }
  return {
    store: new LocalFileStore(path.resolve(config.DATA_DIR, 'files'), {
      forbidden: [projectPath('public')],
    }),
    dispose() {},
  };
}
