-- partition-drop-parent (from): a partitioned table and its sub-partitions

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY HASH (id);
CREATE TABLE public.events_2024_0 PARTITION OF public.events_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.events_2024_1 PARTITION OF public.events_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
