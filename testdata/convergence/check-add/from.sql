-- check-add (from): check constraints are added

CREATE TABLE public.products (
    id integer NOT NULL,
    price numeric(10,2) NOT NULL,
    sku text NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);
