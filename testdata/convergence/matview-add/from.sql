-- matview-add (from): a sales table

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);
