-- enum-reorder-values (from): the values of an enum are reordered

CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE public.orders (
    id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'pending',
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
