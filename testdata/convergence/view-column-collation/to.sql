-- view-column-collation (to): the column's collation changes (ALTER COLUMN TYPE … COLLATE): the view is dropped and recreated around it

CREATE TABLE public.products (
    id integer NOT NULL,
    code text COLLATE "C" NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);

CREATE VIEW public.product_codes AS
    SELECT code FROM public.products ORDER BY code;
