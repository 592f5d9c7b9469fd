-- Sync with the provincial hub (issue 5).

-- Where an event came from: made at this counter, or pulled from the hub
-- (the province's own processing). Only local events are pushed.
ALTER TABLE events ADD COLUMN origin TEXT NOT NULL DEFAULT 'local';

-- The outbox: every local event waits here until the hub acknowledged it.
-- Rows are never deleted; `sent` means the hub holds the event.
CREATE TABLE outbox (
    event_seq   INTEGER PRIMARY KEY REFERENCES events(seq),
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'rejected')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    error_code  TEXT,
    error_text  TEXT,
    updated_at  TEXT
);
CREATE INDEX outbox_by_state ON outbox(state, event_seq);

-- Everything recorded before sync existed still has to reach the hub.
INSERT INTO outbox (event_seq, state) SELECT seq, 'pending' FROM events;

-- A new local event joins the outbox in the same transaction. A dossier
-- changed while its events are on the way goes back to pending as a whole,
-- so the hub always gets its events again in creation order.
CREATE TRIGGER outbox_on_local_event AFTER INSERT ON events WHEN NEW.origin = 'local'
BEGIN
    UPDATE outbox SET state = 'pending'
     WHERE state = 'sending'
       AND event_seq IN (SELECT seq FROM events WHERE dossier_id = NEW.dossier_id);
    INSERT INTO outbox (event_seq, state) VALUES (NEW.seq, 'pending');
END;

-- Changes pulled from the hub that could not be applied (yet): `held`
-- waits for this counter's own pending events to reach the hub first;
-- `attention` needs a person.
CREATE TABLE inbox (
    hub_seq     INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    dossier_code TEXT,
    data        TEXT NOT NULL,           -- JSON of wire::Change
    state       TEXT NOT NULL CHECK (state IN ('held', 'attention', 'applied', 'dismissed')),
    error_code  TEXT,
    error_text  TEXT,
    received_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One row per phase of every sync run: where it stopped and why.
CREATE TABLE sync_log (
    id          INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL,
    trigger     TEXT NOT NULL,           -- manual, reachable, day_end, cli
    phase       TEXT NOT NULL,           -- check, push, pull, run
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
    sent        INTEGER NOT NULL DEFAULT 0,
    accepted    INTEGER NOT NULL DEFAULT 0,
    duplicate   INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    pulled      INTEGER NOT NULL DEFAULT 0,
    applied     INTEGER NOT NULL DEFAULT 0,
    retries     INTEGER NOT NULL DEFAULT 0,
    error_code  TEXT,
    error_text  TEXT
);
CREATE INDEX sync_log_by_run ON sync_log(run_id, id);

-- Official holiday schedules the province published (override the bundled ones by year).
CREATE TABLE calendar_schedules (
    year        INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL,           -- JSON of calendar::YearSchedule
    received_at TEXT NOT NULL
);
