-- table-comment-add (from): a comment is added to a table

CREATE TABLE public.orders (
    id bigint NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);
