import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's options for every answer (`secure`: the site is served over HTTPS). Pages get a
 * content security policy with a nonce each request, which is why @fastify/helmet runs Helmet
 * again for every page.
 */
export function pageHelmetOptions(secure: boolean): FastifyHelmetOptions {
  return {
    enableCSPNonces: true,
    hsts: secure,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
  };
}

/**
 * An API answer is JSON, never a page: the strictest policy (nothing may load, nothing may
 * frame it) and no nonces, so its headers are the same on every answer.
 */
const API_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An API route: its answers get apiSecurityHeaders, not Helmet's for pages. */
    apiSecurityHeaders?: boolean;
  }
}

/**
 * The security headers of an API answer, as Helmet sets them with the pages' options and the API
 * policy, worked out once. @fastify/helmet would build Helmet's middleware again on every request
 * (parsing the policy's directives each time), a twentieth of the submission hub's CPU for
 * headers that never change.
 */
export function apiSecurityHeaders(secure: boolean): ReadonlyArray<readonly [string, string]> {
  const { enableCSPNonces: _perPage, ...page } = pageHelmetOptions(secure);
  const options = { ...page, contentSecurityPolicy: API_CONTENT_SECURITY_POLICY } as HelmetOptions;
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, String(value)]);
    },
    removeHeader() {},
  };
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
    },
  );
  return headers;
}
