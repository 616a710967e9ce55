-- function-return-type-view (to): the function returns numeric: it is dropped and created again, and the view that uses it with it

CREATE TABLE public.items (
    id integer NOT NULL,
    price_cents integer NOT NULL,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.to_euros(cents integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    RETURN cents / 100.0;

CREATE VIEW public.item_prices AS
    SELECT id, public.to_euros(price_cents) AS euros FROM public.items;
