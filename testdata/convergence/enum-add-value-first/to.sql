-- enum-add-value-first (to): a value is added before the first value

CREATE TYPE public.order_status AS ENUM ('draft', 'pending', 'paid', 'shipped');

CREATE TABLE public.orders (
    id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'pending',
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
