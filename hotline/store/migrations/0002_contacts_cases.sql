-- Contacts (one call or visit), the people at risk, cases, version history and drafts.

CREATE TABLE persons (
    id            TEXT PRIMARY KEY,
    version       INTEGER NOT NULL,
    name          TEXT NOT NULL DEFAULT '',      -- only with consent to keep personal data
    sex           TEXT,
    age_band      TEXT,
    citizenship   TEXT,
    home_country  TEXT,
    home_region   TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);

CREATE TABLE cases (
    id                   TEXT PRIMARY KEY,
    version              INTEGER NOT NULL,
    reference            TEXT NOT NULL UNIQUE,
    person_id            TEXT NOT NULL REFERENCES persons (id),
    status               TEXT NOT NULL,
    trafficking_status   TEXT NOT NULL,
    trafficking_decided_by TEXT,
    exploitation_types   TEXT NOT NULL DEFAULT '[]',   -- JSON list of codes
    control_methods      TEXT NOT NULL DEFAULT '[]',
    perpetrator_roles    TEXT NOT NULL DEFAULT '[]',
    legal_qualification  TEXT NOT NULL DEFAULT '',
    route                TEXT NOT NULL DEFAULT '[]',   -- JSON list of route events
    opened_at            TEXT NOT NULL,
    closed_at            TEXT,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    updated_by           TEXT NOT NULL
);
CREATE INDEX cases_status ON cases (status);

CREATE TABLE contacts (
    id                  TEXT PRIMARY KEY,
    version             INTEGER NOT NULL,
    reference           TEXT NOT NULL UNIQUE,
    site                TEXT NOT NULL,
    operator            TEXT NOT NULL,
    started_at          TEXT NOT NULL,               -- UTC ISO 8601
    ended_at            TEXT,
    duration_seconds    INTEGER,
    channel             TEXT NOT NULL,
    call_type           TEXT,
    is_data             INTEGER NOT NULL DEFAULT 1,
    caller_relationship TEXT,
    caller_sex          TEXT,
    caller_age_band     TEXT,
    caller_citizenship  TEXT,
    caller_country      TEXT,
    caller_region       TEXT NOT NULL DEFAULT '',
    caller_name         TEXT NOT NULL DEFAULT '',
    call_language       TEXT,
    phone_typed         TEXT NOT NULL DEFAULT '',
    phone_e164          TEXT,
    phone_kind          TEXT,
    phone_country       TEXT,
    phone_key           TEXT,                        -- one key per caller whatever the format
    topics              TEXT NOT NULL DEFAULT '[]',
    summary             TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    actions             TEXT NOT NULL DEFAULT '[]',
    consent_keep_data   INTEGER,                     -- NULL: not asked
    consent_refer       INTEGER,
    consent_share       INTEGER,
    follow_up_date      TEXT,
    follow_up_reason    TEXT NOT NULL DEFAULT '',
    follow_up_done      INTEGER NOT NULL DEFAULT 0,
    flag_minor          INTEGER NOT NULL DEFAULT 0,
    flag_danger         INTEGER NOT NULL DEFAULT 0,
    risk_level          TEXT,
    case_id             TEXT REFERENCES cases (id),
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL
);
CREATE INDEX contacts_started ON contacts (started_at);
CREATE INDEX contacts_operator ON contacts (operator, started_at);
CREATE INDEX contacts_phone ON contacts (phone_key, started_at);
CREATE INDEX contacts_case ON contacts (case_id);
CREATE INDEX contacts_follow_up ON contacts (follow_up_done, follow_up_date);

CREATE TABLE contact_topics (
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    topic      TEXT NOT NULL,
    PRIMARY KEY (contact_id, topic)
);
CREATE INDEX contact_topics_topic ON contact_topics (topic);

-- Every saved version of a contact, person or case, whole, for the history view.
CREATE TABLE record_versions (
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    saved_at    TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, version)
);

-- The call being typed, saved every few seconds, offered back after a crash.
CREATE TABLE drafts (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    contact_id TEXT,
    updated_at TEXT NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX drafts_owner ON drafts (owner);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
