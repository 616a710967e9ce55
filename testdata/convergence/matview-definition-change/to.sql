-- matview-definition-change (to): its query counts the sales too: the materialized view is recreated with its index and comment

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE MATERIALIZED VIEW public.region_sales AS
    SELECT region, sum(amount) AS total, count(*) AS sales FROM public.sales GROUP BY region;

CREATE UNIQUE INDEX region_sales_region ON public.region_sales (region);

COMMENT ON MATERIALIZED VIEW public.region_sales IS 'per region';
