-- Devices a province can manage (issue 12): tokens expire (renewed by each
-- successful sync), can be listed and revoked by an admin, and every admin
-- command is logged with who ran it.
ALTER TABLE devices ADD COLUMN expires_at TIMESTAMPTZ;
UPDATE devices SET expires_at = GREATEST(COALESCE(last_seen_at, enrolled_at), enrolled_at) + interval '180 days';
ALTER TABLE devices ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE devices ADD COLUMN revoked_by TEXT;

CREATE TABLE admin_log (
    id      BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor   TEXT NOT NULL,
    command TEXT NOT NULL,
    detail  JSONB NOT NULL
);
CREATE INDEX admin_log_by_time ON admin_log(at);
