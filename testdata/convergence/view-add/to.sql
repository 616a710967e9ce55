-- view-add (to): two views over the table, one of them over the other

CREATE TABLE public.orders (
    id integer NOT NULL,
    customer text NOT NULL,
    total numeric(12,2) NOT NULL,
    paid boolean NOT NULL DEFAULT false,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

CREATE VIEW public.unpaid_orders AS
    SELECT id, customer, total FROM public.orders WHERE NOT paid;

CREATE VIEW public.unpaid_totals AS
    SELECT customer, sum(total) AS due FROM public.unpaid_orders GROUP BY customer;
