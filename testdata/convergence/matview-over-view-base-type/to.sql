-- matview-over-view-base-type (to): the amount column widens: the view and the materialized view over it (and its index) are recreated around the type change

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(16,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE VIEW public.big_sales AS
    SELECT id, region, amount FROM public.sales WHERE amount > 1000;

CREATE MATERIALIZED VIEW public.big_sales_by_region AS
    SELECT region, count(*) AS n, max(amount) AS top FROM public.big_sales GROUP BY region;

CREATE INDEX big_sales_by_region_n ON public.big_sales_by_region (n);
