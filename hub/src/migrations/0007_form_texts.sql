-- The province's form texts, versioned like the catalog and pulled by
-- every counter as a change.
CREATE TABLE form_text_sets (
    version      BIGSERIAL PRIMARY KEY,
    label        TEXT NOT NULL,
    data         JSONB NOT NULL,
    published_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE changes ADD COLUMN form_texts_version BIGINT REFERENCES form_text_sets(version);
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('dossier_event', 'catalog', 'calendar', 'form_texts'));

-- Dossier rows from before the result delivery was asked (see the counter's
-- migration 0009): by post when the dossier came by post, else the counter.
UPDATE dossiers
   SET data = data || jsonb_build_object(
         'result_delivery', CASE WHEN data->>'channel' = 'post' THEN 'post' ELSE 'counter' END,
         'delivery_address', CASE WHEN data->>'channel' = 'post' THEN data->'applicant'->'address' ELSE 'null'::jsonb END)
 WHERE NOT data ? 'result_delivery';
