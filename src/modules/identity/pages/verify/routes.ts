import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatNino } from '../../../registers/index.js';
import { requireLevel } from '../../assurance.js';
import { rotateSession, SESSION_COOKIE, SESSION_HOURS } from '../../commands/sessions.js';
import {
  endVerificationJourney,
  failedVerificationsToday,
  findVerificationJourney,
  MAX_FAILED_VERIFICATIONS,
  saveVerificationAnswers,
  startVerificationJourney,
  verificationLockedUntil,
  verifyOnline,
} from '../../commands/verification.js';
import {
  firstUnanswered,
  mayVisit,
  nextStep,
  QUESTION_STEPS,
  readStep,
  type Step,
} from './journey.js';

const VIEWS = 'modules/identity/pages/verify';
const START = `${VIEWS}/start.njk`;
const QUESTION = `${VIEWS}/question.njk`;
const CHECK = `${VIEWS}/check.njk`;
const NO_MATCH = `${VIEWS}/no-match.njk`;
const LOCKED = `${VIEWS}/locked.njk`;

/** Today in the UK, as YYYY-MM-DD. */
function ukToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

/** Each question page's previous page, for the back link. */
function backFrom(step: Step): string {
  const index = step === 'check' ? QUESTION_STEPS.length : QUESTION_STEPS.indexOf(step);
  return index === 0 ? '/verify' : `/verify/${QUESTION_STEPS[index - 1]}`;
}

/** What a question page shows as already typed (the date in its three boxes). */
function formValues(answers: Record<string, string>): Record<string, string> {
  const [year = '', month = '', day = ''] = (answers.dateOfBirth ?? '').split('-');
  return {
    ...answers,
    'dateOfBirth-day': day ? String(Number(day)) : '',
    'dateOfBirth-month': month ? String(Number(month)) : '',
    'dateOfBirth-year': year,
  };
}

/**
 * Identity verification to P2 online: name, date of birth, National Insurance number and
 * postcode, one a page, checked against DWP's register. Needs a `Cl.Cm` session first.
 */
export function verifyRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  /** The user at level 2 with their journey, or a reply already sent (sign in, step up, start). */
  async function withJourney(request: FastifyRequest, reply: FastifyReply) {
    const user = requireLevel(request, reply, 2);
    if (!user) return undefined;
    const journey = await findVerificationJourney(db, user.id);
    if (!journey) {
      void reply.redirect('/verify', 303);
      return undefined;
    }
    return { user, journey };
  }

  async function lockedPage(reply: FastifyReply, until: Date) {
    return reply.code(403).view(LOCKED, { until });
  }

  app.get('/verify', async (request, reply) => {
    const user = requireLevel(request, reply, 2);
    if (!user) return reply;
    const returnTo = safeReturnPath((request.query as { returnTo?: unknown }).returnTo);
    if (user.identityLevel === 'P2') return reply.redirect(returnTo, 303);
    const until = await verificationLockedUntil(db, user.id);
    if (until) return lockedPage(reply, until);
    return reply.view(START, { returnTo });
  });

  app.post('/verify', async (request, reply) => {
    const user = requireLevel(request, reply, 2);
    if (!user) return reply;
    const returnTo = safeReturnPath(formText(request.body, 'returnTo'));
    if (user.identityLevel === 'P2') return reply.redirect(returnTo, 303);
    await startVerificationJourney(db, user.id, returnTo);
    return reply.redirect('/verify/name', 303);
  });

  for (const step of QUESTION_STEPS) {
    const path = `/verify/${step}`;

    app.get(path, async (request, reply) => {
      const found = await withJourney(request, reply);
      if (!found) return reply;
      const { answers } = found.journey;
      if (!mayVisit(step, answers))
        return reply.redirect(`/verify/${firstUnanswered(answers)}`, 303);
      return reply.view(QUESTION, {
        step,
        values: formValues(answers),
        fieldErrors: {},
        backLink: backFrom(step),
      });
    });

    app.post(path, async (request, reply) => {
      const found = await withJourney(request, reply);
      if (!found) return reply;
      const { answers } = found.journey;
      if (!mayVisit(step, answers))
        return reply.redirect(`/verify/${firstUnanswered(answers)}`, 303);
      const form = Object.fromEntries(
        [
          'givenName',
          'familyName',
          'dateOfBirth-day',
          'dateOfBirth-month',
          'dateOfBirth-year',
          'nino',
          'postcode',
        ].map((name) => [name, formText(request.body, name)]),
      );
      const reading = readStep(step, form, ukToday());
      if (!reading.ok) {
        return reply.code(400).view(QUESTION, {
          step,
          values: form,
          backLink: backFrom(step),
          ...errorView(reading.errors, request.t),
        });
      }
      const updated = { ...answers, ...reading.answers };
      await saveVerificationAnswers(db, found.user.id, updated);
      return reply.redirect(`/verify/${nextStep(step, updated)}`, 303);
    });
  }

  app.get('/verify/check', async (request, reply) => {
    const found = await withJourney(request, reply);
    if (!found) return reply;
    const { answers } = found.journey;
    if (!mayVisit('check', answers))
      return reply.redirect(`/verify/${firstUnanswered(answers)}`, 303);
    return reply.view(CHECK, {
      answers: { ...answers, nino: formatNino(answers.nino!) },
      backLink: backFrom('check'),
    });
  });

  app.post(
    '/verify/check',
    {
      config: {
        rateLimit: {
          max: 20,
          timeWindow: 60_000,
          hook: 'preHandler' as const,
          keyGenerator: (request: FastifyRequest) => `verify:${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const found = await withJourney(request, reply);
      if (!found) return reply;
      const { user, journey } = found;
      const { answers } = journey;
      if (!mayVisit('check', answers))
        return reply.redirect(`/verify/${firstUnanswered(answers)}`, 303);
      const result = await db.transaction().execute(async (trx) => {
        const outcome = await verifyOnline(trx, actorOf(user, request.id), user.id, {
          givenName: answers.givenName!,
          familyName: answers.familyName!,
          dateOfBirth: answers.dateOfBirth!,
          nino: answers.nino!,
          postcode: answers.postcode!,
        });
        // The typed facts are forgotten once the journey ends either way.
        if (outcome.outcome !== 'not-matched') await endVerificationJourney(trx, user.id);
        return outcome;
      });
      if (result.outcome === 'matched') {
        request.log.info({ userId: user.id }, 'identity verified online');
        // A step-up gets a new session token, so one seen before it is worth nothing after.
        const token = request.cookies[SESSION_COOKIE];
        if (token) {
          reply.setCookie(SESSION_COOKIE, await rotateSession(db, token, {}), {
            path: '/',
            httpOnly: true,
            sameSite: 'lax',
            secure: config.baseUrl.startsWith('https://'),
            maxAge: SESSION_HOURS * 3600,
          });
        }
        return reply.redirect(journey.returnTo, 303);
      }
      if (result.outcome === 'locked') return reply.redirect('/verify/locked', 303);
      return reply.redirect('/verify/no-match', 303);
    },
  );

  app.get('/verify/no-match', async (request, reply) => {
    const found = await withJourney(request, reply);
    if (!found) return reply;
    const until = await verificationLockedUntil(db, found.user.id);
    if (until) return reply.redirect('/verify/locked', 303);
    const failures = await failedVerificationsToday(db, found.user.id);
    return reply.view(NO_MATCH, {
      attemptsLeft: Math.max(0, MAX_FAILED_VERIFICATIONS - failures),
      returnTo: found.journey.returnTo,
    });
  });

  app.get('/verify/locked', async (request, reply) => {
    const user = requireLevel(request, reply, 2);
    if (!user) return reply;
    const until = await verificationLockedUntil(db, user.id);
    if (!until) return reply.redirect('/verify', 303);
    return lockedPage(reply, until);
  });
}

function actorOf(user: CurrentUser, requestId: string) {
  return { userId: user.id, organisationId: user.organisationId, role: null, requestId };
}
