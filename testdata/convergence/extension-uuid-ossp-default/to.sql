-- extension-uuid-ossp-default (to): uuid-ossp provides a column default

CREATE EXTENSION "uuid-ossp";

CREATE TABLE public.files (
    id uuid NOT NULL DEFAULT uuid_generate_v4(),
    CONSTRAINT files_pkey PRIMARY KEY (id)
);
