-- column-type-fk-both-sides (to): an indexed int PK referenced by a FK in another table becomes bigint on both sides

CREATE TABLE public.customers (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id integer NOT NULL,
    customer_id bigint NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id)
);

CREATE INDEX orders_customer_idx ON public.orders (customer_id);
