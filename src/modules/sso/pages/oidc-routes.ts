import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { recordAudit } from '../../../platform/audit/audit.js';
import { formText } from '../../../platform/http/forms.js';
import type { AppContext } from '../../../platform/http/types.js';
import {
  assuranceLevel,
  stepUpPath,
  vectorOfTrust,
  type AssuranceLevel,
} from '../../identity/index.js';
import { SUBMISSIONS_SCOPE } from '../commands/relying-parties.js';
import { attachState, OIDC_PREFIX, type ProviderHolder } from '../provider.js';
import { grantedVector, parseVtr, type VectorLevel } from '../vectors.js';

const ERROR = 'modules/sso/pages/errors/error.njk';
const CONSENT = 'modules/sso/pages/consent/consent.njk';

/** The scopes the `consent` prompt found missing from the person's grant. */
function missingScopes(prompt: { details: Record<string, unknown> }): string[] {
  const missing = prompt.details.missingOIDCScope;
  return Array.isArray(missing) ? missing.filter((s): s is string => typeof s === 'string') : [];
}

/** Hands the Fastify side's view of the request (person, language, page renderer) to oidc-provider. */
function handOver(request: FastifyRequest, reply: FastifyReply): void {
  attachState(request.raw, {
    user: request.user,
    locale: request.locale,
    t: request.t,
    requestId: request.id,
    render: (template, data) => reply.viewAsync(template, data),
  });
}

/** Headers our own pages get from helmet, for the responses oidc-provider writes itself. */
function secureHeaders(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader(
    'content-security-policy',
    "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
  );
}

/** The first of the `ui_locales` we speak, if any. */
function uiLocale(value: unknown): 'en' | 'cy' | null {
  if (typeof value !== 'string') return null;
  for (const tag of value.split(' ')) {
    const language = tag.toLowerCase().split('-')[0];
    if (language === 'en' || language === 'cy') return language;
  }
  return null;
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Adds what the consent prompt found missing (scopes, and claims asked for by name) to the
 * person's grant with this relying party, and resumes the authorization: where to send them.
 */
async function consentTo(
  provider: Provider,
  request: FastifyRequest,
  reply: FastifyReply,
  details: InteractionDetails,
  accountId: string,
): Promise<string> {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  if (!grant) throw new Error('the grant being consented to has gone');
  const scopes = missingScopes(details.prompt);
  if (scopes.length) grant.addOIDCScope(scopes.join(' '));
  const claims = details.prompt.details.missingOIDCClaims;
  if (Array.isArray(claims) && claims.length) grant.addOIDCClaims(claims as string[]);
  const grantId = await grant.save();
  return provider.interactionResult(
    request.raw,
    reply.raw,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/**
 * The provider's own endpoints under /oidc (discovery, JWKS, authorize, token, userinfo,
 * logout…), the trustmark, and the interaction that signs a person in with their Joinedup
 * session, stepping it up first when the relying party asked for more.
 */
export async function oidcRoutes(
  app: FastifyInstance,
  { db }: AppContext,
  holder: ProviderHolder,
): Promise<void> {
  app.get(`${OIDC_PREFIX}/trustmark`, async () => {
    const { issuer } = await holder.get();
    return {
      idp: issuer,
      trustmark_provider: issuer,
      C: ['Cl', 'Cl.Cm'],
      P: ['P0', 'P2'],
    };
  });

  app.get(`${OIDC_PREFIX}/interaction/:uid`, async (request, reply) => {
    const { provider } = await holder.get();
    handOver(request, reply);
    let details;
    try {
      details = await provider.interactionDetails(request.raw, reply.raw);
    } catch (error) {
      request.log.info({ err: error }, 'oidc interaction not found');
      return reply
        .code(400)
        .view(ERROR, { code: 'session_not_found', known: true, requestId: request.id });
    }
    const { uid, prompt, params } = details;
    const here = `${OIDC_PREFIX}/interaction/${uid}`;
    if ((request.params as { uid: string }).uid !== uid) {
      return reply
        .code(400)
        .view(ERROR, { code: 'session_not_found', known: true, requestId: request.id });
    }
    // The relying party's ui_locales choose the language of every page that follows.
    const language = uiLocale(params.ui_locales);
    if (language && language !== request.locale && !(request.query as { lang?: string }).lang)
      return reply.redirect(`${here}?lang=${language}`, 303);

    if (prompt.name !== 'login' && prompt.name !== 'consent') {
      return reply
        .code(400)
        .view(ERROR, { code: 'invalid_request', known: true, requestId: request.id });
    }
    const user = request.user;
    if (!user) return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(here)}`, 303);
    const asked = parseVtr(params.vtr);
    const needed = asked.ok ? asked.level : 3;
    const achieved = assuranceLevel(user);
    if (achieved < needed) {
      // A second factor comes before identity: one step at a time, back here after each.
      const next = (achieved < 2 ? 2 : needed) as AssuranceLevel;
      return reply.redirect(stepUpPath(next, here), 303);
    }
    if (prompt.name === 'consent') {
      // Only sending applications needs the person's word; anything else is implied (see
      // loadExistingGrant), so a consent prompt without it is settled at once.
      if (details.session?.accountId !== user.id)
        return reply
          .code(400)
          .view(ERROR, { code: 'session_not_found', known: true, requestId: request.id });
      const missing = missingScopes(prompt);
      if (missing.includes(SUBMISSIONS_SCOPE)) {
        const client = await provider.Client.find(String(params.client_id));
        return reply.view(CONSENT, {
          uid,
          clientName: client?.clientName ?? String(params.client_id),
          fieldErrors: {},
        });
      }
      return reply.redirect(await consentTo(provider, request, reply, details, user.id), 303);
    }

    const redirectTo = await provider.interactionResult(request.raw, reply.raw, {
      login: {
        accountId: user.id,
        acr: asked.ok ? grantedVector(asked.vectors, achieved as VectorLevel) : vectorOfTrust(user),
        amr: achieved >= 2 ? ['pwd', 'mfa'] : ['pwd'],
      },
    });
    return reply.redirect(redirectTo, 303);
  });

  // The person's answer on the consent page: agree (the grant gets the scope and the
  // authorization resumes) or refuse (the relying party gets access_denied). Audited both ways.
  app.post(
    `${OIDC_PREFIX}/interaction/:uid`,
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const { provider } = await holder.get();
      handOver(request, reply);
      let details;
      try {
        details = await provider.interactionDetails(request.raw, reply.raw);
      } catch (error) {
        request.log.info({ err: error }, 'oidc interaction not found');
        return reply
          .code(400)
          .view(ERROR, { code: 'session_not_found', known: true, requestId: request.id });
      }
      const { uid, prompt, params, session } = details;
      const user = request.user;
      if (
        (request.params as { uid: string }).uid !== uid ||
        prompt.name !== 'consent' ||
        !user ||
        session?.accountId !== user.id
      )
        return reply
          .code(400)
          .view(ERROR, { code: 'session_not_found', known: true, requestId: request.id });
      const clientId = String(params.client_id);
      const client = await provider.Client.find(clientId);
      const decision = formText(request.body, 'decision');
      if (decision !== 'agree' && decision !== 'refuse') {
        const message = request.t('sso.consent.missing');
        return reply.code(400).view(CONSENT, {
          uid,
          clientName: client?.clientName ?? clientId,
          errorList: [{ text: message, href: '#decision' }],
          fieldErrors: { decision: { text: message } },
        });
      }
      const scopes = missingScopes(prompt);
      await recordAudit(
        db,
        { userId: user.id, organisationId: null, role: null, requestId: request.id },
        {
          action: decision === 'agree' ? 'sso.consent_given' : 'sso.consent_refused',
          resourceType: 'oidc_client',
          resourceId: clientId,
          subjectUserId: user.id,
          details: { client: client?.clientName ?? clientId, scopes },
        },
      );
      if (decision === 'refuse') {
        const redirectTo = await provider.interactionResult(
          request.raw,
          reply.raw,
          {
            error: 'access_denied',
            error_description: 'The person did not give permission to send applications for them',
          },
          { mergeWithLastSubmission: false },
        );
        return reply.redirect(redirectTo, 303);
      }
      return reply.redirect(await consentTo(provider, request, reply, details, user.id), 303);
    },
  );

  // Everything else under /oidc is oidc-provider's. It reads request bodies itself, so in
  // this scope no parser touches them; CSRF is its own business there (app.ts skips /oidc/).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.all(`${OIDC_PREFIX}/*`, async (request, reply) => {
      const { provider } = await holder.get();
      handOver(request, reply);
      reply.hijack();
      const raw = request.raw as typeof request.raw & { originalUrl?: string };
      raw.originalUrl = raw.url;
      raw.url = raw.url!.slice(OIDC_PREFIX.length) || '/';
      secureHeaders(reply.raw);
      await holder.handler(provider)(raw, reply.raw);
    });
  });
}
