-- function-sql-standard-body (from): a function with a BEGIN ATOMIC body that reads a table

CREATE TABLE public.orders (
    id integer NOT NULL,
    total numeric(12,2) NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.order_total() RETURNS numeric
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT sum(total) FROM public.orders;
END;
