-- The tamper-evident trail (issue 11). Events keep the link their device
-- gave them; the hub keeps every link it received — for rejected events
-- too, since the device's chain goes on after them — and each device's head,
-- and checks that every push continues it. Breaks are kept for the admin.
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;

CREATE TABLE chain_links (
    event_id     UUID PRIMARY KEY,
    device       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE chain_heads (
    device       TEXT PRIMARY KEY,
    hash         TEXT NOT NULL,
    event_id     UUID NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE chain_breaks (
    id           BIGSERIAL PRIMARY KEY,
    device       TEXT NOT NULL,
    office       TEXT NOT NULL,
    event_id     UUID NOT NULL,
    dossier_code TEXT NOT NULL,
    reason       TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chain_breaks_by_office ON chain_breaks(office, id);
