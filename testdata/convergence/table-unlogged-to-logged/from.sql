-- table-unlogged-to-logged (from): an UNLOGGED table becomes a regular (logged) table

CREATE UNLOGGED TABLE public.cache_entries (
    key text NOT NULL,
    value bytea,
    expires_at timestamptz,
    CONSTRAINT cache_entries_pkey PRIMARY KEY (key)
);

CREATE INDEX cache_entries_expires_idx ON public.cache_entries (expires_at);
