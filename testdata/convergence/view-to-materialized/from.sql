-- view-to-materialized (from): a plain aggregate view

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE VIEW public.region_totals AS
    SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;
