import type { CurrentUser } from '../../platform/http/types.js';

/** A signed-in citizen for other modules' tests; override what the test is about. */
export function aCitizen(overrides: Partial<CurrentUser> = {}): CurrentUser {
  return {
    id: 'citizen-1',
    email: 'citizen@example.com',
    displayName: 'Sam Citizen',
    kind: 'citizen',
    organisationId: null,
    organisationName: null,
    roles: [],
    credentialLevel: 'Cl',
    identityLevel: 'P0',
    ...overrides,
  };
}

/** A signed-in member of staff of one organisation with the given roles. */
export function aStaffMember(
  organisationId: string,
  roles: string[],
  overrides: Partial<CurrentUser> = {},
): CurrentUser {
  return aCitizen({
    id: `staff-${organisationId}`,
    email: `staff@${organisationId}.example.gov.uk`,
    displayName: 'Alex Staff',
    kind: 'staff',
    organisationId,
    organisationName: organisationId,
    roles,
    ...overrides,
  });
}
