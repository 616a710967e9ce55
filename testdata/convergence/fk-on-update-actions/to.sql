-- fk-on-update-actions (to): ON UPDATE action changes from CASCADE to RESTRICT while ON DELETE stays CASCADE

CREATE TABLE public.customers (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
