-- fk-not-valid (from): a NOT VALID foreign key becomes validated

CREATE TABLE public.customers (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id) NOT VALID;
