/** Single sign-on: the OpenID Connect provider other bodies' services sign people in with. */
export { ssoModule } from './module.js';
export { reloadSigningKeys, signOutOfRelyingParties } from './commands/logout.js';
export {
  registerRelyingParty,
  relyingPartyProblems,
  AUTH_METHODS,
  SIGN_IN_SCOPES,
  SUBMISSIONS_SCOPE,
  type AuthMethod,
  type RelyingPartyInput,
} from './commands/relying-parties.js';
export { listRelyingParties, type RelyingPartySummary } from './queries/relying-parties.js';
export { introspectAccessToken, type IntrospectedToken } from './queries/access-tokens.js';
export { ensureSigningKeys, rotateSigningKeys, publishedKeys } from './keys.js';
export { parseVtr, type Vector } from './vectors.js';
export { oidcClientCreate, oidcKeysRotate, type CommandResult } from './commands/cli.js';
