import type { TransactionChannel } from '../db/tables.js';

/** What a submission says about how it came (the submissions module's columns). */
export interface SubmissionOrigin {
  channel: string;
  agent_business_id: string | null;
  on_behalf_of: unknown;
}

/**
 * The performance channel of a submission: `phone`, `face-to-face` and `post` as recorded (an
 * adviser at the desk, or a body's system naming them); the web, or any other API channel,
 * is online — by an agent when an agent business or an intermediary's consent stands behind it.
 *
 * @example channelOf({ channel: 'web', agent_business_id: null, on_behalf_of: null }) // 'online'
 */
export function channelOf(origin: SubmissionOrigin): TransactionChannel {
  const label = origin.channel.toLowerCase();
  if (label === 'phone' || label === 'telephone') return 'phone';
  if (label === 'face-to-face' || label === 'in-person') return 'face-to-face';
  if (label === 'post' || label === 'paper') return 'post';
  return origin.agent_business_id || origin.on_behalf_of ? 'online-agent' : 'online';
}

/** Whole hours from one instant to another (never below 0): the bucket of a decision's time. */
export function hoursBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 3_600_000));
}
