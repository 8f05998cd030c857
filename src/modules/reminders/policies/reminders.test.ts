import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import { channelsFor, mayManageReminder, maySubscribe } from './reminders.js';

const citizen: CurrentUser = {
  id: 'a0000000-0000-4000-8000-000000000001',
  email: 'sam@example.com',
  displayName: 'Sam',
  kind: 'citizen',
  organisationId: null,
  organisationName: null,
  roles: [],
  credentialLevel: 'Cl',
  identityLevel: 'P0',
};

describe('maySubscribe', () => {
  it('lets a signed-in citizen set up reminders', () => {
    expect(maySubscribe(citizen)).toBe(true);
  });

  it('refuses nobody signed in, staff, and an agent acting for a client', () => {
    expect(maySubscribe(null)).toBe(false);
    expect(maySubscribe({ ...citizen, kind: 'staff' })).toBe(false);
    expect(
      maySubscribe({ ...citizen, actingFor: { userId: 'someone-else', displayName: 'Client' } }),
    ).toBe(false);
  });
});

describe('mayManageReminder', () => {
  it('lets the person a reminder belongs to manage it', () => {
    expect(mayManageReminder(citizen, { userId: citizen.id })).toBe(true);
  });

  it('refuses another person, nobody, and a reminder that does not exist', () => {
    expect(mayManageReminder({ ...citizen, id: 'another' }, { userId: citizen.id })).toBe(false);
    expect(mayManageReminder(null, { userId: citizen.id })).toBe(false);
    expect(mayManageReminder(citizen, undefined)).toBe(false);
  });
});

describe('channelsFor', () => {
  const none = { phone: null, phone_verified_at: null, phone_failed_at: null };

  it('offers text only for a confirmed mobile number that has not failed', () => {
    expect(channelsFor({ ...none, phone: '+447700900123', phone_verified_at: new Date() })).toEqual(
      ['email', 'sms'],
    );
  });

  it('offers only e-mail without a number, with an unconfirmed one or one that failed', () => {
    expect(channelsFor(none)).toEqual(['email']);
    expect(channelsFor({ ...none, phone: '+447700900123' })).toEqual(['email']);
    expect(
      channelsFor({
        phone: '+447700900123',
        phone_verified_at: new Date(),
        phone_failed_at: new Date(),
      }),
    ).toEqual(['email']);
    expect(channelsFor(undefined)).toEqual(['email']);
  });
});
