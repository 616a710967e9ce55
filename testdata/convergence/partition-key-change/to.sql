-- partition-key-change (to): partitioned by a range of id: the table is recreated

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
) PARTITION BY RANGE (id);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM (0) TO (1000000);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM (1000000) TO (2000000);
