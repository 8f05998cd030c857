import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { pdfTextRuns } from '../../../platform/letters/pdf.js';
import { notifyTemplateCreate } from '../commands/cli.js';
import { issueKey, tokenFor } from '../test/helpers.js';

/** Templates with a Welsh version, created on the command line and sent through the API. */
let app: TestApp;
let client: NotifyClient;
let apiKey: string;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  apiKey = await issueKey(db(), 'stroud', 'live');
  client = new NotifyClient(app.baseUrl, apiKey);
});
afterAll(async () => {
  await app?.close();
});

async function create(args: string[]): Promise<string> {
  const result = await notifyTemplateCreate(db(), ['--org', 'stroud', ...args]);
  if (result.code !== 0) throw new Error(result.err.join('\n'));
  return result.out[0]!;
}

describe('Welsh template versions', () => {
  it('sends an e-mail in Welsh first, then English, and reads the Welsh version back', async () => {
    const id = await create([
      '--type',
      'email',
      '--name',
      'Casgliad / Collection',
      '--subject',
      'Collection on ((date))',
      '--body',
      'Dear ((name)), we will collect on ((date)).',
      '--welsh-subject',
      'Casgliad ar ((date))',
      '--welsh-body',
      'Annwyl ((name)), byddwn yn casglu ar ((date)).',
    ]);
    const sent = await client.sendEmail(id, 'sam@example.com', {
      personalisation: { name: 'Sam', date: '3 Mawrth' },
    });
    expect(sent.data.content).toMatchObject({
      subject: 'Casgliad ar 3 Mawrth / Collection on 3 Mawrth',
      body: 'Annwyl Sam, byddwn yn casglu ar 3 Mawrth.\n\n---\n\nDear Sam, we will collect on 3 Mawrth.',
    });
    const template = await client.getTemplateById(id);
    expect(template.data).toMatchObject({
      subject: 'Collection on ((date))',
      welsh_subject: 'Casgliad ar ((date))',
      welsh_body: 'Annwyl ((name)), byddwn yn casglu ar ((date)).',
    });
  });

  it('previews both languages, and its e-mail HTML has the Welsh before the English', async () => {
    const id = await create([
      '--type',
      'email',
      '--name',
      'Rhagolwg',
      '--subject',
      'Hello',
      '--body',
      'Hello ((name))',
      '--welsh-subject',
      'Helo',
      '--welsh-body',
      'Helo ((name))',
    ]);
    const preview = await client.previewTemplateById(id, { name: 'Siân' });
    expect(preview.data).toMatchObject({
      subject: 'Helo / Hello',
      body: 'Helo Siân\n\n---\n\nHello Siân',
    });
    const html = String(preview.data.html);
    expect(html.indexOf('Helo Siân')).toBeGreaterThan(-1);
    expect(html.indexOf('Helo Siân')).toBeLessThan(html.indexOf('<hr>'));
    expect(html.indexOf('<hr>')).toBeLessThan(html.indexOf('Hello Siân'));
  });

  it('refuses a send that lacks a placeholder only the Welsh version uses, naming it', async () => {
    const id = await create([
      '--type',
      'sms',
      '--name',
      'Neges',
      '--body',
      'Your bin goes out tomorrow.',
      '--welsh-body',
      'Mae eich bin yn mynd allan yfory, ((enw)).',
    ]);
    const refused = await client
      .sendSms(id, '07700900123', { personalisation: {} })
      .catch((error: { response: { status: number; data: unknown } }) => error.response);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain('Missing personalisation: enw');
    const sent = await client.sendSms(id, '07700900123', { personalisation: { enw: 'Sam' } });
    expect(sent.data.content.body).toBe(
      'Mae eich bin yn mynd allan yfory, Sam.\n\nYour bin goes out tomorrow.',
    );
  });

  it('prints a letter with the Welsh on the first page and the English on the next', async () => {
    const id = await create([
      '--type',
      'letter',
      '--name',
      'Llythyr',
      '--subject',
      'Your council tax',
      '--body',
      'Dear ((name)), your bill is enclosed.',
      '--welsh-subject',
      'Eich treth gyngor',
      '--welsh-body',
      'Annwyl ((name)), mae eich bil wedi’i amgáu.',
    ]);
    const sent = await client.sendLetter(id, {
      personalisation: {
        name: 'Sam',
        address_line_1: 'Sam Smith',
        address_line_2: '1 High Street',
        address_line_3: 'GL5 1AA',
      },
    });
    const response = await fetch(`${app.baseUrl}/v2/notifications/${sent.data.id}/pdf`, {
      headers: { authorization: `Bearer ${tokenFor(apiKey)}` },
    });
    expect(response.status).toBe(200);
    const runs = pdfTextRuns(Buffer.from(await response.arrayBuffer()));
    const find = (text: string) => runs.find((run) => run.text === text);
    expect(find('Eich treth gyngor')).toMatchObject({ page: 1, bold: true });
    expect(find('Annwyl Sam, mae eich bil wedi’i amgáu.')).toMatchObject({ page: 1 });
    expect(find('Your council tax')).toMatchObject({ page: 2, bold: true });
    expect(find('Dear Sam, your bill is enclosed.')).toMatchObject({ page: 2 });
    expect(find('Stroud District Council')).toMatchObject({ page: 1 });
  });

  it('refuses a Welsh e-mail body without a Welsh subject on the command line', async () => {
    const result = await notifyTemplateCreate(db(), [
      '--org',
      'stroud',
      '--type',
      'email',
      '--name',
      'Anghyflawn',
      '--subject',
      'Hello',
      '--body',
      'Hello',
      '--welsh-body',
      'Helo',
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual(['welshSubject: Enter a Welsh subject line']);
  });
});
