-- Screening scripts (every version ever used or installed) and the answers of each call.

CREATE TABLE scripts (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    source       TEXT NOT NULL,          -- the TOML text, so old calls keep their script
    builtin      INTEGER NOT NULL DEFAULT 0,
    installed_at TEXT NOT NULL,
    installed_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE screenings (
    contact_id     TEXT NOT NULL REFERENCES contacts (id),
    script_id      TEXT NOT NULL,
    script_version INTEGER NOT NULL,
    answers        TEXT NOT NULL,        -- JSON object: question id -> answer
    level          TEXT NOT NULL,
    indicators     TEXT NOT NULL,        -- JSON list of fired indicator codes
    flags          TEXT NOT NULL,        -- JSON list: danger, minor
    PRIMARY KEY (contact_id, script_id)
);
CREATE INDEX screenings_level ON screenings (level);
