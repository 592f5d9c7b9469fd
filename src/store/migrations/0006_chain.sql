-- The tamper-evident trail (issue 11): every event carries the hash of the
-- event before it in its device's chain and its own hash (see
-- motcua_domain::chain). The migration's Rust step chains the events this
-- PC recorded before; events from the hub keep the hashes the hub gave
-- (none for those stored before the chain existed).
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
CREATE INDEX events_by_origin_seq ON events(origin, seq);
