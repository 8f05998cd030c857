import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { readAccess, systemReadAccess } from './attachments.js';

const sent = { owner_user_id: 'citizen-1', submission_id: 'sub-1', organisation_id: 'stroud' };
const draft = { owner_user_id: 'citizen-1', submission_id: null, organisation_id: null };

describe('who may read an uploaded file', () => {
  it('the person who uploaded it, in their draft and after sending it', () => {
    expect(readAccess(aCitizen(), draft)).toBe('owner');
    expect(readAccess(aCitizen(), sent)).toBe('owner');
  });

  it('a caseworker, team leader or admin of the body that received it, once it is sent', () => {
    expect(readAccess(aStaffMember('stroud', ['caseworker']), sent)).toBe('staff');
    expect(readAccess(aStaffMember('stroud', ['team-leader']), sent)).toBe('staff');
    expect(readAccess(aStaffMember('stroud', ['admin']), sent)).toBe('staff');
  });

  it('not another citizen, nor anyone signed out', () => {
    expect(readAccess(aCitizen({ id: 'citizen-2' }), sent)).toBeNull();
    expect(readAccess(null, sent)).toBeNull();
  });

  it('not staff of another body, staff without the caseworker role, nor anyone before it is sent', () => {
    expect(readAccess(aStaffMember('cheltenham', ['caseworker']), sent)).toBeNull();
    expect(readAccess(aStaffMember('cheltenham', ['team-leader']), sent)).toBeNull();
    expect(readAccess(aStaffMember('stroud', ['service-owner']), sent)).toBeNull();
    expect(readAccess(aStaffMember('stroud', ['caseworker']), draft)).toBeNull();
  });

  it('nobody as owner of an upload that has no owner (one made through the API)', () => {
    expect(readAccess(aCitizen({ id: 'citizen-1' }), { ...sent, owner_user_id: null })).toBeNull();
  });

  it('a body’s system only for a file sent with a submission to that body', () => {
    expect(systemReadAccess({ organisationId: 'stroud' }, sent)).toBe(true);
    expect(systemReadAccess({ organisationId: 'cheltenham' }, sent)).toBe(false);
    expect(systemReadAccess({ organisationId: 'stroud' }, draft)).toBe(false);
    expect(systemReadAccess({ organisationId: 'stroud' }, { ...sent, submission_id: null })).toBe(
      false,
    );
  });
});
