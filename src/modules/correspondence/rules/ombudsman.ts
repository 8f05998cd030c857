/**
 * Where a complainant goes when the body's own procedure is over: the ombudsman for that kind of
 * body. English councils: the Local Government and Social Care Ombudsman; Welsh public bodies:
 * the Public Services Ombudsman for Wales; UK government departments and agencies: the
 * Parliamentary and Health Service Ombudsman, through an MP.
 */
import type { OrganisationRow } from '../../organisations/index.js';

export type Ombudsman = 'lgsco' | 'psow' | 'phso';

/** The ombudsman a body's complainants are signposted to after its final response. */
export function ombudsmanFor(body: Pick<OrganisationRow, 'type' | 'gss_code'>): Ombudsman {
  if (body.type === 'welsh-principal-area' || body.gss_code?.startsWith('W')) return 'psow';
  if (body.type === 'central-department' || body.type === 'executive-agency') return 'phso';
  return 'lgsco';
}
