import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors/errors.js';
import type { CurrentUser } from '../../platform/http/types.js';
import type { SecondFactor } from './db/tables.js';

/**
 * What a member of staff held for their second factor may still reach: setting one up (a phone
 * for text messages included), giving it, the session's own upkeep, signing out, and assets.
 */
const OPEN_WHILE_HELD =
  /^\/(account\/second-factor|account\/phone|sign-in|sign-out|signed-out|session\/keep-alive|assets|healthz|readyz|favicon\.ico)(\/|\?|$)/;

/**
 * Where a member of staff must go before anything else while STAFF_SECOND_FACTOR requires a
 * second factor (`config.staffSecondFactor`): to set one up if they have none, or to give it
 * if this session has not (a session signed in with a password before the factor was set up
 * elsewhere). Undefined for everyone else. Every staff role counts: a password alone must not
 * open other people's records or a body's settings (docs/security/asvs.md, 4.3.1).
 */
export function staffSecondFactorStep(
  user: Pick<CurrentUser, 'kind' | 'credentialLevel'>,
  secondFactor: SecondFactor,
  required: boolean,
): '/account/second-factor' | '/sign-in/second-factor' | undefined {
  if (!required || user.kind !== 'staff' || user.credentialLevel === 'Cl.Cm') return undefined;
  return secondFactor === 'none' ? '/account/second-factor' : '/sign-in/second-factor';
}

/**
 * Holds a member of staff at their second factor's step: a page is sent there (and comes back
 * afterwards); anything else (a form, an API call of the session) is refused with
 * `second_factor_required`. Returns undefined for what stays open while held.
 *
 * @example const step = staffSecondFactorStep(user, factor, true); if (step) return holdForSecondFactor(request, reply, step);
 */
export function holdForSecondFactor(
  request: FastifyRequest,
  reply: FastifyReply,
  step: string,
): FastifyReply | undefined {
  if (OPEN_WHILE_HELD.test(request.url)) return undefined;
  const page = request.method === 'GET' || request.method === 'HEAD';
  if (page && !request.url.startsWith('/api/')) {
    return reply.redirect(`${step}?returnTo=${encodeURIComponent(request.url)}`, 303);
  }
  throw new AppError(
    'second_factor_required',
    403,
    request.t('identity.secondFactor.staff.refused'),
    { userId: request.user?.id, url: request.url },
  );
}
