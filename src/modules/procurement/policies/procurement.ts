import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { MemberRole } from '../../agents/index.js';

/** What the rules need of a notice. */
export interface NoticeFacts {
  organisation_id: string;
  status: string;
  clarification_deadline: Date;
  tender_deadline: Date;
}

/** Who publishes, edits and awards a body's opportunities, and runs its orders: its service owners. */
export function mayManageProcurement(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/** Who scores tenders for a body: its caseworkers and service owners (the evaluation panel). */
export function mayEvaluate(user: CurrentUser | null, organisationId: string): boolean {
  return (
    isStaffOf(user, organisationId, 'caseworker') ||
    isStaffOf(user, organisationId, 'service-owner')
  );
}

/** Who agrees the panel's scores (moderates): the body's service owners. */
export function mayModerate(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/** Whether to show the staff "Procurement" link. */
export function isProcurementStaff(user: CurrentUser | null): boolean {
  return !!user?.organisationId && mayEvaluate(user, user.organisationId);
}

/** Who registers a business as a supplier and changes its details: the business's administrators. */
export function mayRegisterSupplier(role: MemberRole | null): boolean {
  return role === 'administrator';
}

/** Who asks questions and tenders for a supplier: any member of its business account. */
export function mayActForSupplier(role: MemberRole | null): boolean {
  return role !== null;
}

/**
 * Tenders are taken while the notice is open and before its deadline: a tender arriving at the
 * deadline or after it is late.
 */
export function isTenderOpen(notice: NoticeFacts, now: Date): boolean {
  return notice.status === 'open' && now.getTime() < notice.tender_deadline.getTime();
}

/**
 * The tenders stay sealed until the deadline: no one at the buying body may open any tender
 * before then, whatever their role.
 */
export function areTendersUnsealed(notice: NoticeFacts, now: Date): boolean {
  return now.getTime() >= notice.tender_deadline.getTime();
}

/** Suppliers ask clarification questions until the clarification deadline. */
export function mayAskClarification(notice: NoticeFacts, now: Date): boolean {
  return notice.status === 'open' && now.getTime() < notice.clarification_deadline.getTime();
}

/** A notice may be changed while tenders are still being taken. */
export function mayEditNotice(notice: NoticeFacts, now: Date): boolean {
  return isTenderOpen(notice, now);
}
