-- trigger-drop-with-table-and-function (from): a table, its trigger and the trigger function, and another table

CREATE TABLE public.orders (
    id integer NOT NULL,
    status text NOT NULL,
    total numeric(10,2) NOT NULL,
    updated_at timestamp with time zone,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

CREATE TABLE public.customers (
    id integer NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
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
    FOR EACH ROW EXECUTE FUNCTION public.touch();
