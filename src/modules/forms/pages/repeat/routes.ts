/**
 * "Add another" (GOV.UK's "add multiple things"): a repeat question's page lists the items
 * added so far, each with Change and Remove, then asks "Do you need to add another?". Each item
 * is a page of the repeat's questions at `<page>/item/<n>`; removing one asks to confirm.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import { ukToday } from '../../../../platform/validation/validators.js';
import { answersBefore, inputId, mayVisit, validatePage, type PageError } from '../../journey.js';
import type { Answers, FormPage, RepeatQuestion } from '../../schema.js';
import { answerText } from '../../summary.js';
import { checkItem } from '../../validate.js';
import { afterPage, backLinkFor, QUESTION } from '../question/routes.js';
import {
  fieldView,
  readPageInput,
  valuesFromAnswers,
  type Values,
} from '../question/view-model.js';
import { errorsView, pageError, type Journey, type JourneySupport } from '../support.js';

const LIST = 'modules/forms/pages/repeat/repeat-list.njk';
const REMOVE = 'modules/forms/pages/repeat/repeat-remove.njk';

function itemsOf(journey: Journey, question: RepeatQuestion): Answers[] {
  const value = Object.hasOwn(journey.answers, question.name)
    ? journey.answers[question.name]
    : undefined;
  return Array.isArray(value) ? (value as Answers[]) : [];
}

const ADD_ANOTHER_REQUIRED = {
  en: 'Select yes if you need to add another',
  cy: 'Dewiswch ie os oes angen i chi ychwanegu un arall',
};
const REMOVE_REQUIRED = {
  en: 'Select yes if you want to remove it',
  cy: 'Dewiswch ie os ydych eisiau ei dynnu',
};

/** The list page and its answer, called by the question routes for a repeat question's page. */
export function repeatRoutes(app: FastifyInstance, support: JourneySupport) {
  function repeatOf(page: FormPage): RepeatQuestion {
    const question = page.questions[0]!;
    if (question.type !== 'repeat') throw notFound();
    return question;
  }

  function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
    errors: PageError[] = [],
  ) {
    const { locale, t } = request;
    const question = repeatOf(page);
    const items = itemsOf(journey, question);
    const path = `${journey.base}/${page.id}`;
    const view = errorsView(errors, locale);
    return reply.view(LIST, {
      service: journey.service,
      title: question.label[locale],
      hint: question.hint?.[locale],
      rows: items.map((item, i) => {
        const name = `${question.itemLabel[locale]} ${i + 1}`;
        return {
          key: { text: name },
          value: {
            text: question.questions
              .filter((q) => Object.hasOwn(item, q.name) && item[q.name] !== '')
              .map((q) => answerText(q, item[q.name], locale))
              .join(', '),
          },
          actions: {
            items: [
              {
                href: `${path}/item/${i + 1}`,
                text: t('forms.check.change'),
                visuallyHiddenText: name,
              },
              {
                href: `${path}/item/${i + 1}/remove`,
                text: t('forms.repeat.remove'),
                visuallyHiddenText: name,
              },
            ],
          },
        };
      }),
      canAdd: items.length < question.max,
      question: {
        idPrefix: 'addAnother',
        name: 'addAnother',
        classes: 'govuk-radios--inline',
        fieldset: {
          legend: {
            text: items.length ? t('forms.repeat.addAnother') : t('forms.repeat.addFirst'),
            classes: 'govuk-fieldset__legend--m',
          },
        },
        errorMessage: view.fieldErrors.addAnother,
        items: [
          { value: 'yes', text: t('forms.yes') },
          { value: 'no', text: t('forms.no') },
        ],
      },
      action: path,
      actingFor: journey.user?.actingFor?.userId ?? '',
      actingClient: journey.user?.actingFor?.displayName ?? null,
      backLink: backLinkFor(journey, page.id),
      canSave: !journey.user,
      ...view,
    });
  }

  /** GET of a repeat page: the list, or straight to the first item when one is needed. */
  async function repeatList(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
  ) {
    const question = repeatOf(page);
    const items = itemsOf(journey, question);
    if (items.length === 0 && question.required && !Object.hasOwn(journey.answers, question.name))
      return reply.redirect(`${journey.base}/${page.id}/item/1`, 303);
    return renderList(request, reply, journey, page);
  }

  /** POST of a repeat page: "yes" adds an item; "no" checks the list (how many) and moves on. */
  async function repeatListPost(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
  ) {
    const question = repeatOf(page);
    const items = itemsOf(journey, question);
    const answer = formText(request.body, 'addAnother');
    if (formText(request.body, 'action') === 'save' && !journey.user)
      return reply.redirect(`${journey.base}/save`, 303);
    if (answer === 'yes' && items.length < question.max)
      return reply.redirect(`${journey.base}/${page.id}/item/${items.length + 1}`, 303);
    if (answer !== 'no' && items.length < question.max)
      return renderList(request, reply.code(400), journey, page, [
        pageError('addAnother', ADD_ANOTHER_REQUIRED),
      ]);
    const result = validatePage(journey.form, page, { [question.name]: items }, journey.answers, {
      today: ukToday(),
    });
    if (!result.ok)
      return renderList(
        request,
        reply.code(400),
        journey,
        page,
        result.errors.map((e) => ({ ...e, field: 'addAnother' })),
      );
    await support.save(journey, reply, result.answers);
    return reply.redirect(afterPage(journey, page.id), 303);
  }

  async function loadItem(request: FastifyRequest, reply: FastifyReply) {
    const journey = await support.load(request, reply);
    if (!journey) return undefined;
    const { pageId, n } = request.params as { pageId: string; n: string };
    const page = journey.form.pages.find((p) => p.id === pageId);
    if (!page || !/^\d{1,3}$/.test(n)) throw notFound();
    const question = repeatOf(page);
    const visit = mayVisit(journey.form, page, journey.answers, { today: ukToday() });
    if (!visit.ok) {
      reply.redirect(
        visit.goTo ? `${journey.base}/${visit.goTo.id}` : `${journey.base}/check-answers`,
        303,
      );
      return undefined;
    }
    const items = itemsOf(journey, question);
    const index = Number(n) - 1;
    // An existing item, or the next new one (while there is room).
    if (index < 0 || index > items.length || index >= question.max) {
      reply.redirect(`${journey.base}/${page.id}`, 303);
      return undefined;
    }
    return { journey, page, question, items, index };
  }

  function renderItem(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: NonNullable<Awaited<ReturnType<typeof loadItem>>>,
    values: Values,
    errors: PageError[] = [],
  ) {
    const { journey, page, question, index, items } = loaded;
    const { locale, t } = request;
    const view = errorsView(errors, locale);
    const single = question.questions.length === 1;
    const path = `${journey.base}/${page.id}/item/${index + 1}`;
    const title = `${question.itemLabel[locale]} ${index + 1}`;
    return reply.view(QUESTION, {
      service: journey.service,
      page: { id: page.id, title: single ? question.questions[0]!.label[locale] : title },
      single,
      fields: question.questions.map((q) =>
        fieldView(q, values, { locale, t, errors: view.fieldErrors, asPageHeading: single, path }),
      ),
      filePage: null,
      showContinue: true,
      canSave: !journey.user,
      actingFor: journey.user?.actingFor?.userId ?? '',
      actingClient: journey.user?.actingFor?.displayName ?? null,
      action: path,
      backLink: items.length ? `${journey.base}/${page.id}` : backLinkFor(journey, page.id),
      ...view,
    });
  }

  app.get('/services/:slug/apply/:pageId/item/:n', async (request, reply) => {
    const loaded = await loadItem(request, reply);
    if (!loaded) return reply;
    const item = loaded.items[loaded.index] ?? {};
    return renderItem(request, reply, loaded, valuesFromAnswers(loaded.question.questions, item));
  });

  app.post('/services/:slug/apply/:pageId/item/:n', async (request, reply) => {
    const loaded = await loadItem(request, reply);
    if (!loaded) return reply;
    const { journey, page, question, items, index } = loaded;
    if (!(await support.samePerson(request, reply, journey))) return reply;
    const body = (request.body ?? {}) as Values;
    const input = readPageInput(question.questions, body, {});
    const context = answersBefore(journey.form, journey.answers, page);
    const checked = checkItem(question.questions, input, context, { today: ukToday() });
    const save = formText(body, 'action') === 'save' && !journey.user;
    if (!checked.ok && !save) {
      const errors = checked.problems.map((p) => {
        const inner = question.questions.find((q) => q.name === p.path[0])!;
        return { field: inputId(inner, p.path.slice(1)), message: p.message };
      });
      return renderItem(request, reply.code(400), loaded, body, errors);
    }
    if (checked.ok) {
      const updated = [...items];
      updated[index] = checked.answers;
      await support.save(journey, reply, { [question.name]: updated });
    }
    if (save) return reply.redirect(`${journey.base}/save`, 303);
    return reply.redirect(`${journey.base}/${page.id}`, 303);
  });

  app.get('/services/:slug/apply/:pageId/item/:n/remove', async (request, reply) => {
    const loaded = await loadItem(request, reply);
    if (!loaded) return reply;
    if (loaded.index >= loaded.items.length)
      return reply.redirect(`${loaded.journey.base}/${loaded.page.id}`, 303);
    return renderRemove(request, reply, loaded);
  });

  function renderRemove(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: NonNullable<Awaited<ReturnType<typeof loadItem>>>,
    errors: PageError[] = [],
  ) {
    const { journey, page, question, index } = loaded;
    const { locale, t } = request;
    const name = `${question.itemLabel[locale]} ${index + 1}`;
    const view = errorsView(errors, locale);
    return reply.view(REMOVE, {
      service: journey.service,
      title: t('forms.repeat.removeQuestion', { item: name }),
      question: {
        idPrefix: 'remove',
        name: 'remove',
        classes: 'govuk-radios--inline',
        fieldset: {
          legend: {
            text: t('forms.repeat.removeQuestion', { item: name }),
            isPageHeading: true,
            classes: 'govuk-fieldset__legend--l',
          },
        },
        errorMessage: view.fieldErrors.remove,
        items: [
          { value: 'yes', text: t('forms.yes') },
          { value: 'no', text: t('forms.no') },
        ],
      },
      action: `${journey.base}/${page.id}/item/${index + 1}/remove`,
      actingFor: journey.user?.actingFor?.userId ?? '',
      backLink: `${journey.base}/${page.id}`,
      ...view,
    });
  }

  app.post('/services/:slug/apply/:pageId/item/:n/remove', async (request, reply) => {
    const loaded = await loadItem(request, reply);
    if (!loaded) return reply;
    const { journey, page, question, items, index } = loaded;
    if (!(await support.samePerson(request, reply, journey))) return reply;
    const answer = formText(request.body, 'remove');
    if (answer !== 'yes' && answer !== 'no')
      return renderRemove(request, reply.code(400), loaded, [pageError('remove', REMOVE_REQUIRED)]);
    if (answer === 'yes' && index < items.length)
      await support.save(journey, reply, { [question.name]: items.filter((_, i) => i !== index) });
    return reply.redirect(`${journey.base}/${page.id}`, 303);
  });

  return { repeatList, repeatListPost };
}
