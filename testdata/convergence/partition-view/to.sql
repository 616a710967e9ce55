-- partition-view (to): the key changes under the view

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
) PARTITION BY RANGE (id);

CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM (0) TO (1000);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM (1000) TO (2000);

CREATE VIEW public.recent_events AS SELECT id, payload FROM public.events WHERE created_on >= '2024-01-01'::date;
