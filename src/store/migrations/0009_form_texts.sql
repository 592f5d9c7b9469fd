-- The words on the forms, in layers over the shipped ones: the province's
-- sets (pulled from the hub) and the office's own overrides. The newest
-- version of each layer is in use; older ones stay for the record.
CREATE TABLE form_texts (
    layer       TEXT NOT NULL CHECK (layer IN ('province', 'office')),
    version     INTEGER NOT NULL,
    label       TEXT NOT NULL,
    data        TEXT NOT NULL,      -- the set as checked (JSON)
    imported_at TEXT NOT NULL,
    PRIMARY KEY (layer, version)
);
