-- table-comment-add (to): a comment is added to a table

CREATE TABLE public.orders (
    id bigint NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

COMMENT ON TABLE public.orders IS 'Customer orders';
