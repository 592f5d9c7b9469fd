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
