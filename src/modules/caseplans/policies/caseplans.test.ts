import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import {
  isOpenPlan,
  isShownToPerson,
  mayAnswerInvitation,
  mayBreakGlass,
  mayClosePlan,
  mayManageCasePlan,
  mayOwnAction,
  mayReadCasePlan,
  mayUpdateAction,
  mayViewOwnPlan,
  type PlanAccess,
} from './caseplans.js';

const plan: PlanAccess = {
  leadOrganisationId: 'lead',
  sensitive: true,
  bodies: [
    {
      organisationId: 'police',
      state: 'accepted',
      basis: 'safeguarding',
      consentWithdrawn: false,
      named: true,
      sharedSections: ['plan'],
    },
    {
      organisationId: 'health',
      state: 'accepted',
      basis: 'consent',
      consentWithdrawn: true,
      named: true,
      sharedSections: ['plan'],
    },
    {
      organisationId: 'housing',
      state: 'invited',
      basis: 'consent',
      consentWithdrawn: false,
      named: false,
      sharedSections: ['plan'],
    },
  ],
};
const staff = (org: string) => aStaffMember(org, ['caseworker']);

describe('case plan policies', () => {
  it('the lead reads and manages; a body that accepted reads but does not manage', () => {
    expect(mayManageCasePlan(staff('lead'), plan)).toBe(true);
    expect(mayReadCasePlan(staff('police'), plan)).toBe(true);
    expect(mayManageCasePlan(staff('police'), plan)).toBe(false);
  });
  it('an invited body, a body whose consent was withdrawn and a citizen read nothing', () => {
    expect(mayReadCasePlan(staff('housing'), plan)).toBe(false);
    expect(mayReadCasePlan(staff('health'), plan)).toBe(false);
    expect(mayReadCasePlan(aCitizen(), plan)).toBe(false);
  });
  it('actions may be owned by the lead and active bodies only', () => {
    expect(mayOwnAction(plan, 'lead')).toBe(true);
    expect(mayOwnAction(plan, 'police')).toBe(true);
    expect(mayOwnAction(plan, 'health')).toBe(false);
    expect(mayOwnAction(plan, 'housing')).toBe(false);
    expect(mayOwnAction(plan, 'nobody')).toBe(false);
  });
  it('a body updates only its own actions', () => {
    expect(mayUpdateAction(staff('police'), plan, { organisationId: 'police' })).toBe(true);
    expect(mayUpdateAction(staff('police'), plan, { organisationId: 'lead' })).toBe(false);
  });
  it('break glass is for an active body and a section not shared with it', () => {
    expect(mayBreakGlass(staff('police'), plan, 'assessment')).toBe(true);
    expect(mayBreakGlass(staff('police'), plan, 'plan')).toBe(false);
    expect(mayBreakGlass(staff('health'), plan, 'assessment')).toBe(false);
    expect(mayBreakGlass(staff('lead'), plan, 'assessment')).toBe(false);
  });
  it('only the lead closes an open plan; once closed nobody closes it again or answers an invitation', () => {
    const closed: PlanAccess = { ...plan, closed: true };
    expect(isOpenPlan(plan)).toBe(true);
    expect(isOpenPlan(closed)).toBe(false);
    expect(mayClosePlan(staff('lead'), plan)).toBe(true);
    expect(mayClosePlan(staff('police'), plan)).toBe(false);
    expect(mayClosePlan(staff('lead'), closed)).toBe(false);
    expect(mayAnswerInvitation(staff('housing'), plan)).toBe(true);
    expect(mayAnswerInvitation(staff('housing'), closed)).toBe(false);
    // Reading stays as it was.
    expect(mayReadCasePlan(staff('police'), closed)).toBe(true);
  });
  it('the person sees their own plan, not an agent acting for them; hidden safeguarding bases stay hidden', () => {
    expect(mayViewOwnPlan(aCitizen({ id: 'p' }), { personAccountId: 'p' })).toBe(true);
    expect(mayViewOwnPlan(aCitizen({ id: 'q' }), { personAccountId: 'p' })).toBe(false);
    expect(
      mayViewOwnPlan(aCitizen({ id: 'p', actingFor: { userId: 'p', displayName: 'x' } }), {
        personAccountId: 'p',
      }),
    ).toBe(false);
    expect(
      isShownToPerson({ state: 'accepted', basis: 'safeguarding', basisShownToPerson: false }),
    ).toBe(false);
    expect(
      isShownToPerson({ state: 'accepted', basis: 'consent', basisShownToPerson: false }),
    ).toBe(true);
  });
});
