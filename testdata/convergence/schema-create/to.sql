-- schema-create (to): a new schema holding one table

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE SCHEMA audit;

CREATE TABLE audit.events (
    id bigint NOT NULL,
    happened_at timestamptz NOT NULL,
    payload jsonb,
    CONSTRAINT events_pkey PRIMARY KEY (id)
);
