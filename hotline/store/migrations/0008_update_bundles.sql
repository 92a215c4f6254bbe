-- Update bundles (coordinator → hotlines): the bundles this installation signed, with their
-- numbers, and the bundles it installed, one row per bundle.

-- At the coordinator: every bundle signed here. The number grows by one per bundle; a hotline
-- refuses a bundle whose number is not above the last one it installed from this publisher.
CREATE TABLE published_bundles (
    bundle_id      TEXT PRIMARY KEY,
    number         INTEGER NOT NULL UNIQUE,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    counts         TEXT NOT NULL,                -- JSON: scripts, organisations
    payload_sha256 TEXT NOT NULL
);

-- At a hotline: every bundle installed here, from which coordinator, and what it changed.
CREATE TABLE installed_bundles (
    bundle_id      TEXT PRIMARY KEY,
    publisher_id   TEXT NOT NULL,                -- the coordinator's installation id
    number         INTEGER NOT NULL,
    bundle_created TEXT NOT NULL,
    installed_at   TEXT NOT NULL,
    installed_by   TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    outcome        TEXT NOT NULL,                -- JSON: scripts/organisations added, unchanged…
    UNIQUE (publisher_id, number)
);
