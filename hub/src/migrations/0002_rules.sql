-- One rulebook (issue 10). Every event keeps when it arrived (received_at,
-- 0001); now also which device pushed it (from its token, not from the
-- payload), its own time as a timestamp, and the hub's clock verdict:
-- dated more than two minutes after it arrived, or before an event the same
-- device pushed earlier.
ALTER TABLE events ADD COLUMN pushed_by TEXT;
ALTER TABLE events ADD COLUMN occurred_utc TIMESTAMPTZ;
ALTER TABLE events ADD COLUMN clock_suspect BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX events_by_pusher ON events(pushed_by, occurred_utc) WHERE pushed_by IS NOT NULL;
CREATE INDEX events_clock_suspect ON events(dossier_id) WHERE clock_suspect;
