-- table-storage-params-change (to): table storage parameters change value, one is added and one removed

CREATE TABLE public.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id)
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05);
