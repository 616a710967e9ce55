-- function-sql-body-column-type (to): the column becomes bigint: PostgreSQL refuses the type change while the function reads it, so the function is dropped before and created after

CREATE TABLE public.stock (
    sku text NOT NULL,
    qty bigint NOT NULL,
    CONSTRAINT stock_pkey PRIMARY KEY (sku)
);

CREATE FUNCTION public.total_qty() RETURNS bigint
    LANGUAGE sql STABLE
    RETURN (SELECT sum(qty) FROM public.stock);
