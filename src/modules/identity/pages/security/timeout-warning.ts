import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../../platform/config/config.js';
import type { Translate } from '../../../../platform/i18n/i18n.js';
import { sessionIdleSecondsLeft } from '../../commands/sessions.js';

/** The template the layout includes for a signed-in person: the hidden "about to be signed out" dialog. */
export const TIMEOUT_WARNING_TEMPLATE = 'modules/identity/pages/security/timeout-warning.njk';

/** What the time-out dialog needs to count down, in whole seconds, from the server's clock. */
export interface TimeoutWarning {
  /** Until this session goes idle if it is not used. */
  secondsLeft: number;
  /** How long before then the dialog opens. */
  warningSeconds: number;
  /** A fresh session's idle time, which "Stay signed in" restores. */
  idleSeconds: number;
  /** "For your security, we will sign you out in 2 minutes.": the dialog's words as it opens. */
  message: string;
}

/**
 * "2 minutes", "1 minute and 30 seconds", "45 seconds" in the person's language; the dialog's
 * script (timeout-warning.js) words the countdown the same way.
 *
 * @example timeLeftText(90, request.t) // '1 minute and 30 seconds'
 */
export function timeLeftText(seconds: number, t: Translate): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const minutesText = t(`identity.timeout.${minutes === 1 ? 'minute' : 'minutes'}`, {
    count: minutes,
  });
  const secondsText = t(`identity.timeout.${rest === 1 ? 'second' : 'seconds'}`, { count: rest });
  if (minutes === 0) return secondsText;
  if (rest === 0) return minutesText;
  return t('identity.timeout.minutesAndSeconds', { minutes: minutesText, seconds: secondsText });
}

/** The {@link TimeoutWarning} for a request, or null when nobody is signed in. */
export function timeoutWarningFor(request: FastifyRequest, config: Config): TimeoutWarning | null {
  const secondsLeft = sessionIdleSecondsLeft(request);
  if (!request.user || secondsLeft === null) return null;
  const warningSeconds = config.SESSION_WARNING_SECONDS;
  return {
    secondsLeft,
    warningSeconds,
    idleSeconds: config.SESSION_IDLE_MINUTES * 60,
    message: request.t('identity.timeout.message', {
      time: timeLeftText(Math.min(warningSeconds, secondsLeft), request.t),
    }),
  };
}

/**
 * A preHandler hook that gives every page of a signed-in person `timeoutWarning`, so the layout
 * renders the time-out dialog (GOV.UK / HMRC timeout-warning pattern) and its script. Without
 * JavaScript the dialog stays hidden and the signed-out page explains what happened.
 *
 * @example app.addHook('preHandler', timeoutWarningHook(config));
 */
export function timeoutWarningHook(config: Config) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const warning = timeoutWarningFor(request, config);
    if (warning && reply.locals) reply.locals.timeoutWarning = warning;
  };
}
