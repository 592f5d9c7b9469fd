-- What the office's admins did at a counter (issue 11): office settings,
-- accounts, calendar marks, catalog imports, enrollment, backups. These
-- facts belong to no dossier; they come in the device's chain between its
-- dossier events, so the hub keeps them — with their links — to check the
-- chain and to show the province who changed what.
CREATE TABLE office_events (
    id           UUID PRIMARY KEY,
    office       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload      JSONB NOT NULL,
    actor        TEXT NOT NULL,
    device       TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    occurred_utc TIMESTAMPTZ NOT NULL,
    prev_hash    TEXT,
    hash         TEXT,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX office_events_by_office ON office_events(office, occurred_utc);
