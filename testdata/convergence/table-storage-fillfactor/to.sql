-- table-storage-fillfactor (to): a fillfactor storage parameter is set on a table

CREATE TABLE public.counters (
    name text NOT NULL,
    value bigint NOT NULL DEFAULT 0,
    CONSTRAINT counters_pkey PRIMARY KEY (name)
) WITH (fillfactor = 70);
