-- Users, roles, sessions, sign-in throttling and the audit log.
-- Times are Unix milliseconds (UTC) in both backends.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,            -- stored lowercased
    username TEXT,
    username_key TEXT UNIQUE,              -- lowercased username
    display_name TEXT NOT NULL,
    locale TEXT,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT,                    -- Argon2id PHC string; NULL: no password sign-in
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE roles (
    name TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    built_in BOOLEAN NOT NULL DEFAULT FALSE,
    all_permissions BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE role_system_permissions (
    role_name TEXT NOT NULL REFERENCES roles (name) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_name, permission)
);

CREATE TABLE role_collection_grants (
    role_name TEXT NOT NULL REFERENCES roles (name) ON DELETE CASCADE,
    data_source TEXT NOT NULL,
    collection TEXT NOT NULL,              -- '*': every collection of the source
    action TEXT NOT NULL,                  -- view | create | update | destroy
    fields TEXT,                           -- JSON array; NULL: every field
    scope TEXT NOT NULL DEFAULT '{"kind":"all"}',
    PRIMARY KEY (role_name, data_source, collection, action)
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_name TEXT NOT NULL REFERENCES roles (name) ON DELETE CASCADE,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, role_name)
);

-- Bumped by every change to roles, grants or role membership, and read with
-- each session lookup, so every process drops its cached permissions at once.
CREATE TABLE acl_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO acl_version (id, version) VALUES (1, 1);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,           -- SHA-256 of the token: a copied table holds no live session
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,            -- the absolute lifetime
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_throttle (
    subject TEXT PRIMARY KEY,              -- 'account:<lowercased account>' or 'ip:<peer address>'
    failures BIGINT NOT NULL,
    window_started_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    user_id INTEGER,                       -- no foreign key: the record outlives the user
    actor TEXT NOT NULL,
    role_name TEXT,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    record_id TEXT,
    ip TEXT,
    user_agent TEXT,
    outcome TEXT NOT NULL,
    changes TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

INSERT INTO roles (name, title, description, is_default, built_in, all_permissions, created_at, updated_at)
VALUES ('admin', 'Administrator', 'Everything, including configuration.', FALSE, TRUE, TRUE, 0, 0),
       ('member', 'Member', 'Reads what is granted. New users get this role.', TRUE, TRUE, FALSE, 0, 0);

-- Set once, when the first administrator is created: closes the set-up page.
ALTER TABLE instance ADD COLUMN admin_created BOOLEAN NOT NULL DEFAULT FALSE;
