-- schema-several (from): several schemas with tables are created at once

CREATE TABLE public.settings (
    key text NOT NULL,
    value text,
    CONSTRAINT settings_pkey PRIMARY KEY (key)
);
