-- composite-nested (to): the outer type gains an attribute of a new domain

CREATE TYPE public.mood AS ENUM ('ok', 'sad');

CREATE DOMAIN public.score AS integer CONSTRAINT score_check CHECK (VALUE >= 0);

CREATE TYPE public.inner_t AS (m public.mood, n integer);

CREATE TYPE public.outer_t AS (i public.inner_t, tags text[], s public.score);

CREATE TABLE public.t (
    id integer NOT NULL,
    o public.outer_t,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
