-- trigger-constraint-initially (from): a DEFERRABLE INITIALLY IMMEDIATE constraint trigger

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

CREATE CONSTRAINT TRIGGER orders_check AFTER UPDATE ON public.orders
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW WHEN (NEW.total < 0) EXECUTE FUNCTION public.noop();
