-- 766's 2.2 averages the processing time of the dossiers that got their
-- result, less the applicant's supplement time. The report reads the
-- status and the completed supplement's two times from the index, as it
-- reads the rest (0008), and never the rows' large `data` pages.
ALTER TABLE dossiers ADD COLUMN supplement_asked_at TEXT;
ALTER TABLE dossiers ADD COLUMN supplement_done_at TEXT;
UPDATE dossiers
   SET supplement_asked_at = json_extract(data, '$.supplement.requested_at'),
       supplement_done_at = json_extract(data, '$.supplement.completed_at');

DROP INDEX IF EXISTS dossiers_for_report;
CREATE INDEX dossiers_for_report ON dossiers(
    receipt_date, ended_at, procedure_code, procedure_name, field, channel, received_at,
    judged_due_at, clock_stopped, supplement_requests, flags, clock_suspect,
    status, supplement_asked_at, supplement_done_at
);

-- Each apology slip (Mẫu 04) takes the next number of the counter's block
-- in its year (Store::number_slip). Without an index that question read
-- every event of the file for every extension, so recording grew slower as
-- the file grew (9 ms per dossier at 100,000 dossiers, 1.4 at 5,000).
CREATE INDEX IF NOT EXISTS events_slip_numbers ON events(
    substr(occurred_at, 1, 4), CAST(json_extract(payload, '$.number') AS INTEGER)
) WHERE kind = 'extended';
