-- matview-index-change (from): a materialized view with two indexes

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE MATERIALIZED VIEW public.region_sales AS
    SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;

CREATE INDEX region_sales_region ON public.region_sales (region);
CREATE INDEX region_sales_total ON public.region_sales (total);
