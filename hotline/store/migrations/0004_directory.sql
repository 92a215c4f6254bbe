-- The referral directory: organisations and the services they offer.

CREATE TABLE organisations (
    id            TEXT PRIMARY KEY,
    version       INTEGER NOT NULL,
    seed_key      TEXT UNIQUE,                   -- set for entries from resources/directory
    name          TEXT NOT NULL,
    other_names   TEXT NOT NULL DEFAULT '[]',    -- JSON list: spellings, other languages
    type          TEXT NOT NULL,
    services      TEXT NOT NULL DEFAULT '[]',
    country       TEXT,
    region        TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    phones        TEXT NOT NULL DEFAULT '[]',
    email         TEXT NOT NULL DEFAULT '',
    hours         TEXT NOT NULL DEFAULT '',
    languages     TEXT NOT NULL DEFAULT '[]',
    target_groups TEXT NOT NULL DEFAULT '[]',
    cost          TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT '',
    verified_on   TEXT,
    verified_by   TEXT NOT NULL DEFAULT '',
    historical    INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    search_text   TEXT NOT NULL DEFAULT '',      -- folded for search across scripts
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);
CREATE INDEX organisations_country ON organisations (country);

CREATE TABLE organisation_services (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    service         TEXT NOT NULL,
    PRIMARY KEY (organisation_id, service)
);
CREATE INDEX organisation_services_service ON organisation_services (service);
