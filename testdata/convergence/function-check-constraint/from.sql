-- function-check-constraint (from): a check constraint calls a validation function

CREATE FUNCTION public.is_sku(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN s ~ '^[A-Z]{3}-[0-9]+$';

CREATE TABLE public.products (
    id integer NOT NULL,
    sku text NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id),
    CONSTRAINT products_sku_check CHECK (public.is_sku(sku))
);
