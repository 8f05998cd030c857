/**
 * "Report a problem" as a state machine. The state is what the person has said; the events are
 * the pages' answers (choose a problem, give a postcode or a point, pick a place, answer the
 * details, give contact details); the one guard is that nobody reaches a step before every step
 * before it is complete, re-checked on each request (`Facts`), so a changed answer sends the
 * person back to what it made incomplete.
 *
 *   problem → where ⇄ coordinates → place (a postcode with addresses) → details (the form asks
 *   some) → contact → check → sent
 */

export type Step = 'problem' | 'where' | 'coordinates' | 'place' | 'details' | 'contact' | 'check';

/** A picked place at a postcode: an address, somewhere along a street, or just near the postcode. */
export type Pick =
  | { uprn: string }
  | { street: { street: string; locality: string | null; town: string } }
  | { near: true };

export interface JourneyState {
  code?: string;
  where?: { postcode: string } | { latitude: number; longitude: number };
  pick?: Pick;
  /** The details page as posted (input names and values), so it can be shown again as typed. */
  details?: Record<string, unknown>;
  contact?: { name: string; email: string; phone: string };
}

/** What the state means now, worked out on each request (see load.ts). */
export interface Facts {
  problemKnown: boolean;
  /** The place is found and a body on the platform takes this problem there. */
  placeFound: boolean;
  /** The postcode has addresses or streets to pick from. */
  placesToPick: boolean;
  /** The form asks questions the details page shows. */
  detailsAsked: boolean;
  detailsValid: boolean;
  contactValid: boolean;
}

/** The first step not yet complete: where someone jumping ahead is sent. */
export function firstIncomplete(state: JourneyState, facts: Facts): Step {
  if (!state.code || !facts.problemKnown) return 'problem';
  if (!state.where || !facts.placeFound) return 'where';
  if ('postcode' in state.where && facts.placesToPick && !state.pick) return 'place';
  if (facts.detailsAsked && (!state.details || !facts.detailsValid)) return 'details';
  if (!state.contact || !facts.contactValid) return 'contact';
  return 'check';
}

const ORDER: Step[] = ['problem', 'where', 'place', 'details', 'contact', 'check'];

function rank(step: Step): number {
  return ORDER.indexOf(step === 'coordinates' ? 'where' : step);
}

/**
 * Whether a step may be shown: it is not after the first incomplete one, and it applies
 * (picking a place follows a postcode with places; the details page, a form that asks some).
 */
export function mayVisit(step: Step, state: JourneyState, facts: Facts): boolean {
  if (rank(step) > rank(firstIncomplete(state, facts))) return false;
  if (step === 'place') return !!state.where && 'postcode' in state.where && facts.placesToPick;
  if (step === 'details') return facts.detailsAsked;
  return true;
}

/** The step after one just answered: the next that applies, or the first incomplete if earlier. */
export function nextStep(answered: Step, state: JourneyState, facts: Facts): Step {
  const first = firstIncomplete(state, facts);
  const after = ORDER.slice(rank(answered) + 1).find((step) => mayVisit(step, state, facts));
  if (!after || rank(first) < rank(after)) return first;
  return after;
}

/** The step before, for the back link. */
export function previousStep(step: Step, state: JourneyState, facts: Facts): Step | undefined {
  if (step === 'coordinates') return 'where';
  return ORDER.slice(0, rank(step))
    .reverse()
    .find((s) => mayVisit(s, state, facts));
}

// Events ---------------------------------------------------------------------------------------

/** Another problem keeps the place (and contact details) but not the previous form's answers. */
export function chooseProblem(state: JourneyState, code: string): JourneyState {
  if (state.code === code) return state;
  const { details: _dropped, ...rest } = state;
  return { ...rest, code };
}

/** A new place: a postcode (to pick an address or street at) or a point; the old pick goes. */
export function placeAt(
  state: JourneyState,
  where: NonNullable<JourneyState['where']>,
): JourneyState {
  const { pick: _dropped, ...rest } = state;
  return { ...rest, where };
}

export function pickPlace(state: JourneyState, pick: Pick): JourneyState {
  return { ...state, pick };
}

export function answerDetails(state: JourneyState, details: Record<string, unknown>): JourneyState {
  return { ...state, details };
}

export function giveContact(
  state: JourneyState,
  contact: NonNullable<JourneyState['contact']>,
): JourneyState {
  return { ...state, contact };
}

/** A stored state as far as it can be trusted (it is JSON the database gave back). */
export function readState(value: unknown): JourneyState {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const state: JourneyState = {};
  if (typeof raw.code === 'string') state.code = raw.code;
  const where = raw.where as Record<string, unknown> | undefined;
  if (where && typeof where.postcode === 'string') state.where = { postcode: where.postcode };
  else if (where && typeof where.latitude === 'number' && typeof where.longitude === 'number')
    state.where = { latitude: where.latitude, longitude: where.longitude };
  const pick = raw.pick as Record<string, unknown> | undefined;
  if (pick && typeof pick.uprn === 'string') state.pick = { uprn: pick.uprn };
  else if (pick && pick.near === true) state.pick = { near: true };
  else if (pick && typeof pick.street === 'object' && pick.street !== null) {
    const street = pick.street as Record<string, unknown>;
    if (typeof street.street === 'string' && typeof street.town === 'string')
      state.pick = {
        street: {
          street: street.street,
          locality: typeof street.locality === 'string' ? street.locality : null,
          town: street.town,
        },
      };
  }
  if (typeof raw.details === 'object' && raw.details !== null && !Array.isArray(raw.details))
    state.details = raw.details as Record<string, unknown>;
  const contact = raw.contact as Record<string, unknown> | undefined;
  if (contact && ['name', 'email', 'phone'].every((k) => typeof contact[k] === 'string'))
    state.contact = {
      name: contact.name as string,
      email: contact.email as string,
      phone: contact.phone as string,
    };
  return state;
}
