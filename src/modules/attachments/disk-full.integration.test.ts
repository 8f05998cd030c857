import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { minimalPdf } from './test/files.js';
import { TEST_API_PREFIX, TEST_API_TOKEN, uploadTestModule } from './test/harness.js';

/**
 * The file store's disk fills up: a real, tiny file system (a 256 KiB tmpfs) mounted where the
 * local file store keeps its files. Mounting needs root, which CI has on this machine kind;
 * elsewhere the test says why it did not run.
 */
const root = mkdtempSync(path.join(tmpdir(), 'joinedup-disk-full-'));
const files = path.join(root, 'files');
mkdirSync(files);
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', files], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.warn('disk-full test skipped: cannot mount a tmpfs here (needs root)');
}

/** A real PDF made bigger with a comment after its header, as scanners' PDFs are. */
function pdfOf(bytes: number): Buffer {
  const pdf = minimalPdf();
  const header = pdf.indexOf('\n') + 1;
  const padding = Buffer.from(`%${'x'.repeat(bytes - pdf.length - 2)}\n`, 'latin1');
  return Buffer.concat([pdf.subarray(0, header), padding, pdf.subarray(header)]);
}

describe.skipIf(!mounted)('a full disk under the file store', () => {
  let app: TestApp;
  let stroudId = '';
  const upload = (bytes: number) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdfOf(bytes))]), 'evidence.pdf');
    return fetch(`${app.baseUrl}${TEST_API_PREFIX}/api/v1/attachments`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    });
  };
  const stored = () =>
    readdirSync(files, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const attachmentRows = async () =>
    (await app.platform.database.db.selectFrom('attachments').select('id').execute()).length;

  beforeAll(async () => {
    app = await startTestApp({ DATA_DIR: root, UPLOAD_MAX_BYTES: String(1024 * 1024) }, [
      uploadTestModule(() => stroudId),
    ]);
    const stroud = await app.platform.database.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
    stroudId = stroud.id;
  });
  afterAll(async () => {
    await app?.close();
    execFileSync('umount', [files]);
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a file that does not fit with 503 storage_full, keeps nothing, and takes the next that fits', async () => {
    const rowsBefore = await attachmentRows();
    const refused = await upload(400 * 1024);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      errors: [{ error: 'storage_full', message: 'Sorry, there is a problem with the service' }],
    });
    // Nothing half-written is left to fill the disk, and nothing was recorded.
    expect(stored()).toEqual([]);
    expect(await attachmentRows()).toBe(rowsBefore);

    // The service goes on by itself: the space the refused file took is free again.
    expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);
    const accepted = await upload(100 * 1024);
    expect(accepted.status).toBe(201);
    expect(stored()).toHaveLength(1);
    expect(await attachmentRows()).toBe(rowsBefore + 1);
  });
});
