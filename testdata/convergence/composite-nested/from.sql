-- composite-nested (from): composite types over an enum and another composite type

CREATE TYPE public.mood AS ENUM ('ok', 'sad');

CREATE TYPE public.inner_t AS (m public.mood, n integer);

CREATE TYPE public.outer_t AS (i public.inner_t, tags text[]);

CREATE TABLE public.t (
    id integer NOT NULL,
    o public.outer_t,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
