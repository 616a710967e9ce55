-- function-to-procedure (from): a function that returns nothing useful

CREATE TABLE public.counters (
    name text NOT NULL,
    value bigint NOT NULL DEFAULT 0,
    CONSTRAINT counters_pkey PRIMARY KEY (name)
);

CREATE FUNCTION public.bump(counter text) RETURNS void
    LANGUAGE sql
    AS $$ UPDATE public.counters SET value = value + 1 WHERE name = counter $$;
