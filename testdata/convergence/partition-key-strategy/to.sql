-- partition-key-strategy (to): hash partitions under the same table name

CREATE TABLE public.orders (
    id bigint NOT NULL,
    region text NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL
) PARTITION BY HASH (id);

CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES WITH (MODULUS 2, REMAINDER 1);
