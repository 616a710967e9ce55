-- matview-index-change (to): one index becomes unique, one is dropped, one is added, one gets a comment; the view itself stays

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE MATERIALIZED VIEW public.region_sales AS
    SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;

CREATE UNIQUE INDEX region_sales_region ON public.region_sales (region);
CREATE INDEX region_sales_lower ON public.region_sales (lower(region));

COMMENT ON INDEX public.region_sales_lower IS 'case-insensitive lookups';
