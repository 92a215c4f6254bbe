-- The foundation: installation profile, users, settings and the audit log.

CREATE TABLE installation (
    id          TEXT PRIMARY KEY,            -- UUID of this installation
    org_code    TEXT NOT NULL,               -- e.g. KG-SEZIM
    org_name    TEXT NOT NULL,
    country     TEXT NOT NULL,               -- ISO 3166-1 alpha-2
    site_name   TEXT NOT NULL,               -- hotline site, e.g. "Osh"
    created_at  TEXT NOT NULL,
    singleton   INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
);

CREATE TABLE users (
    id           TEXT PRIMARY KEY,           -- UUID
    username     TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'coordinator', 'admin')),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    language     TEXT NOT NULL DEFAULT 'en',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT,                        -- user name; NULL for the system
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    details     TEXT NOT NULL,               -- JSON; never record content
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
