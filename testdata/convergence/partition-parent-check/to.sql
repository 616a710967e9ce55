-- partition-parent-check (to): a check on the parent

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text,
    CONSTRAINT events_id_check CHECK (id > 0)
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
