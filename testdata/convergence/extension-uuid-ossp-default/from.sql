-- extension-uuid-ossp-default (from): uuid-ossp provides a column default

CREATE TABLE public.files (
    id uuid NOT NULL,
    CONSTRAINT files_pkey PRIMARY KEY (id)
);
