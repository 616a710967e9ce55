-- check-add (to): check constraints are added

CREATE TABLE public.products (
    id integer NOT NULL,
    price numeric(10,2) NOT NULL,
    sku text NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id),
    CONSTRAINT products_price_check CHECK (price >= 0),
    CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Z]{3}-[0-9]+$')
);
