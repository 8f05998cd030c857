import { describe, expect, it } from 'vitest';
import { channelOf, hoursBetween } from './channel.js';
import type { Channel } from '../../catalogue/index.js';
import { singleAccountOf, tellUsOnceOf } from '../queries/joined-up.js';
import { decisionBucket, journeyDeltas, transactionDeltas } from './rollups.js';
import { outcomeOf } from './sharing.js';

describe('the channel of a submission', () => {
  const web = { channel: 'web', agent_business_id: null, on_behalf_of: null };
  it('is online for the web and API channels, by an agent when one stands behind it', () => {
    expect(channelOf(web)).toBe('online');
    expect(channelOf({ ...web, channel: 'api:stroud' })).toBe('online');
    expect(channelOf({ ...web, agent_business_id: 'b' })).toBe('online-agent');
    expect(
      channelOf({ ...web, channel: 'partner-portal', on_behalf_of: { consentReference: 'c' } }),
    ).toBe('online-agent');
  });

  it('keeps the assisted and paper channels as recorded', () => {
    expect(channelOf({ ...web, channel: 'phone' })).toBe('phone');
    expect(channelOf({ ...web, channel: 'face-to-face' })).toBe('face-to-face');
    expect(channelOf({ ...web, channel: 'post' })).toBe('post');
  });
});

describe('what a fact adds to the roll-ups', () => {
  const fact = {
    service_id: 's',
    organisation_id: 'o',
    channel: 'online' as const,
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    submitted_at: new Date('2026-06-30T23:30:00Z'),
    decided_at: null,
    due_at: null,
  };

  it('counts a transaction on its London day', () => {
    expect(transactionDeltas(fact)).toEqual([
      {
        table: 'performance_daily_transactions',
        key: { day: '2026-07-01', service_id: 's', organisation_id: 'o', channel: 'online' },
        counts: { transactions: 1 },
      },
    ]);
  });

  it('adds a decision by whole hours on the day it was made, and whether the deadline was kept', () => {
    const decided = {
      ...fact,
      decided_at: new Date('2026-07-03T10:29:00Z'),
      due_at: new Date('2026-07-03T23:00:00Z'),
    };
    // 58 h 59 min → 58 whole hours, counted with those of day 2 (from 48 hours).
    expect(transactionDeltas(decided)[1]).toEqual({
      table: 'performance_daily_decisions',
      key: { day: '2026-07-03', service_id: 's', organisation_id: 'o', hours: 48 },
      counts: { decisions: 1, with_deadline: 1, within_deadline: 1 },
    });
    const late = { ...decided, due_at: new Date('2026-07-02T00:00:00Z') };
    expect(transactionDeltas(late)[1]!.counts).toEqual({
      decisions: 1,
      with_deadline: 1,
      within_deadline: 0,
    });
    expect(hoursBetween(new Date(10_000), new Date(0))).toBe(0);
    expect([5, 23, 24, 335, 336, 2183, 2184, 3000].map(decisionBucket)).toEqual([
      5, 23, 24, 312, 336, 2016, 2016, 2688,
    ]);
  });

  it('counts a journey begun, and the page it stopped on until it is sent', () => {
    const journey = {
      service_id: 's',
      organisation_id: 'o',
      started_at: new Date('2026-01-15T12:00:00Z'),
      last_page: 'address',
      completed_at: null,
    };
    expect(journeyDeltas(journey)).toEqual([
      {
        table: 'performance_daily_journeys',
        key: { day: '2026-01-15', service_id: 's', organisation_id: 'o' },
        counts: { started: 1, completed: 0 },
      },
      {
        table: 'performance_daily_dropoff',
        key: { day: '2026-01-15', service_id: 's', organisation_id: 'o', page: 'address' },
        counts: { journeys: 1 },
      },
    ]);
    expect(journeyDeltas({ ...journey, completed_at: new Date() })).toHaveLength(1);
  });
});

describe('joined-up-ness from what happened', () => {
  const waiting = {
    status: 'waiting' as const,
    reason: null,
    via: null,
    sentAt: null,
    confirmedAt: null,
    answeredAt: null,
  };

  it('expects a body to be told unless the person did not consent, withdrew, or no agreement covered it', () => {
    expect(outcomeOf(waiting)).toEqual({ due: true, delivered: false });
    for (const reason of ['no-agreement', 'no-consent', 'consent-withdrawn', 'report-rejected'])
      expect(outcomeOf({ ...waiting, status: 'not-sent', reason })).toEqual({
        due: false,
        delivered: false,
      });
    // The agreement ended before the change went: it was to be told and was not.
    expect(outcomeOf({ ...waiting, status: 'not-sent', reason: 'agreement-ended' })).toEqual({
      due: true,
      delivered: false,
    });
  });

  it('counts a change delivered once the body confirmed, took or answered it, not while it is in flight', () => {
    const at = new Date();
    expect(outcomeOf({ ...waiting, status: 'sent', via: 'push', sentAt: at }).delivered).toBe(
      false,
    );
    expect(
      outcomeOf({ ...waiting, status: 'sent', via: 'push', sentAt: at, confirmedAt: at }).delivered,
    ).toBe(true);
    expect(outcomeOf({ ...waiting, status: 'sent', via: 'pull', sentAt: at }).delivered).toBe(true);
    expect(outcomeOf({ ...waiting, status: 'failed', sentAt: at, answeredAt: at }).delivered).toBe(
      true,
    );
    // The body's endpoint never answered for three days: to be told, not told.
    expect(outcomeOf({ ...waiting, status: 'failed', reason: 'endpoint-unreachable' })).toEqual({
      due: true,
      delivered: false,
    });
  });

  it('counts the online services used with the single account: a form here, against links elsewhere', () => {
    const here = { kind: 'online-here' } as const;
    const elsewhere = { kind: 'online-elsewhere', url: 'https://example.gov.uk' } as const;
    const phone: Channel = { kind: 'phone', number: '01453 766321', hours: '', hoursCy: '' };
    expect(
      singleAccountOf([
        { formKey: 'bulky-waste', channels: [here] },
        { formKey: null, channels: [elsewhere] },
        { formKey: null, channels: [elsewhere, phone] },
        // "Online on this site" with no form yet is not online; a phone line never is.
        { formKey: null, channels: [here] },
        { formKey: null, channels: [phone] },
      ]),
    ).toEqual({ online: 3, singleAccount: 1, share: 1 / 3 });
    expect(singleAccountOf([])).toEqual({ online: 0, singleAccount: 0, share: null });
  });

  it('works out tell us once from the counts, with no share when nothing was to be told', () => {
    expect(tellUsOnceOf({ due: 2, delivered: 1, changes: 1, complete: 0 })).toEqual({
      due: 2,
      delivered: 1,
      deliveredShare: 0.5,
      changes: 1,
      complete: 0,
      completeShare: 0,
    });
    expect(tellUsOnceOf({ due: 0, delivered: 0, changes: 0, complete: 0 }).deliveredShare).toBe(
      null,
    );
  });
});
