import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendSms, smsOutcomeFor } from './sms.js';

describe('sorting an SMS provider’s answer', () => {
  it('accepts any 2xx', () => {
    expect(smsOutcomeFor(200)).toEqual({ status: 'accepted', via: 'http' });
    expect(smsOutcomeFor(202).status).toBe('accepted');
  });

  it('treats a 4xx other than 429 as a permanent failure', () => {
    expect(smsOutcomeFor(400)).toMatchObject({ status: 'permanent-failure', httpStatus: 400 });
    expect(smsOutcomeFor(404).status).toBe('permanent-failure');
  });

  it('treats 429 and 5xx as temporary failures', () => {
    expect(smsOutcomeFor(429).status).toBe('temporary-failure');
    expect(smsOutcomeFor(500).status).toBe('temporary-failure');
    expect(smsOutcomeFor(503).status).toBe('temporary-failure');
  });

  it('treats a provider that cannot be reached as a temporary failure', async () => {
    // A port that was just free: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const outcome = await sendSms(
      { SMS_URL: `http://127.0.0.1:${port}/`, SMS_TOKEN: undefined, DATA_DIR: ':memory:' },
      { to: '+447700900123', text: 'Hello', idempotencyKey: 'unreachable' },
    );
    expect(outcome.status).toBe('temporary-failure');
  });
});
