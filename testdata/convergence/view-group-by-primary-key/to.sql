-- view-group-by-primary-key (to): the primary key is renamed (dropped and added): the view that rests on it is dropped first and recreated after

CREATE TABLE public.customers (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT customers_pk PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id integer NOT NULL,
    customer_id integer NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

CREATE VIEW public.order_counts AS
    SELECT c.id, c.name, count(o.id) AS orders
    FROM public.customers c LEFT JOIN public.orders o ON o.customer_id = c.id
    GROUP BY c.id;
