-- Columns the indicators read, so a report over a million dossiers does not
-- parse a million JSON documents. Kept by the same statements that write `data`.
ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'counter';
ALTER TABLE dossiers ADD COLUMN field TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN procedure_name TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN ended_at TEXT;
ALTER TABLE dossiers ADD COLUMN supplement_requests INTEGER NOT NULL DEFAULT 0;

UPDATE dossiers SET
    channel = COALESCE(json_extract(data, '$.channel'), 'counter'),
    field = COALESCE(json_extract(data, '$.procedure.field'), ''),
    procedure_name = COALESCE(json_extract(data, '$.procedure.name'), ''),
    ended_at = json_extract(data, '$.ended_at'),
    supplement_requests = CASE WHEN json_extract(data, '$.supplement') IS NULL THEN 0 ELSE 1 END;

CREATE INDEX dossiers_by_end ON dossiers(ended_at);
