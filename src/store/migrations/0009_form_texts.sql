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

-- Dossier rows from before the result delivery was asked: a dossier that
-- came by post gets its result by post, to the applicant's address; any
-- other at the counter (the rule the receipts of the time printed).
UPDATE dossiers
   SET data = json_set(data,
         '$.result_delivery', CASE WHEN json_extract(data, '$.channel') = 'post' THEN 'post' ELSE 'counter' END,
         '$.delivery_address', CASE WHEN json_extract(data, '$.channel') = 'post'
                                    THEN json_extract(data, '$.applicant.address') END)
 WHERE json_type(data, '$.result_delivery') IS NULL;
