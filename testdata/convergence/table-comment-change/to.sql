-- table-comment-change (to): a table comment changes text (with quotes in it)

CREATE TABLE public.orders (
    id bigint NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

COMMENT ON TABLE public.orders IS 'Customer''s orders; one row per checkout';
