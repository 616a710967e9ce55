-- enum-values-change-with-default (from): values change while a column default uses one that is removed

CREATE TYPE public.order_status AS ENUM ('new', 'pending', 'paid');

CREATE TABLE public.orders (
    id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'new',
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
