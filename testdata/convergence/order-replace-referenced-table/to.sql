-- order-replace-referenced-table (to): a referenced table is replaced by a new one; the FK is redirected

CREATE TABLE public.customers (
    id bigint NOT NULL,
    email text NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id)
);
