-- Dossiers the hub holds for this counter that a replacement PC could not
-- restore (their code is used here by another dossier, or their events do
-- not fold into a dossier): a person must look. A later restore that
-- succeeds removes the row.
CREATE TABLE restore_refusals (
    dossier_id   TEXT PRIMARY KEY,
    dossier_code TEXT NOT NULL,
    event_kind   TEXT NOT NULL,
    error_code   TEXT NOT NULL,
    error_text   TEXT NOT NULL,
    at           TEXT NOT NULL
);
