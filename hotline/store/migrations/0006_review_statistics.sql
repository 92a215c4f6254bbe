-- Supervision: reviews of calls, full-text search over summaries and notes, saved call-log
-- filters, the day a follow-up was done, and indexes for the statistics.

ALTER TABLE contacts ADD COLUMN follow_up_done_on TEXT;

-- A stable number per contact for the search index (rowids of a table without an INTEGER
-- PRIMARY KEY may change on VACUUM; these never do).
CREATE TABLE contact_numbers (
    n          INTEGER PRIMARY KEY,
    contact_id TEXT NOT NULL UNIQUE REFERENCES contacts (id)
);

-- Trigram index: finds any part of a word of three letters or more (suffixes of Kyrgyz,
-- Kazakh and Uzbek words included), case and diacritics folded. Contentless: the text
-- stays only in contacts; deleted entries are really removed (secure-delete).
CREATE VIRTUAL TABLE contact_text USING fts5 (
    summary, notes,
    content = '',
    contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO contact_text (contact_text, rank) VALUES ('secure-delete', 1);

INSERT INTO contact_numbers (contact_id) SELECT id FROM contacts ORDER BY created_at, id;
INSERT INTO contact_text (rowid, summary, notes)
    SELECT n.n, c.summary, c.notes FROM contacts c JOIN contact_numbers n ON n.contact_id = c.id;

CREATE TRIGGER contact_text_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_numbers (contact_id) VALUES (new.id);
    INSERT INTO contact_text (rowid, summary, notes)
        VALUES ((SELECT n FROM contact_numbers WHERE contact_id = new.id), new.summary, new.notes);
END;

CREATE TRIGGER contact_text_update AFTER UPDATE OF summary, notes ON contacts
WHEN old.summary IS NOT new.summary OR old.notes IS NOT new.notes BEGIN
    DELETE FROM contact_text WHERE rowid = (SELECT n FROM contact_numbers WHERE contact_id = old.id);
    INSERT INTO contact_text (rowid, summary, notes)
        VALUES ((SELECT n FROM contact_numbers WHERE contact_id = new.id), new.summary, new.notes);
END;

CREATE TRIGGER contact_text_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_text WHERE rowid = (SELECT n FROM contact_numbers WHERE contact_id = old.id);
    DELETE FROM contact_numbers WHERE contact_id = old.id;
END;

-- The latest review of a call; every version is kept in record_versions ('review').
CREATE TABLE reviews (
    id          TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    contact_id  TEXT NOT NULL UNIQUE REFERENCES contacts (id),
    operator    TEXT NOT NULL,                  -- whose call it is, for "my feedback"
    reviewer    TEXT NOT NULL,
    rubric      TEXT NOT NULL DEFAULT '{}',     -- JSON: criterion code -> met / not_met / na
    comment     TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT NOT NULL,
    seen_at     TEXT,                           -- when the operator read it
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE INDEX reviews_operator ON reviews (operator, reviewed_at);

-- Call-log filters a user saved under a name.
CREATE TABLE saved_filters (
    owner      TEXT NOT NULL,
    name       TEXT NOT NULL,
    data       TEXT NOT NULL,                   -- JSON, see hotline.model.call_log
    saved_at   TEXT NOT NULL,
    PRIMARY KEY (owner, name)
);

CREATE INDEX contacts_call_type ON contacts (call_type, started_at);
CREATE INDEX contacts_risk ON contacts (risk_level, started_at);
CREATE INDEX contacts_language ON contacts (call_language, started_at);
CREATE INDEX contacts_caller_country ON contacts (caller_country, started_at);
DROP INDEX contact_topics_topic;
CREATE INDEX contact_topics_by_topic ON contact_topics (topic, contact_id);
