-- partition-move-parent (to): the partition moves to the other parent

CREATE TABLE public.orders (
    id bigint NOT NULL,
    region text NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL
) PARTITION BY LIST (region);

CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('de', 'fr', 'it');

CREATE TABLE public.archive (
    id bigint NOT NULL,
    region text NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL
) PARTITION BY LIST (region);

CREATE TABLE public.archive_eu PARTITION OF public.archive FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE public.archive_us PARTITION OF public.archive FOR VALUES IN ('us');
CREATE TABLE public.orders_us PARTITION OF public.archive FOR VALUES IN ('ca');
