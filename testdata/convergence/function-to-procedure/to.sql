-- function-to-procedure (to): the same signature as a procedure: a routine cannot change kind, so drop and create

CREATE TABLE public.counters (
    name text NOT NULL,
    value bigint NOT NULL DEFAULT 0,
    CONSTRAINT counters_pkey PRIMARY KEY (name)
);

CREATE PROCEDURE public.bump(counter text)
    LANGUAGE sql
    AS $$ UPDATE public.counters SET value = value + 1 WHERE name = counter $$;
