-- enum-values-change-with-default (to): values change while a column default uses one that is removed

CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'refunded');

CREATE TABLE public.orders (
    id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'pending',
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
