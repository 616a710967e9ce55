-- partition-fk-to-partitioned (to): a foreign key referencing the partitioned table

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text,
    CONSTRAINT events_pkey PRIMARY KEY (id, created_on)
) PARTITION BY RANGE (created_on);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE TABLE public.event_notes (
    id integer NOT NULL,
    event_id bigint NOT NULL,
    event_on date NOT NULL,
    CONSTRAINT event_notes_pkey PRIMARY KEY (id),
    CONSTRAINT event_notes_event_fkey FOREIGN KEY (event_id, event_on) REFERENCES public.events (id, created_on)
);
