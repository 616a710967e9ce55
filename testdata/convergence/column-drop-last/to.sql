-- column-drop-last (to): the last columns of a table are dropped

CREATE TABLE public.products (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);
