-- enum-reorder-values (to): the values of an enum are reordered

CREATE TYPE public.order_status AS ENUM ('pending', 'cancelled', 'paid', 'shipped');

CREATE TABLE public.orders (
    id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'pending',
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
