-- fk-on-delete-cascade (from): a foreign key becomes ON DELETE CASCADE

CREATE TABLE public.customers (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id)
);
