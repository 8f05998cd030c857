import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aStaffMember } from '../../identity/index.js';
import { SECTIONS, type Section } from '../db/tables.js';
import {
  maySeeAction,
  maySeeContactDetails,
  maySeeLink,
  maySeeSection,
  mayReadCasePlan,
  type BodyAccess,
  type PlanAccess,
} from './caseplans.js';

const LEAD = 'lead';
const BODIES = ['police', 'health', 'housing', 'charity'] as const;
type Body = (typeof BODIES)[number];

/** Everything that can happen to a plan's bodies, in any order. */
type Step =
  | {
      type: 'invite';
      body: Body;
      basis: 'consent' | 'safeguarding';
      sections: Section[];
      named: boolean;
    }
  | { type: 'accept' | 'decline' | 'withdraw'; body: Body }
  | { type: 'share'; body: Body; sections: Section[]; named: boolean }
  | { type: 'sensitive'; sensitive: boolean };

const body = fc.constantFrom(...BODIES);
const sections = fc.subarray([...SECTIONS]);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    type: fc.constant('invite' as const),
    body,
    basis: fc.constantFrom('consent' as const, 'safeguarding' as const),
    sections,
    named: fc.boolean(),
  }),
  fc.record({
    type: fc.constantFrom('accept' as const, 'decline' as const, 'withdraw' as const),
    body,
  }),
  fc.record({ type: fc.constant('share' as const), body, sections, named: fc.boolean() }),
  fc.record({ type: fc.constant('sensitive' as const), sensitive: fc.boolean() }),
);

/** Applies a step as the commands would (the same guards: only invited bodies answer, …). */
function apply(plan: PlanAccess, s: Step): PlanAccess {
  const bodies = [...plan.bodies];
  const at = (name: string) => bodies.findIndex((b) => b.organisationId === name);
  if (s.type === 'sensitive') return { ...plan, sensitive: s.sensitive };
  const i = at(s.body);
  const current = bodies[i];
  if (s.type === 'invite') {
    if (current && current.state !== 'declined') return plan;
    const fresh: BodyAccess = {
      organisationId: s.body,
      state: 'invited',
      basis: s.basis,
      consentWithdrawn: false,
      named: s.named,
      sharedSections: s.sections,
    };
    if (current) bodies[i] = fresh;
    else bodies.push(fresh);
  } else if (!current) {
    return plan;
  } else if (s.type === 'accept' || s.type === 'decline') {
    if (current.state !== 'invited') return plan;
    bodies[i] = { ...current, state: s.type === 'accept' ? 'accepted' : 'declined' };
  } else if (s.type === 'withdraw') {
    if (current.basis !== 'consent') return plan;
    bodies[i] = { ...current, consentWithdrawn: true };
  } else if (s.type === 'share') {
    bodies[i] = { ...current, sharedSections: s.sections, named: s.named };
  }
  return { ...plan, bodies };
}

/** The model: what a body may see, stated directly from the rules rather than the code. */
function expected(plan: PlanAccess, name: Body) {
  const b = plan.bodies.find((x) => x.organisationId === name);
  const active = !!b && b.state === 'accepted' && !(b.basis === 'consent' && b.consentWithdrawn);
  return {
    read: active,
    sections: active ? b!.sharedSections : [],
    contact: active && (!plan.sensitive || b!.named),
  };
}

describe('case plan access, over any history of invitations, answers, withdrawals, sharing and flags', () => {
  it('no body ever sees a field, section, action or link it should not; the lead always sees all', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let plan: PlanAccess = { leadOrganisationId: LEAD, sensitive: false, bodies: [] };
        for (const s of steps) {
          plan = apply(plan, s);
          const leadUser = aStaffMember(LEAD, ['caseworker']);
          expect(mayReadCasePlan(leadUser, plan)).toBe(true);
          expect(maySeeContactDetails(leadUser, plan)).toBe(true);
          for (const name of BODIES) {
            const user = aStaffMember(name, ['caseworker']);
            const want = expected(plan, name);
            expect(mayReadCasePlan(user, plan)).toBe(want.read);
            expect(maySeeContactDetails(user, plan)).toBe(want.contact);
            for (const section of SECTIONS) {
              expect(maySeeSection(user, plan, section)).toBe(want.sections.includes(section));
            }
            for (const owner of [LEAD, ...BODIES]) {
              const own = owner === name;
              expect(maySeeAction(user, plan, { organisationId: owner })).toBe(
                want.read && (own || want.sections.includes('plan')),
              );
              expect(maySeeLink(user, plan, { organisationId: owner })).toBe(
                want.read && (own || want.sections.includes('links')),
              );
            }
            // Staff of the body without a practitioner role see nothing, whatever happened.
            const owner = aStaffMember(name, ['service-owner']);
            expect(mayReadCasePlan(owner, plan)).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a break-glass grant opens only the granted section, and only to a body still taking part', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 20 }),
        fc.constantFrom(...SECTIONS),
        body,
        (steps, granted, name) => {
          let plan: PlanAccess = { leadOrganisationId: LEAD, sensitive: true, bodies: [] };
          for (const s of steps) plan = apply(plan, s);
          const user = aStaffMember(name, ['caseworker']);
          const want = expected(plan, name);
          for (const section of SECTIONS) {
            expect(maySeeSection(user, plan, section, [granted])).toBe(
              want.read && (want.sections.includes(section) || section === granted),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
