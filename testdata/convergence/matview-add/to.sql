-- matview-add (to): a materialized view with a unique and a partial index, comments and a storage parameter

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE MATERIALIZED VIEW public.monthly_sales WITH (fillfactor = 90) AS
    SELECT region, date_trunc('month', sold_on) AS month, sum(amount) AS total
    FROM public.sales GROUP BY 1, 2;

CREATE UNIQUE INDEX monthly_sales_key ON public.monthly_sales (region, month);
CREATE INDEX monthly_sales_big ON public.monthly_sales (total) WHERE total > 10000;

COMMENT ON MATERIALIZED VIEW public.monthly_sales IS 'refreshed nightly';
COMMENT ON COLUMN public.monthly_sales.total IS 'sum of amounts';
COMMENT ON INDEX public.monthly_sales_key IS 'for REFRESH CONCURRENTLY';
