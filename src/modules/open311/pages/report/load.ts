/**
 * What a journey's state means now: the problem, the place and the body responsible for it, the
 * questions the details page asks, and the report checked as it stands — from which the
 * journey's guard (`Facts`) is worked out on every request.
 */
import type { Db } from '../../../../platform/db/database.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { readPageInput, type Answers, type Question } from '../../../forms/index.js';
import {
  questionsOf,
  rolesOf,
  type QuestionRole,
  type ReportContent,
} from '../../attributes/mapping.js';
import { reportableProblem, type ReportableProblem } from '../../codes.js';
import { checkReport, type ReportError } from '../../commands/report.js';
import {
  findPlace,
  placesAtPostcode,
  type Place,
  type PlaceProblem,
} from '../../location/place.js';
import {
  responsibleService,
  type NotResponsible,
  type ReportableService,
} from '../../queries/services.js';
import type { Facts, JourneyState } from './journey.js';

/** The roles whose questions the details page asks (the address only when the place has none). */
const DETAIL_ROLES: ReadonlySet<QuestionRole> = new Set(['attribute', 'description']);
const CONTACT_ROLES: ReadonlySet<QuestionRole> = new Set(['email', 'phone', 'name']);

export interface JourneyContext {
  state: JourneyState;
  problem?: ReportableProblem;
  place?: Place;
  /** Why the place cannot be used: not found, or no body here takes this problem. */
  placeProblem?: PlaceProblem | NotResponsible | { reason: 'unusable' };
  responsible?: ReportableService;
  places?: Awaited<ReturnType<typeof placesAtPostcode>>;
  detailsQuestions: Question[];
  content?: ReportContent;
  /** The form's answers, when the report as it stands is complete and valid. */
  answers?: Answers;
  errors: ReportError[];
  facts: Facts;
}

/** The report as the journey's answers make it, for the form's validator. */
function contentOf(
  state: JourneyState,
  place: Place,
  responsible: ReportableService,
  detailsQuestions: Question[],
): ReportContent {
  const roles = rolesOf(responsible.form.definition);
  const input = readPageInput(detailsQuestions, state.details ?? {}, {});
  const attributes: Record<string, unknown> = {};
  let description = '';
  let address: ReportContent['address'] = place.address;
  for (const question of detailsQuestions) {
    const role = roles.get(question.name);
    const value = input[question.name];
    if (role === 'attribute') attributes[question.name] = value;
    else if (role === 'description') description = typeof value === 'string' ? value : '';
    else if (role === 'address') address = value as Record<string, unknown>;
  }
  return {
    address,
    locationText: place.words,
    postcode: place.postcode,
    description,
    email: state.contact?.email ?? '',
    phone: state.contact?.phone ?? '',
    name: state.contact?.name ?? '',
    attributes,
  };
}

/** Loads everything a step needs from the state (reading only: the caller saves). */
export async function loadContext(
  db: Db,
  state: JourneyState,
  locale: Locale,
): Promise<JourneyContext> {
  const problem = state.code ? reportableProblem(state.code) : undefined;
  const context: JourneyContext = {
    state,
    ...(problem ? { problem } : {}),
    detailsQuestions: [],
    errors: [],
    facts: {
      problemKnown: !!problem,
      placeFound: false,
      placesToPick: false,
      detailsAsked: false,
      detailsValid: false,
      contactValid: false,
    },
  };
  if (!state.where) return context;
  if ('postcode' in state.where) {
    context.places = await placesAtPostcode(db, state.where.postcode);
    context.facts.placesToPick =
      context.places.addresses.length + context.places.streets.length > 0;
  }
  const pick = state.pick;
  const found = await findPlace(db, {
    ...state.where,
    ...(pick && 'uprn' in pick ? { uprn: pick.uprn } : {}),
    ...(pick && 'street' in pick ? { street: pick.street } : {}),
  });
  if (!found.ok) {
    context.placeProblem = found.problem;
    return context;
  }
  context.place = found.place;
  if (!problem) return context;
  const responsible = await responsibleService(db, problem, found.place.postcode, locale);
  if (!responsible.ok) {
    context.placeProblem = responsible;
    return context;
  }
  context.responsible = responsible;
  context.facts.placeFound = true;

  const definition = responsible.form.definition;
  const roles = rolesOf(definition);
  const asked = (q: Question) => {
    const role = roles.get(q.name)!;
    return DETAIL_ROLES.has(role) || (role === 'address' && !found.place.address);
  };
  context.detailsQuestions = questionsOf(definition).filter(asked);
  context.content = contentOf(state, found.place, responsible, context.detailsQuestions);
  const checked = checkReport(responsible, context.content);
  context.errors = checked.ok ? [] : checked.errors;
  if (checked.ok) context.answers = checked.answers;
  const onDetails = new Set(context.detailsQuestions.map((q) => q.name));
  // A problem no page of the journey asks about (the form refuses the place's address, or its
  // words): the place cannot be used for this report, so the person is asked for another.
  if (context.errors.some((e) => !onDetails.has(e.name) && !CONTACT_ROLES.has(e.role))) {
    context.placeProblem = { reason: 'unusable' };
    context.facts.placeFound = false;
  }
  context.facts.detailsAsked = context.detailsQuestions.length > 0;
  context.facts.detailsValid = !context.errors.some((e) => onDetails.has(e.name));
  context.facts.contactValid = !context.errors.some((e) => CONTACT_ROLES.has(e.role));
  return context;
}
