-- matview-storage-options (to): autovacuum back on (RESET) and a fillfactor (SET), and a comment

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE MATERIALIZED VIEW public.region_sales WITH (fillfactor = 70) AS
    SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;

COMMENT ON MATERIALIZED VIEW public.region_sales IS 'rebuilt hourly';
