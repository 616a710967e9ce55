-- view-add (from): a table without views

CREATE TABLE public.orders (
    id integer NOT NULL,
    customer text NOT NULL,
    total numeric(12,2) NOT NULL,
    paid boolean NOT NULL DEFAULT false,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
