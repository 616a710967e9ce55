-- partition-subpartition (from): one plain partition

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
