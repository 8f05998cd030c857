import type { Db } from '../../../platform/db/database.js';
import type { ApiUploader } from '../../attachments/index.js';
import { findUserById } from '../../identity/index.js';
import { introspectAccessToken, SUBMISSIONS_SCOPE } from '../../sso/index.js';
import { HubError, type HubProblem } from './errors.js';
import { authenticateHubKey, KEY_PREFIX, type HubCaller } from './keys.js';

/**
 * A relying party sending for a person with an access token the person granted it through
 * Joinedup's OpenID Connect provider (scope `submissions`). The person is the applicant; the
 * client is the channel.
 */
export interface PersonCaller {
  kind: 'person';
  /** The person who granted the token: the applicant of whatever it sends. */
  userId: string;
  /** The relying party the token was issued to. */
  clientId: string;
  /** `oauth:<client id>`: recorded as the channel of what it sends. */
  channel: string;
}

/** Whoever a hub request comes from: a body's hub key, or a person's access token. */
export type ApiCaller = HubCaller | PersonCaller;

export function isPersonCaller(caller: ApiCaller): caller is PersonCaller {
  return 'kind' in caller && caller.kind === 'person';
}

/**
 * Authenticates a hub request. `Authorization: Bearer juhub.…` is a body's key (see
 * authenticateHubKey); any other bearer is taken for an access token of Joinedup's OpenID
 * Connect provider, accepted only where `personAllowed` (sending a submission, reading its
 * status) and only with the `submissions` scope the person agreed to. Any registered client
 * the person gave that permission may use it: a client may ask for the scope only if an
 * administrator registered it so (`--allow-submissions`), and the person must agree on a page
 * of its own. An unknown, expired or revoked token, or a deleted account, is a 401
 * `invalid_token`; a token without the scope, or on another route, a 403 `insufficient_scope`.
 *
 * @example const caller = await authenticateHubRequest(db, request.headers.authorization, true);
 */
export async function authenticateHubRequest(
  db: Db,
  authorization: string | undefined,
  personAllowed: boolean,
  /** How a body's key is checked (the submit route keeps live keys a few seconds: hubKeyCache). */
  authenticateKey: (authorization: string | undefined) => Promise<HubCaller> = (text) =>
    authenticateHubKey(db, text),
): Promise<ApiCaller> {
  const bearer =
    authorization && authorization.slice(0, 7).toLowerCase() === 'bearer '
      ? authorization.slice(7).trim()
      : '';
  if (!bearer || bearer.startsWith(`${KEY_PREFIX}.`)) return authenticateKey(authorization);
  const token = await introspectAccessToken(db, bearer);
  if (!token)
    throw new HubError('invalid_token', 401, 'Access token not found, expired or revoked');
  const account = (await findUserById(db, token.userId)) as { deleted_at?: unknown } | undefined;
  if (!account || account.deleted_at)
    throw new HubError('invalid_token', 401, 'Access token not found, expired or revoked');
  if (!token.scopes.includes(SUBMISSIONS_SCOPE))
    throw new HubError(
      'insufficient_scope',
      403,
      `The access token does not carry the ${SUBMISSIONS_SCOPE} scope: ask the person for it`,
    );
  if (!personAllowed)
    throw new HubError(
      'insufficient_scope',
      403,
      'A person’s access token only sends submissions and reads the status of those it sent',
    );
  return {
    kind: 'person',
    userId: token.userId,
    clientId: token.clientId,
    channel: `oauth:${token.clientId}`,
  };
}

/**
 * What a submission sent with a person's access token must not carry: the applicant is the
 * person's account and the channel is the client, so `applicant`, `channel` and `onBehalfOf`
 * are refused rather than ignored.
 */
export function personBodyProblems(body: {
  applicant?: unknown;
  channel?: unknown;
  onBehalfOf?: unknown;
}): HubProblem[] {
  const problems: HubProblem[] = [];
  if (body.applicant !== undefined)
    problems.push({
      field: 'body.applicant',
      message: 'Leave out: the applicant is the person who granted the access token',
    });
  if (body.channel !== undefined)
    problems.push({
      field: 'body.channel',
      message: 'Leave out: the channel is oauth:<your client id>',
    });
  if (body.onBehalfOf !== undefined)
    problems.push({
      field: 'body.onBehalfOf',
      message: 'Leave out: the access token is the person’s consent',
    });
  return problems;
}

/**
 * Who is uploading a file through `POST /api/v1/attachments`: a body's `submit` or `submit-any`
 * key (the upload is the body's, for a submission it sends), or a person's access token with the
 * `submissions` scope (the upload is the person's own, for a submission their token sends). Null
 * for a key that may not send (a receive key) or no good key at all; a bad token is its own 401
 * or 403, as on the submit route.
 *
 * @example attachmentApiRoutes(app, (request) => uploaderOf(db, request.headers.authorization));
 */
export async function uploaderOf(
  db: Db,
  authorization: string | undefined,
): Promise<ApiUploader | null> {
  try {
    const caller = await authenticateHubRequest(db, authorization, true);
    if (isPersonCaller(caller)) return { ownerUserId: caller.userId };
    return caller.scope === 'submit' || caller.scope === 'submit-any'
      ? { organisationId: caller.organisationId }
      : null;
  } catch (error) {
    if (error instanceof HubError && error.code === 'api_key_invalid') return null;
    throw error;
  }
}
