import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canReadAsRecipient, canReadAsStaff, canReply, canSendForOrganisation } from './inbox.js';

const citizen = aCitizen();
const message = {
  organisation_id: 'org-stroud',
  recipient_user_id: citizen.id,
  recipient_deleted_at: null,
  replies_allowed: true,
};

describe('inbox policies', () => {
  it('lets the recipient read their message, and nobody else as a recipient', () => {
    expect(canReadAsRecipient(citizen, message)).toBe(true);
    expect(canReadAsRecipient(aCitizen({ id: 'citizen-2' }), message)).toBe(false);
    expect(canReadAsRecipient(null, message)).toBe(false);
  });

  it('hides a message the recipient deleted from them', () => {
    expect(canReadAsRecipient(citizen, { ...message, recipient_deleted_at: new Date() })).toBe(
      false,
    );
  });

  it('allows a reply only where the body allowed replies', () => {
    expect(canReply(citizen, message)).toBe(true);
    expect(canReply(citizen, { ...message, replies_allowed: false })).toBe(false);
    expect(canReply(aCitizen({ id: 'citizen-2' }), message)).toBe(false);
  });

  it('lets caseworkers of the sending organisation read it, not those of another', () => {
    expect(canReadAsStaff(aStaffMember('org-stroud', ['caseworker']), message)).toBe(true);
    expect(canReadAsStaff(aStaffMember('org-other', ['caseworker']), message)).toBe(false);
    expect(canReadAsStaff(aStaffMember('org-stroud', ['counter-adviser']), message)).toBe(false);
  });

  it('lets only caseworkers with an organisation send', () => {
    expect(canSendForOrganisation(aStaffMember('org-stroud', ['caseworker']))).toBe(true);
    expect(canSendForOrganisation(citizen)).toBe(false);
    expect(canSendForOrganisation(aStaffMember('org-stroud', ['service-owner']))).toBe(false);
  });
});
