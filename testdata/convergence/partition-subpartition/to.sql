-- partition-subpartition (to): a partition that is itself partitioned by hash

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY HASH (id);
CREATE TABLE public.events_2024_0 PARTITION OF public.events_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.events_2024_1 PARTITION OF public.events_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
