-- extension-hstore-in-schema (from): hstore is installed into a dedicated schema and used by a column

CREATE TABLE public.products (
    id integer NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);
