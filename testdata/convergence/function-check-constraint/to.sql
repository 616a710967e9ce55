-- function-check-constraint (to): the function's parameter is renamed (drop and create): the check goes before the function and comes back after

CREATE FUNCTION public.is_sku(code text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN code ~ '^[A-Z]{3}-[0-9]+$';

CREATE TABLE public.products (
    id integer NOT NULL,
    sku text NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id),
    CONSTRAINT products_sku_check CHECK (public.is_sku(sku))
);
