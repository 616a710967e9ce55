-- partition-bound-change-parent-column (to): its bound changes while the parent gains a column and retypes another

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload character varying(100)
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
ALTER TABLE public.events ADD COLUMN source text DEFAULT 'web'::text;
