import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  mayKeepEEnablement,
  maySeeBodyPerformance,
  maySetUnitCosts,
  seesStaffPerformance,
} from './performance.js';

function staff(roles: string[], organisationId: string | null = 'stroud'): CurrentUser {
  return {
    id: 'u',
    email: 'u@example.gov.uk',
    displayName: 'U',
    kind: 'staff',
    organisationId,
    organisationName: null,
    roles,
    credentialLevel: 'Cl.Cm',
    identityLevel: 'P0',
  };
}
const citizen: CurrentUser = { ...staff([]), kind: 'citizen', organisationId: null };

describe('performance policies', () => {
  it('shows a body’s dashboard to its own staff and the centre, not to another body', () => {
    expect(maySeeBodyPerformance(staff(['caseworker']), 'stroud')).toBe(true);
    expect(maySeeBodyPerformance(staff(['caseworker'], 'cheltenham'), 'stroud')).toBe(false);
    expect(maySeeBodyPerformance(staff(['platform-admin'], null), 'stroud')).toBe(true);
    expect(maySeeBodyPerformance(citizen, 'stroud')).toBe(false);
    expect(maySeeBodyPerformance(null, 'stroud')).toBe(false);
  });

  it('lets only the body’s service owners set unit costs and keep the register', () => {
    expect(maySetUnitCosts(staff(['service-owner']), 'stroud')).toBe(true);
    expect(maySetUnitCosts(staff(['admin']), 'stroud')).toBe(true);
    expect(maySetUnitCosts(staff(['caseworker']), 'stroud')).toBe(false);
    expect(maySetUnitCosts(staff(['service-owner'], 'cheltenham'), 'stroud')).toBe(false);
    expect(mayKeepEEnablement(staff(['service-owner']), 'stroud')).toBe(true);
    expect(mayKeepEEnablement(staff(['caseworker']), 'stroud')).toBe(false);
    expect(mayKeepEEnablement(staff(['platform-admin'], null), 'stroud')).toBe(false);
  });

  it('links staff of a body and the centre to their dashboard, not citizens', () => {
    expect(seesStaffPerformance(staff(['caseworker']))).toBe(true);
    expect(seesStaffPerformance(staff(['platform-admin'], null))).toBe(true);
    expect(seesStaffPerformance(citizen)).toBe(false);
    expect(seesStaffPerformance(null)).toBe(false);
  });
});
