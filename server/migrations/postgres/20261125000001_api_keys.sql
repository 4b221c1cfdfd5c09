-- API keys and service accounts. Times are Unix milliseconds (UTC).

-- 'service': a non-human user that owns API keys and never signs in (no
-- password; password and SSO sign-in refuse it), so a key it owns outlives
-- the person who made it.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'
    CHECK (kind IN ('person', 'service'));

-- A token is `fbk_<id>_<secret>`: the id is public (shown as the prefix),
-- the secret is stored only as its SHA-256, so a copied table holds no key.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role_name TEXT NOT NULL REFERENCES roles (name) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,  -- the key acts as this user
    created_by BIGINT,                     -- no foreign key: the record outlives its maker
    secret_hash TEXT NOT NULL,
    previous_secret_hash TEXT,             -- the secret before the last rotation, valid until:
    previous_valid_until BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,                     -- NULL: never
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id);
CREATE INDEX api_keys_created_by ON api_keys (created_by);
