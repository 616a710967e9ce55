-- partition-expression-key (to): a table partitioned by an expression, with a DEFAULT partition

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

CREATE TABLE public.customers (
    id integer NOT NULL,
    country text NOT NULL
) PARTITION BY LIST (lower(country));

CREATE TABLE public.customers_de PARTITION OF public.customers FOR VALUES IN ('de');
CREATE TABLE public.customers_rest PARTITION OF public.customers DEFAULT;
