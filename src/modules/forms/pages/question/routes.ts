import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { normalisePostcode, ukToday } from '../../../../platform/validation/validators.js';
import { addressesAtPostcode, formatAddress, type AddressRow } from '../../../address/index.js';
import { humanSize, receiveUpload, uploadProblemText } from '../../../attachments/index.js';
import { holds } from '../../conditions.js';
import {
  answersBefore,
  firstIncompletePage,
  mayVisit,
  nextPage,
  previousPage,
  validatePage,
  type PageError,
} from '../../journey.js';
import { messageFor } from '../../messages.js';
import {
  fallbackFileQuestion,
  type AddressAnswer,
  type Bilingual,
  type FileAnswer,
  type FileQuestion,
  type FormPage,
} from '../../schema.js';
import { evidencePage } from '../evidence/routes.js';
import { matchBusinessNumber } from '../../../references/index.js';
import { actorOf, errorsView, pageError, type Journey, type JourneySupport } from '../support.js';
import {
  fieldView,
  filesOf,
  readPageInput,
  valuesFromAnswers,
  type AddressLookup,
  type Values,
} from './view-model.js';

export const QUESTION = 'modules/forms/pages/question/question.njk';

/** A business identifier that is another business account's, or not the one this account records. */
function notTheirs(business: string): Bilingual {
  return {
    en: `This is not the number of ${business}. Check it against the business’s records, or apply for the business it belongs to`,
    cy: `Nid hwn yw rhif ${business}. Gwiriwch ef yn erbyn cofnodion y busnes, neu gwnewch gais ar gyfer y busnes y mae’n perthyn iddo`,
  };
}

const LOOKUP_MESSAGES = {
  required: { en: 'Enter a postcode', cy: 'Rhowch god post' },
  invalid: {
    en: 'Enter a full UK postcode, like GL5 4UB',
    cy: 'Rhowch god post llawn yn y DU, fel GL5 4UB',
  },
  choose: { en: 'Select an address', cy: 'Dewiswch gyfeiriad' },
} satisfies Record<string, Bilingual>;

/** An address from the register as the answer's lines: "Flat 1, Ebley Mill", "Westward Road, Ebley". */
export function addressAnswerOf(row: AddressRow) {
  const numbered = /^\d/.test(row.paon) && row.street;
  const line1 = [row.saon, numbered ? `${row.paon} ${row.street}` : row.paon]
    .filter(Boolean)
    .join(', ');
  const line2 = [numbered ? null : row.street, row.locality].filter(Boolean).join(', ');
  return { uprn: row.uprn, line1, line2, town: row.town, postcode: row.postcode };
}

/** Where to go after a page is answered: on through the pages asked, or back to check answers. */
export function afterPage(journey: Journey, pageId: string): string {
  const { form, answers, base } = journey;
  if (!firstIncompletePage(form, answers, ukToday())) return `${base}/check-answers`;
  const next = nextPage(form, pageId, answers);
  return next ? `${base}/${next.id}` : `${base}/check-answers`;
}

/** The back link of a page: the page asked before it, or the service's start page. */
export function backLinkFor(journey: Journey, pageId: string): string {
  const previous = previousPage(journey.form, pageId, journey.answers);
  return previous ? `${journey.base}/${previous.id}` : `/services/${journey.service.slug}`;
}

/**
 * The question pages of the journey: GET shows a page (its questions prefilled from saved
 * answers or the account), POST checks it with the definition and saves it, or re-shows it with
 * the GOV.UK error summary. An address question finds addresses by postcode first; a file
 * question takes one upload per POST (multipart, on that page only).
 */
export function questionRoutes(
  app: FastifyInstance,
  support: JourneySupport,
  hooks: {
    repeatList(
      request: FastifyRequest,
      reply: FastifyReply,
      journey: Journey,
      page: FormPage,
    ): Promise<unknown>;
    repeatListPost(
      request: FastifyRequest,
      reply: FastifyReply,
      journey: Journey,
      page: FormPage,
    ): Promise<unknown>;
  },
  context: AppContext,
): void {
  const { db } = context;
  const evidencePages = evidencePage(context, support);

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
    options: {
      values: Values;
      errors?: PageError[];
      lookups?: Record<string, AddressLookup>;
      manual?: string[];
      /** An evidence question's upload, asked for instead of the check, and why. */
      fallback?: { file: FileQuestion; notice: string | null };
    },
  ) {
    const { locale, t } = request;
    const errors = options.errors ?? [];
    const view = errorsView(errors, locale);
    const asked = page.questions.filter((q) => isAsked(journey, page, q.name));
    const single = asked.length === 1;
    const path = `${journey.base}/${page.id}`;
    const file = options.fallback?.file ?? asked.find((q): q is FileQuestion => q.type === 'file');
    const fields = file
      ? []
      : asked.map((q) =>
          fieldView(q, options.values, {
            locale,
            t,
            errors: view.fieldErrors,
            asPageHeading: single,
            lookups: options.lookups,
            manual: options.manual,
            path,
          }),
        );
    const files = file ? filesOf(journey.answers, file.name) : [];
    const findOnly = single && fields[0]?.macro === 'address' && fields[0].mode === 'find';
    return reply.view(QUESTION, {
      service: journey.service,
      page: { id: page.id, title: page.title[locale] },
      single,
      fields,
      evidenceNotice: options.fallback?.notice ?? null,
      filePage: file
        ? {
            label: file.label[locale],
            hint: file.hint?.[locale],
            files: files.map((f) => ({ id: f.id, name: f.name, size: humanSize(f.size) })),
            canAdd: files.length < file.maxFiles,
            removeAction: `${path}/remove-file`,
            upload: {
              macro: 'fileUpload',
              params: {
                id: file.name,
                name: 'file',
                label: {
                  text: t(files.length ? 'forms.file.uploadAnother' : 'forms.file.upload'),
                  classes: 'govuk-label--s',
                },
                errorMessage: view.fieldErrors[file.name],
                attributes: { accept: file.accept.join(',') },
              },
            },
          }
        : null,
      showContinue: !findOnly,
      canSave: !journey.user,
      actingFor: journey.user?.actingFor?.userId ?? '',
      actingClient: journey.user?.actingFor?.displayName ?? null,
      action: path,
      backLink: backLinkFor(journey, page.id),
      ...view,
    });
  }

  /** True when a question is asked: its condition holds, or rests on this page's own answers. */
  function isAsked(journey: Journey, page: FormPage, name: string): boolean {
    const question = page.questions.find((q) => q.name === name)!;
    // Conditions on answers given on this same page are settled when it is posted.
    if (page.questions.some((q) => q.name === question.when?.question)) return true;
    return holds(question.when, answersBefore(journey.form, journey.answers, page));
  }

  function findPage(journey: Journey, request: FastifyRequest): FormPage {
    const { pageId } = request.params as { pageId: string };
    const page = journey.form.pages.find((p) => p.id === pageId);
    if (!page) throw notFound({ pageId });
    return page;
  }

  /** Sends the person back to the first page they still have to answer, if this is beyond it. */
  function guard(journey: Journey, page: FormPage, reply: FastifyReply): boolean {
    const visit = mayVisit(journey.form, page, journey.answers, { today: ukToday() });
    if (visit.ok) return true;
    reply.redirect(
      visit.goTo ? `${journey.base}/${visit.goTo.id}` : `${journey.base}/check-answers`,
      303,
    );
    return false;
  }

  app.get('/services/:slug/apply', async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    const next = firstIncompletePage(journey.form, journey.answers, ukToday());
    return reply.redirect(
      next ? `${journey.base}/${next.id}` : `${journey.base}/check-answers`,
      303,
    );
  });

  app.get('/services/:slug/apply/:pageId', async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    const page = findPage(journey, request);
    if (!guard(journey, page, reply)) return reply;
    if (page.questions[0]!.type === 'repeat')
      return hooks.repeatList(request, reply, journey, page);
    const evidence = page.questions[0]!;
    if (evidence.type === 'evidence')
      return evidencePages.get(
        request,
        reply,
        journey,
        page,
        evidence,
        (notice) =>
          render(request, reply, journey, page, {
            values: {},
            fallback: { file: fallbackFileQuestion(evidence), notice },
          }),
        backLinkFor(journey, page.id),
      );
    const values = {
      ...(await support.prefill(journey, page.questions)),
      ...valuesFromAnswers(page.questions, journey.answers),
    };
    const manual = formText(request.query, 'manual');
    return render(request, reply, journey, page, { values, manual: manual ? [manual] : [] });
  });

  /** Takes one file for a file page; the fields before it (CSRF, acting for) are already read. */
  async function upload(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
    question: FileQuestion,
  ) {
    const existing = filesOf(journey.answers, question.name);
    // An evidence question's upload (asked for instead of the check) is shown the same way.
    const fallback =
      page.questions[0]!.type === 'evidence' ? { fallback: { file: question, notice: null } } : {};
    const outcome = await receiveUpload(request, {
      maxBytes: question.maxBytes,
      accept: question.accept,
      ownerUserId: journey.applicantId,
    });
    const values: Values = {};
    if (formText(request.body, 'action') === 'save' && !journey.user) {
      if (outcome.ok) await keepFile(journey, reply, question, existing, outcome.attachment);
      return reply.redirect(`${journey.base}/save`, 303);
    }
    if (outcome.ok) {
      if (existing.length >= question.maxFiles)
        return render(request, reply.code(400), journey, page, {
          ...fallback,
          values,
          errors: [
            pageError(
              question.name,
              messageFor(question, { rule: 'maxFiles', max: question.maxFiles }),
            ),
          ],
        });
      const files = await keepFile(journey, reply, question, existing, outcome.attachment);
      // Room for another: back to the page, which lists what is added so far.
      if (files.length < question.maxFiles)
        return reply.redirect(`${journey.base}/${page.id}`, 303);
      return reply.redirect(afterPage(journey, page.id), 303);
    }
    if (outcome.problem === 'missing') {
      // "Continue" without choosing a file: fine once there are enough.
      const checked = validatePage(
        journey.form,
        page,
        { [question.name]: existing },
        journey.answers,
        { today: ukToday() },
      );
      if (!checked.ok)
        return render(request, reply.code(400), journey, page, {
          ...fallback,
          values,
          errors: checked.errors,
        });
      await support.save(journey, reply, checked.answers);
      return reply.redirect(afterPage(journey, page.id), 303);
    }
    const message: Bilingual =
      outcome.problem === 'too-big'
        ? messageFor(question, { rule: 'tooBig', maxBytes: question.maxBytes })
        : outcome.problem === 'wrong-type'
          ? messageFor(question, { rule: 'wrongType', accept: question.accept })
          : (() => {
              const text = uploadProblemText(request.t, outcome.problem, question);
              return { en: text, cy: text };
            })();
    return render(request, reply.code(400), journey, page, {
      ...fallback,
      values,
      errors: [pageError(question.name, message)],
    });
  }

  async function keepFile(
    journey: Journey,
    reply: FastifyReply,
    question: FileQuestion,
    existing: FileAnswer[],
    attachment: FileAnswer,
  ): Promise<FileAnswer[]> {
    const files = [
      ...existing,
      { id: attachment.id, name: attachment.name, type: attachment.type, size: attachment.size },
    ];
    await support.save(journey, reply, { [question.name]: files });
    return files;
  }

  /**
   * The address look-up of one address question: "Find address" shows the addresses at the
   * postcode to choose from (or, if none, the boxes to type it); a chosen address is filled in
   * from the register. Returns a reply when the page is to be shown again, otherwise the body
   * with the chosen addresses filled in.
   */
  async function lookUpAddresses(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
    body: Values,
  ): Promise<{ reply: unknown } | { body: Values }> {
    const action = formText(body, 'action');
    const filled: Values = { ...body };
    for (const question of page.questions) {
      if (question.type !== 'address') continue;
      const name = question.name;
      const mode = formText(body, `${name}-mode`);
      if (action === `find:${name}` || mode === 'find') {
        const typed = formText(body, `${name}-lookup`);
        const postcode = normalisePostcode(typed);
        if (!postcode) {
          const message = typed ? LOOKUP_MESSAGES.invalid : LOOKUP_MESSAGES.required;
          return {
            reply: await render(request, reply.code(400), journey, page, {
              values: body,
              errors: [pageError(`${name}-lookup`, message)],
            }),
          };
        }
        const found = await addressesAtPostcode(db, postcode);
        return {
          reply: await render(request, reply, journey, page, {
            values: { ...body, [`${name}-postcode`]: postcode },
            lookups: {
              [name]: {
                mode: found.length ? 'select' : 'manual',
                postcode,
                addresses: found.map((a) => ({ uprn: a.uprn, text: formatAddress(a) })),
              },
            },
          }),
        };
      }
      if (mode === 'select') {
        const postcode = normalisePostcode(formText(body, `${name}-lookup`)) ?? '';
        const found = postcode ? await addressesAtPostcode(db, postcode) : [];
        const chosen = found.find((a) => a.uprn === formText(body, `${name}-uprn`));
        if (!chosen)
          return {
            reply: await render(request, reply.code(400), journey, page, {
              values: body,
              errors: [pageError(`${name}-uprn`, LOOKUP_MESSAGES.choose)],
              lookups: {
                [name]: {
                  mode: 'select',
                  postcode,
                  addresses: found.map((a) => ({ uprn: a.uprn, text: formatAddress(a) })),
                },
              },
            }),
          };
        const answer = addressAnswerOf(chosen);
        Object.assign(filled, {
          [`${name}-uprn`]: answer.uprn,
          [`${name}-line1`]: answer.line1,
          [`${name}-line2`]: answer.line2,
          [`${name}-town`]: answer.town,
          [`${name}-postcode`]: answer.postcode,
        });
      } else {
        // Typed in (or the saved address shown again): it keeps the register's UPRN only if
        // it is still exactly the address that was picked from the register.
        const saved = journey.answers[name] as AddressAnswer | undefined;
        const same =
          saved?.uprn !== undefined &&
          (['line1', 'line2', 'town'] as const).every(
            (part) => formText(body, `${name}-${part}`) === (saved[part] ?? ''),
          ) &&
          normalisePostcode(formText(body, `${name}-postcode`)) === saved.postcode;
        if (same) filled[`${name}-uprn`] = saved.uprn;
        else delete filled[`${name}-uprn`];
      }
    }
    return { body: filled };
  }

  app.post('/services/:slug/apply/:pageId', async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    if (!(await support.samePerson(request, reply, journey))) return reply;
    const page = findPage(journey, request);
    if (!guard(journey, page, reply)) return reply;
    const first = page.questions[0]!;
    if (first.type === 'repeat') return hooks.repeatListPost(request, reply, journey, page);
    if (first.type === 'file') return upload(request, reply, journey, page, first);
    if (first.type === 'evidence') {
      // The upload asked for instead of the check comes as a file page's would (multipart).
      if (request.isMultipart())
        return upload(request, reply, journey, page, fallbackFileQuestion(first));
      return evidencePages.post(
        request,
        reply,
        journey,
        page,
        first,
        () => afterPage(journey, page.id),
        backLinkFor(journey, page.id),
      );
    }
    const looked = await lookUpAddresses(
      request,
      reply,
      journey,
      page,
      (request.body ?? {}) as Values,
    );
    if ('reply' in looked) return looked.reply;
    const body = looked.body;
    const input = readPageInput(page.questions, body, journey.answers);
    const result = validatePage(journey.form, page, input, journey.answers, { today: ukToday() });
    if (formText(body, 'action') === 'save' && !journey.user) {
      // "Save and come back later": what is valid on this page is kept; nothing is required yet.
      await support.save(journey, reply, result.ok ? result.answers : {});
      return reply.redirect(`${journey.base}/save`, 303);
    }
    if (!result.ok) {
      return render(request, reply.code(400), journey, page, {
        values: body,
        errors: result.errors,
      });
    }
    const unmatched = await matchBusinessIdentifiers(request, journey, page, result.answers);
    if (unmatched.length > 0)
      return render(request, reply.code(400), journey, page, { values: body, errors: unmatched });
    await support.save(journey, reply, result.answers);
    return reply.redirect(afterPage(journey, page.id), 303);
  });

  /**
   * In a form for businesses, each business identifier answered on the page must be the business
   * account's: the same as the Companies House number the account records, and not held by
   * another account in the reference index (one nobody holds is added to the account when the
   * applicant administers it). Returns the problems; none when all match.
   */
  async function matchBusinessIdentifiers(
    request: FastifyRequest,
    journey: Journey,
    page: FormPage,
    answers: Record<string, unknown>,
  ): Promise<PageError[]> {
    const business = journey.business;
    if (!business || !journey.applicantId) return [];
    const errors: PageError[] = [];
    for (const question of page.questions) {
      if (question.type !== 'text' || !question.identifier) continue;
      const value = answers[question.name];
      if (typeof value !== 'string' || value === '') continue;
      if (
        question.identifier === 'companies-house' &&
        business.companiesHouseNumber &&
        business.companiesHouseNumber !== value
      ) {
        errors.push(pageError(question.name, notTheirs(business.name)));
        continue;
      }
      const applicantUserId = journey.applicantId;
      const matched = await db.transaction().execute((trx) =>
        matchBusinessNumber(trx, {
          businessId: business.id,
          scheme: question.identifier!,
          typed: value,
          applicantUserId,
          actor: actorOf(request, journey.user),
        }),
      );
      if (!matched.ok) errors.push(pageError(question.name, notTheirs(business.name)));
    }
    return errors;
  }

  /** Removes one uploaded file from a file question's answer (a plain form, not multipart). */
  app.post('/services/:slug/apply/:pageId/remove-file', async (request, reply) => {
    const journey = await support.load(request, reply);
    if (!journey) return reply;
    if (!(await support.samePerson(request, reply, journey))) return reply;
    const page = findPage(journey, request);
    if (!guard(journey, page, reply)) return reply;
    const first = page.questions[0]!;
    if (first.type !== 'file' && first.type !== 'evidence') throw notFound();
    const question = first.type === 'evidence' ? fallbackFileQuestion(first) : first;
    const fileId = formText(request.body, 'fileId');
    const files = filesOf(journey.answers, question.name);
    if (files.some((f) => f.id === fileId))
      await support.save(journey, reply, { [question.name]: files.filter((f) => f.id !== fileId) });
    return reply.redirect(`${journey.base}/${page.id}`, 303);
  });
}
