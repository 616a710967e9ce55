-- trigger-truncate-transition-table (to): a statement-level TRUNCATE trigger and an AFTER INSERT trigger with a transition table

CREATE TABLE public.orders (
    id integer NOT NULL,
    status text NOT NULL,
    total numeric(10,2) NOT NULL,
    updated_at timestamp with time zone,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.noop() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN NULL;
END;
$$;

CREATE TRIGGER orders_truncate AFTER TRUNCATE ON public.orders
    FOR EACH STATEMENT EXECUTE FUNCTION public.noop();

CREATE TRIGGER orders_inserted AFTER INSERT ON public.orders
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION public.noop();
