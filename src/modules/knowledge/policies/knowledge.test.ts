import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import {
  mayReadArticle,
  mayReadKnowledge,
  mayWriteKnowledge,
  mayWriteKnowledgeOf,
  seesAllReviewsOf,
} from './knowledge.js';

const adviser = aStaffMember('stroud', ['counter-adviser']);
const owner = aStaffMember('stroud', ['service-owner']);
const admin = aStaffMember('stroud', ['admin']);
const otherOwner = aStaffMember('bristol', ['service-owner']);

describe('knowledge policies', () => {
  it('staff of any body read; citizens and visitors do not', () => {
    expect(mayReadKnowledge(adviser)).toBe(true);
    expect(mayReadKnowledge(otherOwner)).toBe(true);
    expect(mayReadKnowledge(aCitizen())).toBe(false);
    expect(mayReadKnowledge(null)).toBe(false);
  });

  it("only a body's service owners and admins write its knowledge", () => {
    expect(mayWriteKnowledgeOf(owner, 'stroud')).toBe(true);
    expect(mayWriteKnowledgeOf(admin, 'stroud')).toBe(true);
    expect(mayWriteKnowledgeOf(adviser, 'stroud')).toBe(false);
    expect(mayWriteKnowledgeOf(otherOwner, 'stroud')).toBe(false);
    expect(mayWriteKnowledge(adviser)).toBe(false);
    expect(mayWriteKnowledge(otherOwner)).toBe(true);
  });

  it("a draft is seen by its body's writers only; a published article by every adviser", () => {
    const draft = { organisation_id: 'stroud', status: 'draft' as const };
    const published = { organisation_id: 'stroud', status: 'published' as const };
    expect(mayReadArticle(owner, draft)).toBe(true);
    expect(mayReadArticle(adviser, draft)).toBe(false);
    expect(mayReadArticle(otherOwner, draft)).toBe(false);
    expect(mayReadArticle(otherOwner, published)).toBe(true);
    expect(mayReadArticle(aCitizen(), published)).toBe(false);
  });

  it("a body's admins see all its overdue articles; others only their own", () => {
    expect(seesAllReviewsOf(admin, 'stroud')).toBe(true);
    expect(seesAllReviewsOf(owner, 'stroud')).toBe(false);
    expect(seesAllReviewsOf(aStaffMember('bristol', ['admin']), 'stroud')).toBe(false);
  });
});
