-- function-sql-standard-body (to): the body reads another column, added in the same plan (the function is replaced after the column exists)

CREATE TABLE public.orders (
    id integer NOT NULL,
    total numeric(12,2) NOT NULL,
    refunded boolean NOT NULL DEFAULT false,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.order_total() RETURNS numeric
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT sum(total) FROM public.orders WHERE NOT refunded;
END;
