import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { ArticleStatus } from '../db/tables.js';

/**
 * Who reads the knowledge base and directory: staff of any body, since advisers signpost across
 * government (a Stroud adviser needs Gloucestershire's school transport line). Citizens and
 * signed-out visitors get 404: scripts and internal lines are not public.
 */
export function mayReadKnowledge(user: CurrentUser | null): boolean {
  return !!user && user.kind === 'staff' && !!user.organisationId;
}

/** Who writes a body's articles, contact points, experts and routing rules: its service owners and admins. */
export function mayWriteKnowledgeOf(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/** Whether a member of staff may write anything at all, for the "add" buttons. */
export function mayWriteKnowledge(user: CurrentUser | null): boolean {
  return !!user?.organisationId && mayWriteKnowledgeOf(user, user.organisationId);
}

/** A published article is for every adviser; a draft or archived one only for its body's writers. */
export function mayReadArticle(
  user: CurrentUser | null,
  article: { organisation_id: string; status: ArticleStatus },
): boolean {
  if (!mayReadKnowledge(user)) return false;
  return article.status === 'published' || mayWriteKnowledgeOf(user, article.organisation_id);
}

/** Who sees every overdue article of their body, not only their own: its admins. */
export function seesAllReviewsOf(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId) && !!user?.roles.includes('admin');
}
