import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { PermanentFailure } from '../../../platform/outbox/outbox.js';
import { blockedAddressReason, isLocalName } from './addresses.js';

/**
 * A webhook address Joinedup will not send to: it is, or its name resolves to, an address of
 * this machine or a private network. Trying again cannot help (until the admin changes the
 * address or DNS changes), so the delivery is dead-lettered at once.
 */
export class RefusedWebhookTarget extends PermanentFailure {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly why: string,
  ) {
    super(
      address === host
        ? `Refused: the webhook address ${host} is ${why}; Joinedup does not send submissions to private or local addresses`
        : `Refused: the webhook host ${host} resolves to ${address}, ${why}; Joinedup does not send submissions to private or local addresses`,
    );
    this.name = 'RefusedWebhookTarget';
  }
}

/** How names are resolved: `dns.lookup` (the system's resolver, as Node's own connections use). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) =>
  dnsLookup(hostname, options, callback);

/**
 * A DNS look-up for connections that fails when any address the name has is blocked, so the
 * connection is made only to an address that was checked: a name that resolves differently
 * between a check and the connection (DNS rebinding) cannot slip through, as nothing else
 * resolves it.
 *
 * @example https.request(url, { lookup: lookupRefusingPrivate() })
 */
export function lookupRefusingPrivate(resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const fail = (error: Error) => callback(error, '', 4);
    if (isLocalName(hostname))
      return fail(new RefusedWebhookTarget(hostname, hostname, 'a local name'));
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return fail(error);
      for (const { address } of addresses) {
        const why = blockedAddressReason(address);
        if (why) return fail(new RefusedWebhookTarget(hostname, address, why));
      }
      const [first] = addresses;
      if (!first) return fail(new Error(`No address for ${hostname}`));
      // Node asks for every address (`all`) when it tries them in turn (autoSelectFamily).
      if (options.all)
        return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Private and local addresses allowed (HUB_ALLOW_PRIVATE_WEBHOOKS, development). */
  allowPrivate: boolean;
  /** How names are resolved (tests give their own); the system's resolver otherwise. */
  resolve?: Resolver;
}

/**
 * POSTs a webhook and resolves with the status the receiver answered. Redirects are never
 * followed and the answer's body is never read (it could be anything, any size). Unless
 * private targets are allowed, an IP address in the URL is checked before connecting and a
 * name at connection time (lookupRefusingPrivate), so a refused target is never connected to.
 */
export function postWebhook(post: WebhookPost): Promise<number> {
  const url = new URL(post.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!post.allowPrivate) {
    const literal = blockedAddressReason(host);
    if (literal && literal !== 'not an IP address')
      return Promise.reject(new RefusedWebhookTarget(host, host, literal));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        signal: AbortSignal.timeout(post.timeoutMs),
        ...(post.allowPrivate ? {} : { lookup: lookupRefusingPrivate(post.resolve) }),
      },
      (response: IncomingMessage) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    request.on('error', (error: Error & { code?: string }) => {
      if (error.name === 'AbortError' || error.code === 'ABORT_ERR')
        reject(
          new Error(`The webhook did not answer within ${post.timeoutMs} ms (timed out, aborted)`),
        );
      else reject(error);
    });
    request.end(post.body);
  });
}
