-- partition-parent-pk (to): a primary key on the parent (it includes the partition key)

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text,
    CONSTRAINT events_pkey PRIMARY KEY (id, created_on)
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
