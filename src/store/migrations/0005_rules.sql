-- One rulebook (issue 10): the due date a dossier is judged by, whether its
-- clock is stopped, the rules' flags and the hub's clock verdict, as columns
-- the report reads (kept by the same statements that write `data`); an
-- index for the check that a PC never records before its last fact.
ALTER TABLE dossiers ADD COLUMN judged_due_at TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN clock_stopped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN flags TEXT NOT NULL DEFAULT '';
-- Set when the hub answered that one of the dossier's events was dated in
-- its future or before an earlier event of this PC.
ALTER TABLE dossiers ADD COLUMN clock_suspect INTEGER NOT NULL DEFAULT 0;

UPDATE dossiers SET
    judged_due_at = COALESCE(json_extract(data, '$.judged_due_at'), due_at),
    clock_stopped = (status = 'supplement_requested');

CREATE INDEX events_by_origin_time ON events(origin, occurred_at);

-- A print's number is reserved before its PDF exists (so a print cut short
-- never has its number reused); the row says how far it got.
ALTER TABLE prints ADD COLUMN state TEXT NOT NULL DEFAULT 'archived'
    CHECK (state IN ('reserved', 'archived', 'sent', 'failed'));
ALTER TABLE prints ADD COLUMN job TEXT;
UPDATE prints SET state = 'sent' WHERE printer IS NOT NULL;
