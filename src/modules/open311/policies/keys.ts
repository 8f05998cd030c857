import type { HubCaller } from '../../submissions/index.js';

/**
 * Only a key with the `open311` scope sends reports through /open311/v2, for any body's area:
 * it is a reporting channel (like FixMyStreet), not a body acting for itself, so a body's own
 * `submit` or `receive` key is refused here, as an `open311` key is by the hub's API.
 */
export function mayReport(caller: Pick<HubCaller, 'scope'>): boolean {
  return caller.scope === 'open311';
}
