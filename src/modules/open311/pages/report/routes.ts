/**
 * "Report a problem" at /report-a-problem, for anyone, with no account: what kind of problem,
 * where (a postcode and then an address or street from the address layer, or a latitude and
 * longitude: no map), the service form's own questions, contact details if the person wants to
 * give them, check, send. The report goes to the body responsible for the place, as the API's
 * do. The steps are the state machine in journey.ts; each page re-checks where the person may be.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import type { FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { parsePostcode } from '../../../address/index.js';
import { fieldView, summariseAnswers, type Question } from '../../../forms/index.js';
import { rolesOf } from '../../attributes/mapping.js';
import { createReport } from '../../commands/report.js';
import { sentReport } from '../../queries/requests.js';
import { reportableServices } from '../../queries/services.js';
import {
  answerDetails,
  chooseProblem,
  firstIncomplete,
  giveContact,
  mayVisit,
  nextStep,
  pickPlace,
  placeAt,
  previousStep,
  type JourneyState,
  type Pick,
  type Step,
} from './journey.js';
import { loadContext, type JourneyContext } from './load.js';
import { deleteJourney, JOURNEY_HOURS, loadJourney, saveJourney } from './store.js';

export const REPORT_PATH = '/report-a-problem';
const COOKIE = 'ju_report';
const SENT_COOKIE = 'ju_report_sent';
const VIEWS = 'modules/open311/pages/report';

const PATHS: Record<Step, string> = {
  problem: REPORT_PATH,
  where: `${REPORT_PATH}/where`,
  coordinates: `${REPORT_PATH}/coordinates`,
  place: `${REPORT_PATH}/place`,
  details: `${REPORT_PATH}/details`,
  contact: `${REPORT_PATH}/contact`,
  check: `${REPORT_PATH}/check`,
};

const DEGREES = /^[-+]?\d{1,3}(?:\.\d{1,15})?$/;

/** Why a place cannot be used, as a message on the page that asked for it. */
function placeMessage(context: JourneyContext): string {
  const problem = context.placeProblem;
  if (!problem) return 'open311.report.where.unknown';
  if (typeof problem === 'string')
    return problem === 'outside'
      ? 'open311.report.coordinates.outside'
      : 'open311.report.where.unknown';
  return `open311.report.where.${problem.reason}`;
}

function placeValues(context: JourneyContext, locale: 'en' | 'cy'): Record<string, string> {
  const problem = context.placeProblem;
  const provider =
    problem && typeof problem !== 'string' && 'provider' in problem ? problem.provider : null;
  const label = context.problem?.label[locale] ?? '';
  return {
    body: (locale === 'cy' ? provider?.nameCy : null) ?? provider?.name ?? '',
    problem: label.charAt(0).toLowerCase() + label.slice(1),
  };
}

/** The id of the input a details error belongs to, as the forms macro draws it. */
function inputIdOf(question: Question, field: string): string {
  if (question.type === 'date') return `${question.name}-day`;
  if (question.type === 'address') {
    const part = field.split('.')[1];
    return part && /^[a-z]+\d?$/.test(part) ? `${question.name}-${part}` : `${question.name}-line1`;
  }
  return question.name;
}

/** The posted inputs that belong to these questions (a date's parts, an address's lines). */
function inputsOf(questions: Question[], body: unknown): Record<string, unknown> {
  const posted = (body ?? {}) as Record<string, unknown>;
  const names = new Set(questions.map((q) => q.name));
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(posted)) {
    const name = key.split('-')[0] ?? '';
    if (names.has(name)) values[key] = value;
  }
  return values;
}

export function reportRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext): void {
  const secure = config.baseUrl.startsWith('https://');

  function journeyId(request: FastifyRequest): string | undefined {
    const raw = request.cookies[COOKIE];
    if (!raw) return undefined;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : undefined;
  }

  function keepJourney(reply: FastifyReply, id: string): void {
    reply.setCookie(COOKIE, id, {
      path: REPORT_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure,
      signed: true,
      maxAge: JOURNEY_HOURS * 3600,
    });
  }

  async function stateOf(request: FastifyRequest): Promise<JourneyState> {
    return (await loadJourney(db, journeyId(request))) ?? {};
  }

  /** Saves the state and sends the person on to the step after the one they answered. */
  async function moveOn(
    request: FastifyRequest,
    reply: FastifyReply,
    answered: Step,
    state: JourneyState,
    context?: JourneyContext,
  ) {
    keepJourney(reply, await saveJourney(db, journeyId(request), state));
    const loaded = context ?? (await loadContext(db, state, request.locale));
    return reply.redirect(PATHS[nextStep(answered, state, loaded.facts)], 303);
  }

  /** The journey for a step, or undefined after sending the person where they may be. */
  async function open(request: FastifyRequest, reply: FastifyReply, step: Step) {
    const state = await stateOf(request);
    const context = await loadContext(db, state, request.locale);
    if (!mayVisit(step, state, context.facts)) {
      void reply.redirect(PATHS[firstIncomplete(state, context.facts)], 303);
      return undefined;
    }
    return context;
  }

  function view(
    reply: FastifyReply,
    step: Step,
    context: JourneyContext,
    data: Record<string, unknown>,
  ) {
    const back = previousStep(step, context.state, context.facts);
    return reply.view(`${VIEWS}/${step}.njk`, {
      backLink: back ? PATHS[back] : undefined,
      action: PATHS[step],
      problemLabel: context.problem?.label,
      values: {},
      fieldErrors: {},
      ...data,
    });
  }

  // What kind of problem ----------------------------------------------------------------------

  async function problemItems(request: FastifyRequest, picked: string) {
    const offered = await reportableServices(db, request.locale);
    return offered.map(({ problem }) => ({
      value: problem.code,
      text: problem.label[request.locale],
      checked: picked === problem.code,
    }));
  }

  app.get(REPORT_PATH, async (request, reply) => {
    const state = await stateOf(request);
    const asked = (request.query as { problem?: unknown }).problem;
    const picked = typeof asked === 'string' ? asked : (state.code ?? '');
    const context = await loadContext(db, state, request.locale);
    return view(reply, 'problem', context, { items: await problemItems(request, picked) });
  });

  app.post(REPORT_PATH, async (request, reply) => {
    const code = formText(request.body, 'code');
    const items = await problemItems(request, code);
    if (!items.some((item) => item.value === code)) {
      const state = await stateOf(request);
      const context = await loadContext(db, state, request.locale);
      return view(reply.code(400), 'problem', context, {
        items,
        ...errorView([{ field: 'code', message: 'open311.report.problem.required' }], request.t),
      });
    }
    return moveOn(request, reply, 'problem', chooseProblem(await stateOf(request), code));
  });

  // Where: a postcode, or a latitude and longitude --------------------------------------------

  app.get(PATHS.where, async (request, reply) => {
    const context = await open(request, reply, 'where');
    if (!context) return reply;
    const where = context.state.where;
    // A place given before that no longer serves (another problem was chosen since): say why.
    const stale =
      where && !context.facts.placeFound
        ? request.t(placeMessage(context), placeValues(context, request.locale))
        : undefined;
    return view(reply, 'where', context, {
      values: { postcode: where && 'postcode' in where ? where.postcode : '' },
      coordinatesLink: PATHS.coordinates,
      ...(stale
        ? {
            errorList: [{ text: stale, href: '#postcode' }],
            fieldErrors: { postcode: { text: stale } },
          }
        : {}),
    });
  });

  app.post(PATHS.where, async (request, reply) => {
    const context = await open(request, reply, 'where');
    if (!context) return reply;
    const typed = formText(request.body, 'postcode');
    const parsed = parsePostcode(typed);
    const fail = (message: string, values: Record<string, string> = {}) =>
      view(reply.code(400), 'where', context, {
        values: { postcode: typed },
        coordinatesLink: PATHS.coordinates,
        errorList: [{ text: request.t(message, values), href: '#postcode' }],
        fieldErrors: { postcode: { text: request.t(message, values) } },
      });
    if (!parsed.ok)
      return fail(
        parsed.problem === 'required'
          ? 'open311.report.where.required'
          : 'open311.report.where.malformed',
      );
    const state = placeAt(context.state, { postcode: parsed.postcode });
    const placed = await loadContext(db, state, request.locale);
    if (!placed.facts.placeFound)
      return fail(placeMessage(placed), placeValues(placed, request.locale));
    return moveOn(request, reply, 'where', state, placed);
  });

  app.get(PATHS.coordinates, async (request, reply) => {
    const context = await open(request, reply, 'coordinates');
    if (!context) return reply;
    const where = context.state.where;
    return view(reply, 'coordinates', context, {
      values:
        where && 'latitude' in where
          ? { latitude: String(where.latitude), longitude: String(where.longitude) }
          : {},
    });
  });

  app.post(PATHS.coordinates, async (request, reply) => {
    const context = await open(request, reply, 'coordinates');
    if (!context) return reply;
    const values = {
      latitude: formText(request.body, 'latitude'),
      longitude: formText(request.body, 'longitude'),
    };
    const errors: FieldError[] = [];
    const read = (name: 'latitude' | 'longitude', limit: number) => {
      const text = values[name];
      if (!text)
        errors.push({ field: name, message: `open311.report.coordinates.${name}Required` });
      else if (!DEGREES.test(text) || Math.abs(Number(text)) > limit)
        errors.push({ field: name, message: `open311.report.coordinates.${name}Invalid` });
      return Number(text);
    };
    const latitude = read('latitude', 90);
    const longitude = read('longitude', 180);
    const fail = (list: FieldError[], extra: Record<string, string> = {}) =>
      view(reply.code(400), 'coordinates', context, {
        values,
        ...errorView(
          list.map((e) => ({ ...e, message: request.t(e.message, extra) })),
          request.t,
        ),
      });
    if (errors.length) return fail(errors);
    const state = placeAt(context.state, { latitude, longitude });
    const placed = await loadContext(db, state, request.locale);
    if (!placed.facts.placeFound)
      return fail(
        [{ field: 'latitude', message: placeMessage(placed) }],
        placeValues(placed, request.locale),
      );
    return moveOn(request, reply, 'coordinates', state, placed);
  });

  // Which address or street ----------------------------------------------------------------------

  function placeItems(context: JourneyContext, request: FastifyRequest, picked: string) {
    const places = context.places ?? { streets: [], addresses: [] };
    const where = context.state.where;
    const postcode = where && 'postcode' in where ? where.postcode : '';
    return [
      ...places.addresses.map((a) => ({ value: `address:${a.uprn}`, text: a.text })),
      ...places.streets.map((s, i) => ({
        value: `street:${i}`,
        text: request.t('open311.report.place.street', {
          street: [s.street, s.locality, s.town].filter(Boolean).join(', '),
        }),
      })),
      { divider: request.t('open311.report.place.or') },
      { value: 'near', text: request.t('open311.report.place.near', { postcode }) },
    ].map((item) => ('value' in item ? { ...item, checked: item.value === picked } : item));
  }

  function pickedValue(context: JourneyContext): string {
    const pick = context.state.pick;
    if (!pick) return '';
    if ('uprn' in pick) return `address:${pick.uprn}`;
    if ('near' in pick) return 'near';
    const index = (context.places?.streets ?? []).findIndex(
      (s) =>
        s.street === pick.street.street &&
        s.town === pick.street.town &&
        s.locality === pick.street.locality,
    );
    return index >= 0 ? `street:${index}` : '';
  }

  app.get(PATHS.place, async (request, reply) => {
    const context = await open(request, reply, 'place');
    if (!context) return reply;
    return view(reply, 'place', context, {
      items: placeItems(context, request, pickedValue(context)),
    });
  });

  app.post(PATHS.place, async (request, reply) => {
    const context = await open(request, reply, 'place');
    if (!context) return reply;
    const value = formText(request.body, 'place');
    const places = context.places ?? { streets: [], addresses: [] };
    let pick: Pick | undefined;
    if (value === 'near') pick = { near: true };
    else if (value.startsWith('address:')) {
      const uprn = value.slice('address:'.length);
      if (places.addresses.some((a) => a.uprn === uprn)) pick = { uprn };
    } else if (value.startsWith('street:')) {
      const street = places.streets[Number(value.slice('street:'.length))];
      if (street)
        pick = { street: { street: street.street, locality: street.locality, town: street.town } };
    }
    if (!pick)
      return view(reply.code(400), 'place', context, {
        items: placeItems(context, request, value),
        ...errorView([{ field: 'place', message: 'open311.report.place.required' }], request.t),
      });
    const state = pickPlace(context.state, pick);
    const placed = await loadContext(db, state, request.locale);
    if (!placed.facts.placeFound)
      return view(reply.code(400), 'place', context, {
        items: placeItems(context, request, value),
        ...errorView(
          [
            {
              field: 'place',
              message: request.t(placeMessage(placed), placeValues(placed, request.locale)),
            },
          ],
          request.t,
        ),
      });
    return moveOn(request, reply, 'place', state, placed);
  });

  // The details: the service form's own questions -----------------------------------------------

  function detailFields(
    context: JourneyContext,
    request: FastifyRequest,
    values: Record<string, unknown>,
    errors: Record<string, { text: string }>,
  ) {
    const addresses = context.detailsQuestions
      .filter((q) => q.type === 'address')
      .map((q) => q.name);
    return context.detailsQuestions.map((question) =>
      fieldView(question, values, {
        locale: request.locale,
        t: request.t,
        errors,
        asPageHeading: false,
        manual: addresses,
        path: PATHS.details,
      }),
    );
  }

  app.get(PATHS.details, async (request, reply) => {
    const context = await open(request, reply, 'details');
    if (!context) return reply;
    return view(reply, 'details', context, {
      fields: detailFields(context, request, context.state.details ?? {}, {}),
      serviceTitle: context.responsible?.service.title,
      body: context.responsible?.service.organisation.name,
    });
  });

  app.post(PATHS.details, async (request, reply) => {
    const context = await open(request, reply, 'details');
    if (!context) return reply;
    const values = inputsOf(context.detailsQuestions, request.body);
    const state = answerDetails(context.state, values);
    const answered = await loadContext(db, state, request.locale);
    const byName = new Map(context.detailsQuestions.map((q) => [q.name, q]));
    const problems = answered.errors.filter((e) => byName.has(e.name));
    if (problems.length > 0) {
      const errors: FieldError[] = problems.map((e) => ({
        field: inputIdOf(byName.get(e.name)!, e.field),
        message: e.message[request.locale],
      }));
      const shown = errorView(errors, request.t);
      return view(reply.code(400), 'details', context, {
        fields: detailFields(context, request, values, shown.fieldErrors),
        serviceTitle: context.responsible?.service.title,
        body: context.responsible?.service.organisation.name,
        ...shown,
      });
    }
    return moveOn(request, reply, 'details', state, answered);
  });

  // Contact details --------------------------------------------------------------------------

  /** Which contact details the form insists on (most ask none). */
  function contactRequired(context: JourneyContext): Record<string, boolean> {
    const definition = context.responsible?.form.definition;
    if (!definition) return {};
    const roles = rolesOf(definition);
    const required: Record<string, boolean> = {};
    for (const question of definition.pages.flatMap((p) => p.questions)) {
      const role = roles.get(question.name);
      if (
        (role === 'email' || role === 'phone' || role === 'name') &&
        question.required &&
        !question.when
      )
        required[role] = true;
    }
    return required;
  }

  app.get(PATHS.contact, async (request, reply) => {
    const context = await open(request, reply, 'contact');
    if (!context) return reply;
    return view(reply, 'contact', context, {
      values: context.state.contact ?? {},
      required: contactRequired(context),
    });
  });

  app.post(PATHS.contact, async (request, reply) => {
    const context = await open(request, reply, 'contact');
    if (!context) return reply;
    const contact = {
      name: formText(request.body, 'name'),
      email: formText(request.body, 'email'),
      phone: formText(request.body, 'phone'),
    };
    const state = giveContact(context.state, contact);
    const answered = await loadContext(db, state, request.locale);
    const problems = answered.errors.filter((e) => ['email', 'phone', 'name'].includes(e.role));
    if (problems.length > 0)
      return view(reply.code(400), 'contact', context, {
        values: contact,
        required: contactRequired(context),
        ...errorView(
          problems.map((e) => ({ field: e.role, message: e.message[request.locale] })),
          request.t,
        ),
      });
    return moveOn(request, reply, 'contact', state, answered);
  });

  // Check and send ---------------------------------------------------------------------------

  app.get(PATHS.check, async (request, reply) => {
    const context = await open(request, reply, 'check');
    if (!context) return reply;
    const { responsible, place, answers, state } = context;
    const onDetails = new Set(context.detailsQuestions.map((q) => q.name));
    const details = summariseAnswers(responsible!.form.definition, answers ?? {}, request.locale)
      .filter((row) => onDetails.has(row.field))
      .map((row) => ({ key: row.question, value: row.answer, href: PATHS.details }));
    return view(reply, 'check', context, {
      problem: context.problem!.label[request.locale],
      where: place!.words,
      body: responsible!.service.organisation.name,
      details,
      contact: state.contact,
      publicAddress: place!.publicAddress,
      paths: PATHS,
    });
  });

  app.post(PATHS.check, async (request, reply) => {
    const context = await open(request, reply, 'check');
    if (!context) return reply;
    const id = journeyId(request);
    const { responsible, place, content, answers } = context;
    if (!id || !responsible || !place || !content || !answers)
      return reply.redirect(PATHS[firstIncomplete(context.state, context.facts)], 303);
    const user = request.user;
    const actor: Actor = {
      userId: user?.id ?? null,
      organisationId: null,
      role: user ? user.kind : 'public',
      requestId: request.id,
    };
    const sent = await db.transaction().execute(async (trx) => {
      if (!(await deleteJourney(trx, id))) return undefined;
      return createReport(
        trx,
        {
          reportable: responsible,
          place,
          content,
          answers,
          mediaUrl: null,
          channel: 'web',
          key: null,
          applicantUserId: user?.kind === 'citizen' ? user.id : null,
        },
        actor,
      );
    });
    reply.clearCookie(COOKIE, { path: REPORT_PATH });
    if (sent) {
      wakeOutbox();
      reply.setCookie(SENT_COOKIE, sent.reference, {
        path: REPORT_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure,
        signed: true,
        maxAge: 3600,
      });
    }
    return reply.redirect(`${REPORT_PATH}/confirmation`, 303);
  });

  app.get(`${REPORT_PATH}/confirmation`, async (request, reply) => {
    const raw = request.cookies[SENT_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    const sent =
      unsigned?.valid && unsigned.value
        ? await sentReport(db, unsigned.value, request.locale)
        : undefined;
    if (!sent) return reply.redirect(REPORT_PATH, 303);
    return reply.view(`${VIEWS}/confirmation.njk`, { sent });
  });
}
