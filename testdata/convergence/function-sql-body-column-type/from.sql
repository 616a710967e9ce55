-- function-sql-body-column-type (from): a function whose SQL-standard body reads an integer column

CREATE TABLE public.stock (
    sku text NOT NULL,
    qty integer NOT NULL,
    CONSTRAINT stock_pkey PRIMARY KEY (sku)
);

CREATE FUNCTION public.total_qty() RETURNS bigint
    LANGUAGE sql STABLE
    RETURN (SELECT sum(qty) FROM public.stock);
