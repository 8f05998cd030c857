import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import {
  answererRole,
  canAskForInformation,
  canAskForReview,
  type AnswerFacts,
} from './policies.js';

const OWN = { organisation_id: 'stroud', applicant_user_id: 'sam' };
const NO_ACCOUNT = { organisation_id: 'stroud', applicant_user_id: null };
const NONE: AnswerFacts = {
  agentHasAuthority: false,
  applicationEmail: null,
  emailConfirmed: false,
};
const sam = aCitizen({ id: 'sam', email: 'sam@example.com' });
const agent = aCitizen({ id: 'chris', actingFor: { userId: 'sam', displayName: 'Sam' } });

describe('who asks for information', () => {
  it('is the case’s own body’s caseworkers and team leaders', () => {
    expect(canAskForInformation(aStaffMember('stroud', ['caseworker']), OWN)).toBe(true);
    expect(canAskForInformation(aStaffMember('stroud', ['team-leader']), OWN)).toBe(true);
  });

  it('is not another body’s caseworker, other staff of the body, the applicant or no one', () => {
    expect(canAskForInformation(aStaffMember('cheltenham', ['caseworker']), OWN)).toBe(false);
    expect(canAskForInformation(aStaffMember('stroud', ['service-owner']), OWN)).toBe(false);
    expect(canAskForInformation(sam, OWN)).toBe(false);
    expect(canAskForInformation(null, OWN)).toBe(false);
  });
});

describe('who answers a request', () => {
  it('is the applicant, signed in to their own account', () => {
    expect(answererRole(sam, OWN, NONE)).toBe('applicant');
    expect(answererRole(aCitizen({ id: 'someone-else' }), OWN, NONE)).toBeNull();
  });

  it('is an agent acting for the applicant only with authority for the service', () => {
    expect(answererRole(agent, OWN, { ...NONE, agentHasAuthority: true })).toBe('agent');
    expect(answererRole(agent, OWN, NONE)).toBeNull();
    const forAnother = aCitizen({ id: 'chris', actingFor: { userId: 'pat', displayName: 'Pat' } });
    expect(answererRole(forAnother, OWN, { ...NONE, agentHasAuthority: true })).toBeNull();
  });

  it('is, without an account, whoever holds the application’s e-mail address, confirmed', () => {
    const facts = { ...NONE, applicationEmail: 'Sam@Example.com', emailConfirmed: true };
    expect(answererRole(sam, NO_ACCOUNT, facts)).toBe('email-holder');
    expect(answererRole(sam, NO_ACCOUNT, { ...facts, emailConfirmed: false })).toBeNull();
    expect(
      answererRole(sam, NO_ACCOUNT, { ...facts, applicationEmail: 'pat@example.com' }),
    ).toBeNull();
    expect(answererRole(sam, NO_ACCOUNT, NONE)).toBeNull();
    // An application made with an account is that account's, whatever the address.
    expect(
      answererRole(aCitizen({ id: 'other', email: 'sam@example.com' }), OWN, facts),
    ).toBeNull();
  });

  it('is never staff, nor someone signed out', () => {
    const staff = aStaffMember('stroud', ['caseworker'], { email: 'sam@example.com' });
    expect(
      answererRole(staff, NO_ACCOUNT, {
        ...NONE,
        applicationEmail: 'sam@example.com',
        emailConfirmed: true,
      }),
    ).toBeNull();
    expect(answererRole(null, OWN, NONE)).toBeNull();
  });
});

describe('who asks for a review', () => {
  it('is the applicant or their agent with authority, no one else', () => {
    expect(canAskForReview(sam, OWN, false)).toBe(true);
    expect(canAskForReview(agent, OWN, true)).toBe(true);
    expect(canAskForReview(agent, OWN, false)).toBe(false);
    expect(canAskForReview(aCitizen({ id: 'pat' }), OWN, false)).toBe(false);
    expect(canAskForReview(aStaffMember('stroud', ['caseworker']), OWN, false)).toBe(false);
    expect(canAskForReview(sam, NO_ACCOUNT, false)).toBe(false);
  });
});
