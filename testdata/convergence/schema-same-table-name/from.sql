-- schema-same-table-name (from): a table with the same name as an existing public table appears in another schema

CREATE TABLE public.users (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);
