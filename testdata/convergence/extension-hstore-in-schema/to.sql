-- extension-hstore-in-schema (to): hstore is installed into a dedicated schema and used by a column

CREATE SCHEMA ext;

CREATE EXTENSION hstore SCHEMA ext;

CREATE TABLE public.products (
    id integer NOT NULL,
    attributes ext.hstore,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);
