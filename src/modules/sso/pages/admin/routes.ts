import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { isPlatformAdmin, requireSignIn } from '../../../identity/index.js';
import {
  AUTH_METHODS,
  registerRelyingParty,
  type AuthMethod,
} from '../../commands/relying-parties.js';
import { listRelyingParties } from '../../queries/relying-parties.js';

const LIST = 'modules/sso/pages/admin/list.njk';
const NEW = 'modules/sso/pages/admin/new.njk';
const CREATED = 'modules/sso/pages/admin/created.njk';

function requirePlatformAdmin(request: FastifyRequest, reply: FastifyReply) {
  const user = requireSignIn(request, reply);
  if (user && !isPlatformAdmin(user))
    throw notFound({ reason: 'not a platform admin', userId: user.id });
  return user;
}

/** One URI a line (or separated by spaces), blanks ignored. */
function lines(text: string): string[] {
  return text
    .split(/\s+/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Platform admins list and register relying parties (other bodies' services using single sign-on). */
export function adminRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/admin/relying-parties', async (request, reply) => {
    if (!requirePlatformAdmin(request, reply)) return reply;
    return reply.view(LIST, { relyingParties: await listRelyingParties(db) });
  });

  app.get('/admin/relying-parties/new', async (request, reply) => {
    if (!requirePlatformAdmin(request, reply)) return reply;
    return reply.view(NEW, {
      values: { authMethod: 'private_key_jwt' },
      fieldErrors: {},
      backLink: '/admin/relying-parties',
    });
  });

  app.post('/admin/relying-parties', async (request, reply) => {
    const user = requirePlatformAdmin(request, reply);
    if (!user) return reply;
    const body = request.body;
    const values = {
      name: formText(body, 'name'),
      redirectUris: formText(body, 'redirectUris'),
      postLogoutRedirectUris: formText(body, 'postLogoutRedirectUris'),
      authMethod: formText(body, 'authMethod'),
      jwksUri: formText(body, 'jwksUri'),
      jwks: formText(body, 'jwks'),
      backchannelLogoutUri: formText(body, 'backchannelLogoutUri'),
      sector: formText(body, 'sector'),
      submissions: formText(body, 'submissions') === 'yes' ? 'yes' : '',
    };
    const outcome = await db.transaction().execute((trx) =>
      registerRelyingParty(
        trx,
        {
          userId: user.id,
          organisationId: user.organisationId,
          role: 'platform-admin',
          requestId: request.id,
        },
        {
          name: values.name,
          redirectUris: lines(values.redirectUris),
          postLogoutRedirectUris: lines(values.postLogoutRedirectUris),
          authMethod: (AUTH_METHODS as readonly string[]).includes(values.authMethod)
            ? (values.authMethod as AuthMethod)
            : ('' as AuthMethod),
          ...(values.authMethod === 'private_key_jwt' && values.jwksUri
            ? { jwksUri: values.jwksUri }
            : {}),
          ...(values.authMethod === 'private_key_jwt' && values.jwks ? { jwks: values.jwks } : {}),
          ...(values.backchannelLogoutUri
            ? { backchannelLogoutUri: values.backchannelLogoutUri }
            : {}),
          ...(values.sector ? { sector: values.sector } : {}),
          submissions: values.submissions === 'yes',
        },
      ),
    );
    if (!outcome.ok) {
      return reply.code(400).view(NEW, {
        values,
        backLink: '/admin/relying-parties',
        ...errorView(outcome.errors, request.t),
      });
    }
    // The secret is shown this once and never again.
    return reply.code(201).view(CREATED, {
      name: values.name,
      clientId: outcome.clientId,
      clientSecret: outcome.clientSecret,
    });
  });
}
