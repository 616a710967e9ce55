-- trigger-enable-state (to): one disabled, one ENABLE REPLICA, one ENABLE ALWAYS

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

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER orders_audit AFTER INSERT ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.noop();

CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.touch();

CREATE TRIGGER orders_sync AFTER DELETE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.noop();

ALTER TABLE public.orders DISABLE TRIGGER orders_audit;
ALTER TABLE public.orders ENABLE REPLICA TRIGGER orders_touch;
ALTER TABLE public.orders ENABLE ALWAYS TRIGGER orders_sync;
