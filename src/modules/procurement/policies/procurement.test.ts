import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  areTendersUnsealed,
  isTenderOpen,
  mayActForSupplier,
  mayAskClarification,
  mayEvaluate,
  mayManageProcurement,
  mayModerate,
  mayRegisterSupplier,
} from './procurement.js';

const staff = (organisationId: string, roles: string[]): CurrentUser => ({
  id: 'u',
  email: 'x@example.gov.uk',
  displayName: 'X',
  kind: 'staff',
  organisationId,
  organisationName: null,
  roles,
  credentialLevel: 'Cl',
  identityLevel: 'P0',
});

const deadline = new Date('2026-12-01T12:00:00Z');
const notice = {
  organisation_id: 'stroud',
  status: 'open',
  clarification_deadline: new Date('2026-11-20T12:00:00Z'),
  tender_deadline: deadline,
};
const at = (ms: number) => new Date(deadline.getTime() + ms);

describe('procurement policies', () => {
  it('a service owner of the body manages and moderates; one of another body does not', () => {
    expect(mayManageProcurement(staff('stroud', ['service-owner']), 'stroud')).toBe(true);
    expect(mayModerate(staff('stroud', ['service-owner']), 'stroud')).toBe(true);
    expect(mayManageProcurement(staff('cheltenham', ['service-owner']), 'stroud')).toBe(false);
    expect(mayManageProcurement(staff('stroud', ['caseworker']), 'stroud')).toBe(false);
    expect(mayModerate(staff('stroud', ['caseworker']), 'stroud')).toBe(false);
  });

  it('caseworkers of the body evaluate; counter advisers and other bodies do not', () => {
    expect(mayEvaluate(staff('stroud', ['caseworker']), 'stroud')).toBe(true);
    expect(mayEvaluate(staff('stroud', ['counter-adviser']), 'stroud')).toBe(false);
    expect(mayEvaluate(staff('cheltenham', ['caseworker']), 'stroud')).toBe(false);
    expect(mayEvaluate(null, 'stroud')).toBe(false);
  });

  it('administrators register the business as a supplier; any member tenders for it', () => {
    expect(mayRegisterSupplier('administrator')).toBe(true);
    expect(mayRegisterSupplier('assistant')).toBe(false);
    expect(mayActForSupplier('assistant')).toBe(true);
    expect(mayActForSupplier(null)).toBe(false);
  });

  it('a tender a second before the deadline is on time; at or a second after it, it is late', () => {
    expect(isTenderOpen(notice, at(-1000))).toBe(true);
    expect(isTenderOpen(notice, at(0))).toBe(false);
    expect(isTenderOpen(notice, at(1000))).toBe(false);
    expect(isTenderOpen({ ...notice, status: 'cancelled' }, at(-1000))).toBe(false);
  });

  it('tenders are sealed until the deadline and open from it', () => {
    expect(areTendersUnsealed(notice, at(-1))).toBe(false);
    expect(areTendersUnsealed(notice, at(0))).toBe(true);
  });

  it('clarification questions stop at the clarification deadline', () => {
    expect(mayAskClarification(notice, new Date('2026-11-20T11:59:59Z'))).toBe(true);
    expect(mayAskClarification(notice, new Date('2026-11-20T12:00:00Z'))).toBe(false);
  });
});
