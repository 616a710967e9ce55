-- matview-storage-options (from): a materialized view with autovacuum off

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE MATERIALIZED VIEW public.region_sales WITH (autovacuum_enabled = false) AS
    SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;
