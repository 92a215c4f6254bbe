-- Referrals of a contact to a service of the directory, with consent and outcome.

CREATE TABLE referrals (
    id                TEXT PRIMARY KEY,
    version           INTEGER NOT NULL,
    contact_id        TEXT NOT NULL REFERENCES contacts (id),
    organisation_id   TEXT NOT NULL REFERENCES organisations (id),
    service           TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    consent           INTEGER NOT NULL CHECK (consent IN (0, 1)),
    no_consent_reason TEXT NOT NULL DEFAULT '',   -- required when consent = 0
    referred_on       TEXT NOT NULL,
    reference         TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT 'unknown',
    reminder_on       TEXT,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    CHECK (consent = 1 OR no_consent_reason != '')
);
CREATE INDEX referrals_contact ON referrals (contact_id);
CREATE INDEX referrals_reminder ON referrals (outcome, reminder_on);
