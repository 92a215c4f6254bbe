-- Batch exchange: this installation's identity, the partners it sends to or accepts from,
-- the batches sent and imported, records kept aside as conflicts, received aggregates, and
-- where every imported record came from.

-- Private keys live here, inside the encrypted database, and nowhere else.
CREATE TABLE identity (
    signing_private    BLOB NOT NULL,            -- Ed25519, 32 raw bytes
    encryption_private BLOB NOT NULL,            -- X25519, 32 raw bytes
    pseudonym_key      BLOB NOT NULL,            -- HMAC key given to the hotlines that send here
    created_at         TEXT NOT NULL,
    singleton          INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
);

-- Installations whose card was registered: 'recipient' (we send batches to it and accept
-- update bundles signed by it) or 'sender' (we accept its batches and send it receipts).
CREATE TABLE partners (
    installation_id TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('recipient', 'sender')),
    org_code        TEXT NOT NULL,
    org_name        TEXT NOT NULL,
    site_name       TEXT NOT NULL,
    country         TEXT NOT NULL,
    signing_key     BLOB NOT NULL,
    encryption_key  BLOB NOT NULL,
    pseudonym_key   BLOB,                        -- a recipient's, for pseudonymous batches
    fingerprint     TEXT NOT NULL,
    registered_at   TEXT NOT NULL,
    registered_by   TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    PRIMARY KEY (installation_id, kind)
);

CREATE TABLE sent_batches (
    batch_id      TEXT PRIMARY KEY,
    recipient_id  TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    privacy       TEXT NOT NULL,
    mode          TEXT NOT NULL,                 -- incremental or period
    since         TEXT,                          -- local days, for a period
    until         TEXT,
    changed_after TEXT,                          -- incremental: records saved after this
    high_water    TEXT,                          -- the newest change the batch holds
    counts        TEXT NOT NULL,                 -- JSON: record type -> count
    receipt_at    TEXT,                          -- when the recipient's receipt was read
    receipt       TEXT,                          -- JSON: what the recipient reported
    UNIQUE (recipient_id, sequence)
);

-- What each recipient last received of each call (a digest of its records at that level),
-- so that an incremental batch sends a call again only when something in it changed.
CREATE TABLE sent_records (
    recipient_id TEXT NOT NULL,
    privacy      TEXT NOT NULL,
    contact_id   TEXT NOT NULL,
    digest       TEXT NOT NULL,
    PRIMARY KEY (recipient_id, privacy, contact_id)
);

CREATE TABLE import_ledger (
    batch_id       TEXT PRIMARY KEY,
    sender_id      TEXT NOT NULL,
    sequence       INTEGER NOT NULL,
    batch_created  TEXT NOT NULL,
    imported_at    TEXT NOT NULL,
    imported_by    TEXT NOT NULL,
    privacy        TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    outcome        TEXT NOT NULL,                -- JSON: added/updated/unchanged/older/conflicts
    UNIQUE (sender_id, sequence)
);

-- A record whose UUID is known here but whose content differs: kept aside, never applied.
CREATE TABLE import_conflicts (
    id          INTEGER PRIMARY KEY,
    batch_id    TEXT NOT NULL REFERENCES import_ledger (batch_id),
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    reason      TEXT NOT NULL,                   -- a code, see hotline.exchange.importing
    data        TEXT NOT NULL,                   -- the incoming record, as received
    resolved_at TEXT,
    resolved_by TEXT,
    resolution  TEXT
);
CREATE INDEX import_conflicts_open ON import_conflicts (resolved_at, record_type);

-- Counts from aggregate batches (small cells already suppressed by the sender).
CREATE TABLE aggregate_cells (
    batch_id  TEXT NOT NULL REFERENCES import_ledger (batch_id),
    sender_id TEXT NOT NULL,
    since     TEXT NOT NULL,
    until     TEXT NOT NULL,
    dimension TEXT NOT NULL,
    code      TEXT NOT NULL,
    count     INTEGER,                           -- NULL: suppressed (fewer than k)
    PRIMARY KEY (batch_id, dimension, code)
);

-- Provenance: the installation that recorded the record (NULL: this one), the batch that
-- brought its current version, and the hash of that version as received.
ALTER TABLE contacts ADD COLUMN origin_id TEXT;
ALTER TABLE contacts ADD COLUMN source_batch TEXT;
ALTER TABLE contacts ADD COLUMN source_hash TEXT;
ALTER TABLE cases ADD COLUMN origin_id TEXT;
ALTER TABLE cases ADD COLUMN source_batch TEXT;
ALTER TABLE cases ADD COLUMN source_hash TEXT;
ALTER TABLE persons ADD COLUMN origin_id TEXT;
ALTER TABLE persons ADD COLUMN source_batch TEXT;
ALTER TABLE persons ADD COLUMN source_hash TEXT;
ALTER TABLE persons ADD COLUMN name_pseudonym TEXT;
ALTER TABLE referrals ADD COLUMN origin_id TEXT;
ALTER TABLE referrals ADD COLUMN source_batch TEXT;
CREATE INDEX contacts_origin ON contacts (origin_id, started_at);
CREATE INDEX contacts_updated ON contacts (updated_at);
