-- view-column-collation (from): a view sorts on a text column

CREATE TABLE public.products (
    id integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);

CREATE VIEW public.product_codes AS
    SELECT code FROM public.products ORDER BY code;
