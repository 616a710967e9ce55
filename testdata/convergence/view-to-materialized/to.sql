-- view-to-materialized (to): the same query as a materialized view with a unique index

CREATE TABLE public.sales (
    id integer NOT NULL,
    region text NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT sales_pkey PRIMARY KEY (id)
);

CREATE MATERIALIZED VIEW public.region_totals AS
    SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;

CREATE UNIQUE INDEX region_totals_region_key ON public.region_totals (region);
