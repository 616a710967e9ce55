-- composite-reorder (from): a composite type used by an array column and a column

CREATE TYPE public.pair AS (a integer, b text);

CREATE TABLE public.t (
    id integer NOT NULL,
    p public.pair,
    ps public.pair[],
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
