-- fk-new-tables-same-migration (from): two new tables linked by a foreign key are created in one migration

CREATE TABLE public.settings (
    key text NOT NULL,
    CONSTRAINT settings_pkey PRIMARY KEY (key)
);
