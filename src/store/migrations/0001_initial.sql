-- The office this data folder belongs to (one row).
CREATE TABLE office (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    data        TEXT NOT NULL,          -- JSON of office::Office
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE catalog_versions (
    id              INTEGER PRIMARY KEY,
    catalog_id      TEXT NOT NULL,
    label           TEXT NOT NULL,
    source          TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    procedure_count INTEGER NOT NULL
);

CREATE TABLE procedures (
    catalog_version INTEGER NOT NULL REFERENCES catalog_versions(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    field           TEXT NOT NULL,
    search_text     TEXT NOT NULL,      -- folded code + name + field
    data            TEXT NOT NULL,      -- JSON of catalog::Procedure
    PRIMARY KEY (catalog_version, code)
);

-- Append-only facts. `seq` is the local creation order (the outbox order).
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,   -- UUIDv7
    dossier_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,          -- JSON
    actor       TEXT NOT NULL,
    device      TEXT NOT NULL,
    occurred_at TEXT NOT NULL           -- RFC 3339, +07:00
);
CREATE INDEX events_by_dossier ON events(dossier_id, seq);
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- The projection of the events: one row per dossier.
CREATE TABLE dossiers (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    receipt_date    TEXT NOT NULL,      -- YYYY-MM-DD, Vietnam time
    seq             INTEGER NOT NULL,   -- NNNN of the code
    counter         INTEGER NOT NULL,
    book            TEXT NOT NULL,
    book_number     INTEGER NOT NULL,
    procedure_code  TEXT NOT NULL,
    catalog_version INTEGER NOT NULL REFERENCES catalog_versions(id),
    status          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    search_text     TEXT NOT NULL,      -- folded name, id number, phone, code
    data            TEXT NOT NULL,      -- JSON of dossier::Dossier
    UNIQUE (book, book_number)
);
CREATE INDEX dossiers_by_day ON dossiers(receipt_date, counter, seq);

-- Every PDF the counter produced, archived in the data folder.
CREATE TABLE prints (
    id          INTEGER PRIMARY KEY,
    dossier_id  TEXT NOT NULL REFERENCES dossiers(id),
    form        TEXT NOT NULL,
    print_no    INTEGER NOT NULL,       -- 1 = original, 2.. = reprints
    path        TEXT NOT NULL,
    paper       TEXT NOT NULL,
    copies      INTEGER NOT NULL,
    printer     TEXT,
    printed_at  TEXT NOT NULL,
    UNIQUE (dossier_id, form, print_no)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Days an admin set by hand (off or working), applied after the official schedules.
CREATE TABLE calendar_overrides (
    date    TEXT PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('off', 'working')),
    reason  TEXT NOT NULL,
    set_at  TEXT NOT NULL
);
