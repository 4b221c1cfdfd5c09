-- One row describing this installation. `master_key_check` lets every start
-- verify it was given the same master key the store's secrets are sealed with.
CREATE TABLE instance (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    install_id TEXT NOT NULL,
    master_key_check TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
