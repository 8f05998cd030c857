import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookUrlProblem } from './delivery.js';
import {
  lookupRefusingPrivate,
  postWebhook,
  RefusedWebhookTarget,
  type Resolver,
} from './webhook-request.js';

let server: Server;
let port: number;
let connections = 0;
let answer = 204;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(answer, answer === 302 ? { location: 'http://127.0.0.1:1/' } : {});
      response.end('a body nobody reads');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A resolver that answers every name with these addresses. */
function resolvingTo(...addresses: string[]): Resolver {
  return (_hostname, _options, callback) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
}

function post(url: string, allowPrivate: boolean, resolve?: Resolver) {
  return postWebhook({
    url,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs: 2_000,
    allowPrivate,
    ...(resolve ? { resolve } : {}),
  });
}

describe('sending a webhook', () => {
  it('refuses an IP address of this machine before connecting, unless private targets are allowed', async () => {
    const before = connections;
    const refused = post(`http://127.0.0.1:${port}/hook`, false);
    await expect(refused).rejects.toBeInstanceOf(RefusedWebhookTarget);
    await expect(refused).rejects.toThrow(/127\.0\.0\.1 is loopback/);
    expect(connections).toBe(before);
    expect(await post(`http://127.0.0.1:${port}/hook`, true)).toBe(204);
    expect(connections).toBe(before + 1);
  });

  it('refuses a name that resolves to a private address, at connection time, without connecting', async () => {
    const before = connections;
    for (const addresses of [['127.0.0.1'], ['10.0.0.7'], ['93.184.215.14', '192.168.0.10']]) {
      const refused = post(
        `http://hooks.example.test:${port}/hook`,
        false,
        resolvingTo(...addresses),
      );
      await expect(refused).rejects.toBeInstanceOf(RefusedWebhookTarget);
      await expect(refused).rejects.toThrow(/hooks\.example\.test resolves to/);
    }
    await expect(post(`http://printer.local:${port}/`, false)).rejects.toThrow(/local name/);
    expect(connections).toBe(before);
  });

  it('answers with the receiver’s status, never following a redirect', async () => {
    answer = 500;
    expect(await post(`http://127.0.0.1:${port}/hook`, true)).toBe(500);
    answer = 302;
    expect(await post(`http://127.0.0.1:${port}/hook`, true)).toBe(302);
    answer = 204;
  });
});

describe('the look-up connections use', () => {
  it('hands over the addresses of a name that has only public ones', async () => {
    const lookup = lookupRefusingPrivate(resolvingTo('93.184.215.14', '2606:2800:21f:cb07::1'));
    const all = await new Promise((resolve, reject) =>
      lookup('hooks.example.org', { all: true }, (error, addresses) =>
        error ? reject(error) : resolve(addresses),
      ),
    );
    expect(all).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07::1', family: 6 },
    ]);
    const one = await new Promise((resolve, reject) =>
      lookup('hooks.example.org', {}, (error, address, family) =>
        error ? reject(error) : resolve([address, family]),
      ),
    );
    expect(one).toEqual(['93.184.215.14', 4]);
  });

  it('passes on a failure to resolve', async () => {
    const failing: Resolver = (_h, _o, callback) =>
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), []);
    const lookup = lookupRefusingPrivate(failing);
    await expect(
      new Promise((resolve, reject) =>
        lookup('nowhere.example', {}, (error) => (error ? reject(error) : resolve(null))),
      ),
    ).rejects.toThrow('ENOTFOUND');
  });
});

describe('the webhook address an admin may set', () => {
  it('must be https to a public address where private targets are not allowed', () => {
    expect(webhookUrlProblem('https://council.example.gov.uk/joinedup')).toBeUndefined();
    expect(webhookUrlProblem('https://203.0.114.10/hook')).toBeUndefined();
    expect(webhookUrlProblem('http://council.example.gov.uk/joinedup')).toBe(
      'submissions.hub.error.urlHttps',
    );
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook')).toBe('submissions.hub.error.urlHttps');
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[fd00::1]/hook',
      'https://[::ffff:192.168.0.1]/hook',
      'https://0.0.0.0/hook',
      'https://2130706433/hook', // 127.0.0.1 written as a number
      'https://localhost/hook',
      'https://intranet.internal/hook',
    ])
      expect(webhookUrlProblem(url), url).toBe('submissions.hub.error.urlPrivate');
    expect(webhookUrlProblem('https://user:pass@council.example.gov.uk/')).toBe(
      'submissions.hub.error.urlCredentials',
    );
    expect(webhookUrlProblem('not a url')).toBe('submissions.hub.error.url');
  });

  it('may be private, and http to this machine, where private targets are allowed (development)', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', true)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:8080/hook', true)).toBeUndefined();
    expect(webhookUrlProblem('https://10.0.0.1/hook', true)).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.1/hook', true)).toBe('submissions.hub.error.urlHttps');
    expect(webhookUrlProblem('http://council.example.gov.uk/', true)).toBe(
      'submissions.hub.error.urlHttps',
    );
  });
});
