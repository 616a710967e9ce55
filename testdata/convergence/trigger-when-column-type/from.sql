-- trigger-when-column-type (from): a WHEN condition reads an integer column

CREATE TABLE public.orders (
    id integer NOT NULL,
    status text NOT NULL,
    total numeric(10,2) NOT NULL,
    qty integer NOT NULL,
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
    FOR EACH ROW WHEN (NEW.qty > 0) EXECUTE FUNCTION public.touch();
