-- partition-comment (to): comments on the parent, a parent column and a partition

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
COMMENT ON TABLE public.events IS 'all events';
COMMENT ON COLUMN public.events.payload IS 'raw body';
COMMENT ON TABLE public.events_2024 IS 'this year';
