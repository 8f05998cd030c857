import { describe, expect, it } from 'vitest';
import type { PersonCaller } from '../hub/auth.js';
import { personMayReadStatus } from './oauth.js';

const sam: PersonCaller = {
  kind: 'person',
  userId: 'sam',
  clientId: 'ju-portal',
  channel: 'oauth:ju-portal',
};

describe('personMayReadStatus', () => {
  it('lets the client read what it sent for the person', () => {
    expect(personMayReadStatus(sam, { applicant_user_id: 'sam', channel: 'oauth:ju-portal' })).toBe(
      true,
    );
  });

  it('refuses what the person sent themselves on the web', () => {
    expect(personMayReadStatus(sam, { applicant_user_id: 'sam', channel: 'web' })).toBe(false);
  });

  it('refuses what another client sent for the person', () => {
    expect(personMayReadStatus(sam, { applicant_user_id: 'sam', channel: 'oauth:ju-other' })).toBe(
      false,
    );
  });

  it('refuses another person’s submission sent by the same client', () => {
    expect(personMayReadStatus(sam, { applicant_user_id: 'kim', channel: 'oauth:ju-portal' })).toBe(
      false,
    );
  });
});
