-- partition-bound-change-parent-index (to): the index goes away while a partition's bound changes (the partition is recreated)

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
