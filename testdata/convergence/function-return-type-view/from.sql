-- function-return-type-view (from): a function returning integer, used by a view

CREATE TABLE public.items (
    id integer NOT NULL,
    price_cents integer NOT NULL,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.to_euros(cents integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN cents / 100;

CREATE VIEW public.item_prices AS
    SELECT id, public.to_euros(price_cents) AS euros FROM public.items;
