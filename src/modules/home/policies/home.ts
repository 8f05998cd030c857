import type { CurrentUser } from '../../../platform/http/types.js';

/**
 * Whose home page a signed-in person sees: always their own account's. An agent acting for a
 * client sees their own home page too, not the client's: the client's applications stay behind
 * "Your applications", where the agents module checks the authority service by service, and the
 * client's messages, reminders and interests are not covered by any authority.
 */
export function homeOwnerOf(user: CurrentUser): string {
  return user.id;
}

/** Only a citizen sees a personal home page, and only their own account's. */
export function canSeeHomeOf(user: CurrentUser | null, ownerId: string): boolean {
  return !!user && user.kind === 'citizen' && user.id === ownerId;
}

/**
 * Only the person changes what they told us about themselves; an agent acting for a client
 * changes only their own (what a client chose to tell us is not part of any authority).
 */
export function canChangeInterestsOf(user: CurrentUser | null, ownerId: string): boolean {
  return canSeeHomeOf(user, ownerId);
}
