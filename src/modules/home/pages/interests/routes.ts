import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { errorView } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { CUSTOMER_GROUPS, LIFE_EVENTS } from '../../../catalogue/index.js';
import { requireSignIn } from '../../../identity/index.js';
import { saveInterests } from '../../commands/interests.js';
import { homeOwnerOf } from '../../policies/home.js';
import { interestsOf } from '../../queries/interests.js';

const VIEW = 'modules/home/pages/interests/interests.njk';

/** Checkbox items of a vocabulary in the reader's language, ticked as chosen. */
function items(
  list: readonly { value: string; en: string; cy: string }[],
  locale: Locale,
  chosen: readonly unknown[],
) {
  return list.map((t) => ({ value: t.value, text: t[locale], checked: chosen.includes(t.value) }));
}

/** The values a checkbox group sent, for showing the form again: only strings. */
function sent(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

function actorOf(user: CurrentUser, requestId: string): Actor {
  return { userId: user.id, organisationId: null, role: 'citizen', requestId };
}

/**
 * GET/POST /home/interests, "What you tell us": the life events and groups a person chooses to
 * tell us so their home page suggests services. Optional, and cleared by choosing nothing.
 */
export function interestsRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/home/interests', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const interests = await interestsOf(db, user, homeOwnerOf(user));
    return reply.view(VIEW, {
      lifeEventItems: items(LIFE_EVENTS, request.locale, interests.lifeEvents),
      groupItems: items(CUSTOMER_GROUPS, request.locale, interests.customerGroups),
      told: interests.updatedAt !== null,
      fieldErrors: {},
      backLink: '/home',
    });
  });

  app.post('/home/interests', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const clear = body.clear === 'yes';
    const input = clear
      ? { lifeEvents: undefined, customerGroups: undefined }
      : { lifeEvents: body.lifeEvents, customerGroups: body.customerGroups };
    const ownerId = homeOwnerOf(user);
    // Not theirs to tell (staff): "not found", as on the page.
    const before = await interestsOf(db, user, ownerId);
    const outcome = await db
      .transaction()
      .execute((trx) => saveInterests(trx, user, ownerId, input, actorOf(user, request.id)));
    if (!outcome.ok) {
      return reply.code(400).view(VIEW, {
        lifeEventItems: items(LIFE_EVENTS, request.locale, sent(input.lifeEvents)),
        groupItems: items(CUSTOMER_GROUPS, request.locale, sent(input.customerGroups)),
        told: before.updatedAt !== null,
        backLink: '/home',
        ...errorView(outcome.errors, request.t),
      });
    }
    return reply.redirect(
      `/home?saved=${outcome.cleared ? 'cleared' : 'interests'}#suggested`,
      303,
    );
  });
}
