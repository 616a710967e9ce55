-- enum-add-value-after (to): a value is added AFTER an existing value (first position+1)

CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'packed', 'shipped');

CREATE TABLE public.orders (
    id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'pending',
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
