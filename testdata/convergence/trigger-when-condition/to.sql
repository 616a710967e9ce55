-- trigger-when-condition (to): the trigger fires only WHEN the status changes

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

CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION public.touch();
