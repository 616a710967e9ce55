-- view-other-schema (from): a table in public only

CREATE TABLE public.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id)
);
