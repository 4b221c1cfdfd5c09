-- Data sources: the embedded `main` source (Ferrobase's own store) and
-- external databases. Connection options are JSON without the password;
-- the password is a sealed secret (v1.<key id>.<ciphertext>) or an
-- environment reference ({{$env.NAME}}), never plain text.
CREATE TABLE data_sources (
    key TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    engine TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}',
    password TEXT,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row per loaded table or view: its structure as introspected and the
-- admin's settings on top (titles, hidden fields, record key, relations).
CREATE TABLE data_source_collections (
    data_source TEXT NOT NULL REFERENCES data_sources (key) ON DELETE CASCADE,
    name TEXT NOT NULL,
    structure TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL,
    PRIMARY KEY (data_source, name)
);

-- Bumped with every change to sources or collections, so every process
-- reloads its catalog.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);

INSERT INTO data_sources (key, display_name, engine, created_at, updated_at)
VALUES ('main', 'Main', 'main', 0, 0);
