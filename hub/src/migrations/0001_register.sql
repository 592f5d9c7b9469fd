-- The province-wide register. Applied in one transaction; the version is
-- kept in hub_schema so an older hub refuses a newer database.

CREATE TABLE offices (
    agency_code TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One-time codes; only their SHA-256 is kept.
CREATE TABLE enrollment_codes (
    code_hash          TEXT PRIMARY KEY,
    office             TEXT NOT NULL REFERENCES offices(agency_code),
    counter            INTEGER NOT NULL CHECK (counter BETWEEN 1 AND 9),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at         TIMESTAMPTZ NOT NULL,
    spent_at           TIMESTAMPTZ,
    spent_by_device    TEXT,
    device_secret_hash TEXT
);

-- An enrolled counter PC. A counter number belongs to one device at a time:
-- enrolling a new PC for it revokes the old one.
CREATE TABLE devices (
    device_id    TEXT PRIMARY KEY,
    office       TEXT NOT NULL REFERENCES offices(agency_code),
    counter      INTEGER NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    enrolled_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX one_active_device_per_counter ON devices(office, counter) WHERE revoked_at IS NULL;

-- The dossiers: the fold of their events (core Dossier JSON).
CREATE TABLE dossiers (
    id          UUID PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    office      TEXT NOT NULL REFERENCES offices(agency_code),
    counter     INTEGER NOT NULL,
    data        JSONB NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dossiers_by_office ON dossiers(office, updated_at);

-- Every event, at most once per id. `hub_seq` is the arrival order.
CREATE TABLE events (
    id           UUID PRIMARY KEY,
    hub_seq      BIGSERIAL UNIQUE,
    dossier_id   UUID NOT NULL REFERENCES dossiers(id),
    office       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload      JSONB NOT NULL,
    actor        TEXT NOT NULL,
    device       TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    origin       TEXT NOT NULL CHECK (origin IN ('counter', 'province')),
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_by_dossier ON events(dossier_id, hub_seq);

CREATE TABLE catalog_versions (
    version      BIGSERIAL PRIMARY KEY,
    label        TEXT NOT NULL,
    data         JSONB NOT NULL,
    published_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE calendar_schedules (
    id           BIGSERIAL PRIMARY KEY,
    year         INTEGER NOT NULL,
    version      BIGINT NOT NULL,
    data         JSONB NOT NULL,
    published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (year, version)
);

-- What counters pull. Rows are only ever added while holding the advisory
-- lock CHANGES_LOCK, so `seq` commits in order and a cursor never skips a row.
CREATE TABLE changes (
    seq          BIGSERIAL PRIMARY KEY,
    office       TEXT REFERENCES offices(agency_code),   -- NULL: every office
    counter      INTEGER,                                -- NULL: every counter of the office
    kind         TEXT NOT NULL CHECK (kind IN ('dossier_event', 'catalog', 'calendar')),
    event_id     UUID REFERENCES events(id),
    catalog_version BIGINT REFERENCES catalog_versions(version),
    calendar_id  BIGINT REFERENCES calendar_schedules(id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Dossiers already sent to the national portal (later sends are updates).
CREATE TABLE dvcqg_exports (
    dossier_id   UUID PRIMARY KEY REFERENCES dossiers(id),
    first_at     TIMESTAMPTZ NOT NULL,
    last_at      TIMESTAMPTZ NOT NULL
);
