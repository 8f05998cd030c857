-- A Pay webhook's signing secret, random and sealed at rest under the session keyring
-- (src/platform/keyring), so that rotating SESSION_SECRET no longer changes it. Webhooks made
-- before this release had a secret derived from SESSION_SECRET; the payments module seals that
-- one into this column when the app starts, so those receivers keep verifying after a rotation.
alter table pay_webhooks add column signing_secret_sealed text;
