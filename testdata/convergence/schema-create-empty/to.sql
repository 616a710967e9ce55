-- schema-create-empty (to): an empty schema is created / dropped

CREATE SCHEMA staging;

CREATE TABLE public.items (
    id integer NOT NULL,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);
