-- Every restore page a device asked for (issue 12): a PC replacing a lost
-- one reads its counter's whole history, so the pages are counted per
-- minute (a limit shared by every hub process, since it is kept here) and
-- kept for the province's admin (`motcua-hub restore-log`).
CREATE TABLE restore_requests (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    device    TEXT NOT NULL,
    office    TEXT NOT NULL,
    counter   INTEGER NOT NULL,
    after_id  UUID,
    dossiers  INTEGER NOT NULL,
    refused   BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX restore_requests_by_device ON restore_requests(device, at);
CREATE INDEX restore_requests_by_time ON restore_requests(at);
