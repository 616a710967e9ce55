-- column-drop-last (from): the last columns of a table are dropped

CREATE TABLE public.products (
    id integer NOT NULL,
    name text NOT NULL,
    legacy_code char(6),
    legacy_flags bit(4),
    CONSTRAINT products_pkey PRIMARY KEY (id)
);
