import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import type { HubCaller } from '../hub/keys.js';
import { mayAdministerHub, mayReadStatus, mayReceive, mayReply, maySubmitTo } from './hub.js';

const STROUD = 'stroud-id';
const CHELTENHAM = 'cheltenham-id';
const caller = (organisationId: string, scope: HubCaller['scope']): HubCaller => ({
  keyId: 'k',
  organisationId,
  scope,
});
const toStroud = { organisation_id: STROUD, submitted_by_organisation_id: CHELTENHAM };

describe('hub policies', () => {
  it('let a body’s admins and platform admins run its set-up, and nobody else', () => {
    expect(mayAdministerHub(aStaffMember(STROUD, ['admin']), STROUD)).toBe(true);
    expect(mayAdministerHub(aStaffMember('co', ['platform-admin']), STROUD)).toBe(true);
    expect(mayAdministerHub(aStaffMember(CHELTENHAM, ['admin']), STROUD)).toBe(false);
    expect(mayAdministerHub(aStaffMember(STROUD, ['caseworker', 'service-owner']), STROUD)).toBe(
      false,
    );
    expect(mayAdministerHub(aCitizen(), STROUD)).toBe(false);
    expect(mayAdministerHub(null, STROUD)).toBe(false);
  });

  it('let a submit key send to its own body’s services, an intermediary’s to any, a receive key to none', () => {
    expect(maySubmitTo(caller(STROUD, 'submit'), STROUD)).toBe(true);
    expect(maySubmitTo(caller(CHELTENHAM, 'submit'), STROUD)).toBe(false);
    expect(maySubmitTo(caller(CHELTENHAM, 'submit-any'), STROUD)).toBe(true);
    expect(maySubmitTo(caller(STROUD, 'receive'), STROUD)).toBe(false);
  });

  it('let only the receiving body’s receive key reply or read its inbox', () => {
    expect(mayReply(caller(STROUD, 'receive'), toStroud)).toBe(true);
    expect(mayReply(caller(CHELTENHAM, 'receive'), toStroud)).toBe(false);
    expect(mayReply(caller(STROUD, 'submit'), toStroud)).toBe(false);
    expect(mayReceive(caller(STROUD, 'receive'))).toBe(true);
    expect(mayReceive(caller(STROUD, 'submit-any'))).toBe(false);
  });

  it('let the receiving body and the sending body read a status, and no one else', () => {
    expect(mayReadStatus(caller(STROUD, 'receive'), toStroud)).toBe(true);
    expect(mayReadStatus(caller(CHELTENHAM, 'submit'), toStroud)).toBe(true);
    expect(mayReadStatus(caller(CHELTENHAM, 'receive'), toStroud)).toBe(false);
    expect(mayReadStatus(caller(STROUD, 'submit'), toStroud)).toBe(false);
    expect(mayReadStatus(caller('bristol', 'submit-any'), toStroud)).toBe(false);
  });
});
