-- trigger-with-function-and-table (to): a table, its trigger function and two triggers, created in one plan

CREATE TABLE public.orders (
    id integer NOT NULL,
    status text NOT NULL,
    total numeric(10,2) NOT NULL,
    updated_at timestamp with time zone,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE FUNCTION public.noop() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN NULL;
END;
$$;

CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.touch();

CREATE TRIGGER orders_after AFTER DELETE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.noop();
