-- table-storage-params-change (from): table storage parameters change value, one is added and one removed

CREATE TABLE public.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id)
) WITH (fillfactor = 80, autovacuum_enabled = false);
