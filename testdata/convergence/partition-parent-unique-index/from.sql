-- partition-parent-unique-index (from): no unique index

CREATE TABLE public.orders (
    id bigint NOT NULL,
    region text NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL
) PARTITION BY LIST (region);

CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us');
